/**
 * A schema's sluice_rejects as loads and in-database runs make it (postgres-sql.ts
 * rejectsTableSql), on the real server: a table from before rows kept their line gets the column,
 * and making sure of the table does not wait for another session still writing to it (a long
 * in-database run holds its rows' inserts open until its statement ends).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createUnderLock } from '../../src-main/sinks/postgres-locks';
import { rejectsTableSql } from '../../src-main/sinks/postgres-sql';
import { DATABASE_URL, query, testSchema } from '../helpers/pg';

async function session(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  return c;
}

describe("a schema's sluice_rejects", () => {
  it('gets the line column when an older Sluice made it without one', async () => {
    const schema = testSchema();
    await query(`CREATE SCHEMA "${schema}"`);
    await query(
      `CREATE TABLE "${schema}".sluice_rejects (run_id text NOT NULL, pipeline text NOT NULL, step text NOT NULL,
        error_type text NOT NULL, message text NOT NULL, record jsonb, record_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), status text NOT NULL DEFAULT 'open')`,
    );
    const c = await session();
    try {
      await createUnderLock(c, schema, [rejectsTableSql(schema)]);
      await createUnderLock(c, schema, [rejectsTableSql(schema)]);
    } finally {
      await c.end();
    }
    const cols = await query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'sluice_rejects'`,
      [schema],
    );
    expect(cols.map((r) => r.column_name)).toContain('line');
  });

  it('is made sure of while another session writes to it, without waiting for that one', async () => {
    const schema = testSchema();
    const writer = await session();
    const other = await session();
    try {
      await createUnderLock(writer, schema, [`CREATE SCHEMA IF NOT EXISTS "${schema}"`]);
      await createUnderLock(writer, schema, [rejectsTableSql(schema)]);
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO "${schema}".sluice_rejects (run_id, pipeline, step, error_type, message, record_hash) VALUES ('r', 'p', 's', 'removed', 'm', 'h')`,
      );
      // Held open, as a run's statement holds it. An ALTER TABLE would wait for it: the lock
      // timeout turns that wait into an error instead of a hang.
      await other.query(`SET lock_timeout = '5s'`);
      await expect(
        createUnderLock(other, schema, [rejectsTableSql(schema)]),
      ).resolves.toBeUndefined();
      await writer.query('COMMIT');
      const rows = await query(`SELECT run_id FROM "${schema}".sluice_rejects`);
      expect(rows).toHaveLength(1);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      await writer.end();
      await other.end();
    }
  });
});
