/**
 * The books of pipelines that did not finish: a cancelled or failed pipeline reports what it
 * read, writes 0, and balances; removed rows of every step are in the removed-rows store.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import { SLUICE, sluice } from '../helpers/cli';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

/** rows in + added = out + rejected + removed + merged + not written */
const balances = (p: PipelineReport): boolean =>
  p.rowsIn + p.rowsAdded ===
  p.rowsOut + p.rowsRejected + p.rowsRemoved + p.rowsMerged + (p.rowsNotWritten ?? 0);

describe('books of pipelines that did not finish', () => {
  it('SIGINT during a SQLite load: rows read so far, 0 written, balanced; the table as it was', async () => {
    const dir = tempDir();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    mkdirSync(join(dir, 'pipelines'));
    await writeBenchSales(join(dir, 'sales.csv'), 100_000);
    writeFileSync(join(dir, 'sluice.yaml'), 'name: b\nstore: store.db\n');
    writeFileSync(
      join(dir, 'pipelines', 's.yaml'),
      'name: s\nsource: {path: sales.csv}\noutputs:\n  - {kind: sqlite, path: out/b.sqlite, table: sales, mode: full}\n',
    );
    const child = spawn(process.execPath, [SLUICE, 'run', dir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: tmp },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    // Interrupt once the load is open (its scratch database exists) and the source is being read.
    const started = Date.now();
    const store = join(dir, 'store.db');
    const reading = (): boolean => {
      if (!readdirSync(tmp).some((f) => f.startsWith('sluice-stage-'))) return false;
      const db = new Database(store, { readonly: true, fileMustExist: true });
      try {
        return !!db.prepare(`SELECT 1 FROM logs WHERE message LIKE 'reading %'`).get();
      } finally {
        db.close();
      }
    };
    while (!reading()) {
      if (Date.now() - started > 45_000) throw new Error('the load did not get going');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGINT');
    expect(await closed).toBe(1);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.status).toBe('cancelled');
    const p = report.pipelines[0];
    expect(p.status).toBe('cancelled');
    expect(p.rowsIn).toBeGreaterThan(0);
    expect(p.rowsIn).toBe(p.source.rowsRead);
    expect(p.rowsOut).toBe(0);
    expect(p.outputs).toEqual([]);
    expect(balances(p)).toBe(true);
    // The store's run totals say the same.
    const runs = JSON.parse(sluice(['runs', '--store', join(dir, 'store.db'), '--json']).stdout);
    expect(runs.items[0]).toMatchObject({ status: 'cancelled', rows_in: p.rowsIn, rows_out: 0 });
    const db = join(dir, 'out', 'b.sqlite');
    if (existsSync(db)) {
      const d = new Database(db, { readonly: true });
      const t = d.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sales'`).get();
      const n = (t as { n: number }).n
        ? (d.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n
        : 0;
      d.close();
      expect(n).toBe(0);
    }
  }, 120_000);

  it('a failed pipeline writes nothing and says so: 0 rows out, balanced', () => {
    const dir = makeProject(
      {
        a:
          'source: {path: small.csv}\nmax_reject_rate: 0\n' +
          'steps:\n  - step: cast\n    columns: {v: int}\n' +
          'outputs:\n  - {kind: csv, path: out/a.csv}\n',
      },
      { name: 'f', smallCsv: 'id,v\n1,10\n2,x\n3,30\n' },
    );
    const r = sluice(['run', dir, '--json']);
    expect(r.code).toBe(1);
    const p = (JSON.parse(r.stdout) as RunReport).pipelines[0];
    expect(p).toMatchObject({ status: 'failed', rowsIn: 3, rowsOut: 0, rowsRejected: 1 });
    expect(p.error?.code).toBe('reject_rate');
    expect(p.rowsNotWritten).toBe(2);
    expect(balances(p)).toBe(true);
    expect(existsSync(join(dir, 'out', 'a.csv'))).toBe(false);
  });

  it("limit's removed rows are in the removed-rows store, each with its reason", () => {
    const dir = makeProject(
      {
        a:
          'source: {path: small.csv}\nsteps:\n  - step: limit\n    offset: 1\n    rows: 1\n' +
          'outputs:\n  - {kind: csv, path: out/a.csv}\n',
      },
      { name: 'l', smallCsv: 'id,v\n1,10\n2,20\n3,30\n4,40\n' },
    );
    const r = sluice(['run', dir, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report.pipelines[0]).toMatchObject({ rowsIn: 4, rowsOut: 1, rowsRemoved: 3 });
    const rejects = JSON.parse(
      sluice(['rejects', report.runId, '--store', join(dir, 'store.db'), '--json']).stdout,
    ) as { total: number; items: { kind: string; line: number; reason: string; raw: string }[] };
    expect(rejects.total).toBe(3);
    expect(rejects.items.map((x) => [x.kind, x.line, x.reason, x.raw])).toEqual([
      ['removed', 2, 'before offset 1', '1,10'],
      ['removed', 4, 'beyond limit 1', '3,30'],
      ['removed', 5, 'beyond limit 1', '4,40'],
    ]);
  });
});
