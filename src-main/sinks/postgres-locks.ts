/**
 * The advisory locks of PostgreSQL loads: one per schema while a load creates what it needs,
 * one per table from a load's move to its commit, so loads into one table follow each other.
 */
import type pg from 'pg';
import { SinkError } from './sink';

/** How long a load waits for another load into the same table to commit. */
const LOCK_WAIT_MS = 10 * 60_000;
export const STATEMENT_TIMEOUT_MS = 300_000;

/** The key of a transaction-level advisory lock: a 64-bit hash of a name, taken by the server. */
const ADVISORY_LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
const TRY_ADVISORY_LOCK = 'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS got';

/**
 * Runs CREATE ... IF NOT EXISTS statements in a transaction of their own, committed at once,
 * under an advisory lock per schema: two transactions that both find a schema or table missing
 * would both create it, and the second fails on the catalog's unique index. A client that does
 * not take the lock can still race; its "already exists" means the work is done, so try again.
 */
export async function createUnderLock(
  client: pg.Client,
  schema: string,
  statements: string[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query('BEGIN');
      await client.query(ADVISORY_LOCK, [`sluice schema ${schema}`]);
      for (const sql of statements) await client.query(sql);
      await client.query('COMMIT');
      return;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (e as { code?: string }).code;
      if (attempt >= 3 || !(code === '23505' || code === '42P06' || code === '42P07')) throw e;
    }
  }
}

/** Takes the lock on the target table if no other load holds it; says whether it did. */
export async function tryLockTable(client: pg.Client, name: string): Promise<boolean> {
  const got = await client.query<{ got: boolean }>(TRY_ADVISORY_LOCK, [`sluice table ${name}`]);
  return got.rows[0].got;
}

/**
 * Waits (up to LOCK_WAIT_MS) for the lock on the target table that every load holds from its
 * move to its commit, so that loads into one table follow each other.
 */
export async function lockTable(
  client: pg.Client,
  name: string,
  log?: (message: string) => void,
): Promise<void> {
  const key = `sluice table ${name}`;
  if (await tryLockTable(client, name)) return;
  log?.(`${name}: waiting for another load into ${name} to commit`);
  const t0 = performance.now();
  try {
    await client.query(`SET LOCAL statement_timeout = ${LOCK_WAIT_MS}`);
    await client.query({
      text: ADVISORY_LOCK,
      values: [key],
      query_timeout: LOCK_WAIT_MS + 30_000,
    } as pg.QueryConfig);
    await client.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
  } catch (e) {
    if ((e as { code?: string }).code === '57014' || /timeout/i.test((e as Error).message))
      throw new SinkError(
        `${name}: another load into this table did not commit within ${LOCK_WAIT_MS / 60_000} minutes; this load was rolled back`,
      );
    throw e;
  }
  log?.(
    `${name}: waited ${Math.round(performance.now() - t0).toLocaleString('en-US')} ms for another load into ${name}`,
  );
}
