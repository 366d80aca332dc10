/**
 * `sluice import-rules` with the earlier system's rules: where the CSV is found, how the
 * recipe names it, and the database destination it loads into.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { SLUICE } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const RULES = join(__dirname, '..', 'fixtures', 'legacy', 'customers_rules.yaml');
const CSV = [
  'CustomerKey,Gender,Name,State Code,Birthday',
  '1,Male,Ann,CA,7/3/1939',
  '2,Female,Bob,,9/27/1979',
  '3,Other,Cy,NY,5-26-1947',
  '4,Male,Di,TX,11/20/1957',
  '5,Female,Ed,WA,8/8/1965',
  '',
].join('\n');

function sluiceIn(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [SLUICE, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A project whose data folder is data/, holding the customers under `csvName`. */
function project(csvName: string): string {
  const dir = join(tempDir(), 'proj');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'sluice.yaml'), 'name: shop\ndata: data\n');
  writeFileSync(join(dir, 'data', csvName), CSV);
  return dir;
}

const recipe = (dir: string) =>
  parse(readFileSync(join(dir, 'pipelines', 'customers.yaml'), 'utf8')) as {
    source: { path: string };
    outputs: Record<string, unknown>[];
  };

function run(dir: string, times = 1): RunReport {
  let rep: RunReport | undefined;
  for (let k = 0; k < times; k++) {
    const r = sluiceIn(dir, ['run', '.', '--json', '--store', join(dir, 'store.db')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    rep = JSON.parse(r.stdout) as RunReport;
  }
  return rep!;
}

// Each test starts the CLI a few times: room for a busy machine.
describe('import-rules', { timeout: 180_000 }, () => {
  it('reads --source from the current folder and names it relative to the data folder', () => {
    const dir = project('customers.csv');
    const r = sluiceIn(dir, [
      'import-rules',
      RULES,
      '--into',
      '.',
      '--source',
      'data/customers.csv',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/column customer_key is CustomerKey in the source/);
    expect(recipe(dir).source.path).toBe('customers.csv');
    expect(run(dir).pipelines[0]).toMatchObject({ status: 'succeeded', rowsIn: 5 });
  });

  it("finds the rules' csv_file in the data folder, wherever the command runs", () => {
    const dir = project('Customers.csv');
    const r = sluiceIn(join(dir, '..'), ['import-rules', RULES, '--into', 'proj']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/was not found/);
    expect(recipe(dir).source.path).toBe('Customers.csv');
  });

  it('turns an upsert destination into a database output with mode upsert and its key', () => {
    const dir = project('Customers.csv');
    expect(sluiceIn(dir, ['import-rules', RULES, '--into', '.']).code).toBe(0);
    expect(recipe(dir).outputs).toEqual([
      { kind: 'sqlite', table: 'output_customers_cleaned', mode: 'upsert', key: ['CustomerKey'] },
    ]);
    // Loaded twice: upserted, not doubled.
    const rep = run(dir, 2);
    expect(rep.pipelines[0]).toMatchObject({ status: 'succeeded', rowsIn: 5 });
    const db = new Database(join(dir, 'out', 'shop.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT "CustomerKey", "Gender" FROM output_customers_cleaned ORDER BY 1')
        .all();
      expect(rows).toEqual([
        { CustomerKey: 1, Gender: 'Male' },
        { CustomerKey: 2, Gender: 'Female' },
        { CustomerKey: 3, Gender: 'Unknown' },
        { CustomerKey: 4, Gender: 'Male' },
        { CustomerKey: 5, Gender: 'Female' },
      ]);
    } finally {
      db.close();
    }
  });
});
