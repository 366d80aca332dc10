/** A load killed with SIGKILL leaves the old rows, and the next run completes normally. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { SLUICE, sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('killed mid-load', () => {
  it('SQLite: the table holds the old rows, never a part of the new ones', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    await writeBenchSales(join(dir, 'sales.csv'), 300_000);
    writeFileSync(join(dir, 'sluice.yaml'), 'name: k\nstore: store.db\n');
    const recipe = (limit: string) =>
      `name: s\nsource: {path: sales.csv}\nsteps:\n${limit}  - step: cast\n    columns: {Order Number: int, Line Item: int}\noutputs:\n  - {kind: sqlite, path: out/k.sqlite, table: sales, key: [Order Number, Line Item], mode: full, on_violation: skip}\n`;
    writeFileSync(join(dir, 'pipelines', 's.yaml'), recipe('  - step: limit\n    rows: 1000\n'));
    expect(sluice(['run', dir]).code).toBe(0);
    const db = join(dir, 'out', 'k.sqlite');
    const count = () => {
      const d = new Database(db, { readonly: true });
      const n = (d.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
      d.close();
      return n;
    };
    expect(count()).toBe(1000);

    writeFileSync(join(dir, 'pipelines', 's.yaml'), recipe(''));
    const child = spawn(process.execPath, [SLUICE, 'run', dir], { stdio: 'ignore' });
    // Kill it once the load has written a good part of its transaction to the WAL.
    const started = Date.now();
    while (!(existsSync(db + '-wal') && statSync(db + '-wal').size > 4 << 20)) {
      if (Date.now() - started > 120_000) throw new Error('the load did not get going');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(count()).toBe(1000);

    const again = sluice(['run', dir, '--json']);
    expect(again.code).toBe(0);
    const rows = JSON.parse(again.stdout).pipelines[0].outputs[0];
    expect(count()).toBe(rows.inserted);
    expect(rows.inserted + rows.rejected).toBe(rows.rows);
    expect(rows.inserted).toBeGreaterThan(299_000);
  }, 240_000); // three runs over 300,000 rows: over a minute on a busy 2-core machine
});

describe('killed mid-load into PostgreSQL', () => {
  it('the table holds the old rows, and the next run completes normally', async () => {
    const { query, testSchema } = await import('../helpers/pg');
    const schema = testSchema();
    // (testSchema's afterAll does not run when registered inside a test.)
    onTestFinished(() => query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => undefined));
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    await writeBenchSales(join(dir, 'sales.csv'), 300_000);
    writeFileSync(join(dir, 'sluice.yaml'), 'name: k\nstore: store.db\n');
    const recipe = (limit: string) =>
      `name: s\nsource: {path: sales.csv}\nsteps:\n${limit}  - step: cast\n    columns: {Order Number: int, Line Item: int}\noutputs:\n  - {kind: postgres, schema: ${schema}, table: sales, key: [Order Number, Line Item], mode: full, on_violation: skip}\n`;
    writeFileSync(join(dir, 'pipelines', 's.yaml'), recipe('  - step: limit\n    rows: 1000\n'));
    expect(sluice(['run', dir]).code).toBe(0);
    const count = async () =>
      (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".sales`))[0].n;
    expect(await count()).toBe(1000);

    writeFileSync(join(dir, 'pipelines', 's.yaml'), recipe(''));
    const child = spawn(process.execPath, [SLUICE, 'run', dir], { stdio: 'ignore' });
    const started = Date.now();
    // Kill it while its COPY is streaming rows, with some rows sent: straight into the table
    // (its old rows deleted in the same transaction) when no other load holds it, else staged.
    const copying = async (): Promise<boolean> =>
      (
        await query(
          `SELECT 1 FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
            WHERE (a.query LIKE 'COPY sluice_stage%' OR a.query LIKE $1)
              AND p.tuples_processed >= 20000`,
          [`COPY "${schema}".%`],
        )
      ).length > 0;
    while (!(await copying())) {
      if (Date.now() - started > 120_000) throw new Error('the load did not get going');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(await count()).toBe(1000);

    const again = sluice(['run', dir, '--json']);
    expect(again.code).toBe(0);
    const out = JSON.parse(again.stdout).pipelines[0].outputs[0];
    expect(await count()).toBe(out.inserted);
    expect(out.inserted).toBeGreaterThan(299_000);
  }, 240_000);
});
