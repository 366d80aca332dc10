/** The real PostgreSQL server of this machine (DATABASE_URL), and throwaway schemas on it. */
import pg from 'pg';
import { afterAll, onTestFinished } from 'vitest';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.DATABASE_URL = DATABASE_URL;

let n = 0;

/**
 * A schema name unique to this test process; dropped when the test that made it ends, or, made
 * outside a test, after the file's tests (an afterAll registered inside a running test never
 * runs, which left such schemas on the server).
 */
export function testSchema(): string {
  const name = `sluice_test_${process.pid}_${n++}`;
  const drop = async (): Promise<void> => {
    await query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  };
  try {
    onTestFinished(drop);
  } catch {
    afterAll(drop);
  }
  return name;
}

export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Holds the advisory lock every load into `schema.table` takes before it moves its rows
 * (src-main/sinks/postgres-locks.ts), so such a load waits, running, until release(). `pid` is
 * the holding session's, for asking the server who waits on it.
 */
export async function holdTableLock(
  schema: string,
  table: string,
): Promise<{ pid: number; release(): Promise<void> }> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  await c.query('BEGIN');
  await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `sluice table ${schema}.${table}`,
  ]);
  const [{ pid }] = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  let released: Promise<void> | undefined;
  return {
    pid,
    // Idempotent, so a test can release early and its cleanup release again if it failed first.
    release() {
      released ??= c.query('COMMIT').then(() => c.end());
      return released;
    },
  };
}
