/**
 * The example project over the real retail data, run by `sluice run` with `--engine postgres`
 * and with the local engine: every pipeline succeeds both ways, the CSV files hold the same rows
 * (sorted, value for value), and for the five table pipelines the SQLite tables hold the same
 * rows and the books agree step by step.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { openSqlite } from '../../src-main/sqlite/open';
import { sluiceIn } from '../helpers/cli';
import { EXAMPLE } from '../helpers/example-run';
import '../helpers/pg';
import { SHARED, tempDir } from '../helpers/tmp';

const TABLES = ['customers', 'products', 'stores', 'exchange_rates', 'sales'];
const runs: Record<string, { dir: string; report: RunReport }> = {};

beforeAll(async () => {
  for (const engine of ['local', 'postgres']) {
    const dir = join(tempDir(), 'example');
    cpSync(EXAMPLE, dir, { recursive: true });
    const r = await sluiceIn([
      'run',
      dir,
      '--data',
      SHARED,
      '--engine',
      engine,
      '--store',
      join(dir, 'store.db'),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    runs[engine] = { dir, report: JSON.parse(r.stdout) as RunReport };
  }
}, 600_000);

const sortedLines = (file: string): string[] => {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  return [header, ...rows.sort()];
};

describe('the example project with --engine postgres', () => {
  it('runs every pipeline, and each CSV file holds the rows the local engine writes', () => {
    const failed = runs.postgres.report.pipelines.filter((p) => p.status !== 'succeeded');
    expect(failed.map((p) => `${p.name}: ${p.error?.message}`)).toEqual([]);
    expect(runs.postgres.report.pipelines.length).toBeGreaterThan(TABLES.length + 8);
    const files = (readdirSync(join(runs.local.dir, 'out'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.csv'))
      .sort();
    expect(files.length).toBeGreaterThan(TABLES.length + 8);
    for (const f of files)
      expect(sortedLines(join(runs.postgres.dir, 'out', f)), f).toEqual(
        sortedLines(join(runs.local.dir, 'out', f)),
      );
  });

  for (const name of TABLES)
    it(`${name}: the same rows and books as the local engine`, () => {
      const [local, server] = [runs.local, runs.postgres];
      const [l, s] = [local, server].map((r) => r.report.pipelines.find((p) => p.name === name)!);
      expect(s.status).toBe('succeeded');
      expect(s.rowsOut).toBeGreaterThan(0);
      const counts = (p: typeof l) =>
        [p.rowsIn, p.rowsOut, p.rowsRejected, p.rowsRemoved].concat(
          p.steps.flatMap((x) => [x.rowsIn, x.rowsOut, x.rowsRejected, x.rowsRemoved]),
        );
      expect(counts(s)).toEqual(counts(l));
      const csv = (dir: string) => sortedLines(join(dir, 'out', `${name}.csv`));
      const [a, b] = [csv(local.dir), csv(server.dir)];
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) expect(b[i], `sorted row ${i}`).toBe(a[i]);
      const table = (dir: string) => {
        const db = openSqlite(join(dir, 'out', 'global-electronics.sqlite'), { readonly: true });
        try {
          return db
            .prepare(`SELECT * FROM "${name}"`)
            .all()
            .map((r) => JSON.stringify(r))
            .sort();
        } finally {
          db.close();
        }
      };
      expect(table(server.dir)).toEqual(table(local.dir));
    });
});
