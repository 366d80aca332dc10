/** The sluice command as a user runs it: real processes, real files, a real SQLite store. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { writeSampleData, type SampleCounts } from '../../src-main/demo/sample-data';
import { SLUICE, sluiceIn } from '../helpers/cli';
import { EXAMPLE, exampleRun } from '../helpers/example-run';
import { SHARED, tempDir } from '../helpers/tmp';

const TABLES = ['customers', 'exchange_rates', 'products', 'sales', 'stores'];
const dir = tempDir();
const project = join(dir, 'ge');
const store = join(dir, 'store.db');
let counts: SampleCounts;
let first: RunReport;

beforeAll(async () => {
  cpSync(join(EXAMPLE, 'sluice.yaml'), join(project, 'sluice.yaml'));
  cpSync(join(EXAMPLE, 'pipelines'), join(project, 'pipelines'), { recursive: true });
  counts = await writeSampleData(join(project, 'data'));
  const r = await sluiceIn(['run', project, '--json', '--store', store]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  first = JSON.parse(r.stdout) as RunReport;
});

describe('sluice run', () => {
  it('prints one JSON document with per-pipeline and per-step books', () => {
    expect(first).toMatchObject({ status: 'succeeded', runId: expect.stringMatching(/^run_/) });
    // Every pipeline of the example project ran, each after the pipelines it depends on.
    const names = first.pipelines.map((p) => p.name);
    const files = readdirSync(join(project, 'pipelines')).map((f) => f.replace(/\.yaml$/, ''));
    expect([...names].sort()).toEqual(files.sort());
    for (const f of files) {
      const deps = /depends_on: \[(.*)\]/.exec(
        readFileSync(join(project, 'pipelines', `${f}.yaml`), 'utf8'),
      )?.[1];
      for (const d of deps?.split(',').map((x) => x.trim()) ?? [])
        expect(names.indexOf(d)).toBeLessThan(names.indexOf(f));
    }
    for (const p of first.pipelines) {
      expect(p.rowsIn + p.rowsAdded).toBe(
        p.rowsOut + p.rowsRejected + p.rowsRemoved + p.rowsMerged,
      );
      // Reports go to out/reports/, tables to out/<pipeline>.csv; all paths are absolute.
      const path = p.name.startsWith('report_')
        ? expect.stringMatching(/^\/.*\/out\/reports\/\w+\.csv$/)
        : join(project, 'out', `${p.name}.csv`);
      // Each output says how long writing it took (ms): its own part of the pipeline's time.
      const ms = expect.any(Number);
      expect(p.outputs[0]).toEqual({ kind: 'csv', path, rows: p.rowsOut, ms });
      if (TABLES.includes(p.name))
        expect(p.outputs[1]).toEqual({
          kind: 'sqlite',
          path: join(project, 'out', 'global-electronics.sqlite'),
          table: p.name,
          rows: p.rowsOut,
          inserted: p.rowsOut,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          skipped: 0,
          ms,
        });
      else expect(p.outputs).toHaveLength(1);
      for (const s of p.steps) {
        expect(Object.keys(s)).toEqual(
          expect.arrayContaining([
            'name',
            'rowsIn',
            'rowsOut',
            'rowsRejected',
            'rowsRemoved',
            'cellsChanged',
          ]),
        );
        expect(s.rowsIn + s.rowsAdded).toBe(
          s.rowsOut + s.rowsRejected + s.rowsRemoved + s.rowsMerged,
        );
      }
    }
  });

  it('removes exactly the duplicated rows the generator added, and no others', () => {
    const by = Object.fromEntries(first.pipelines.map((p) => [p.name, p]));
    expect(by.customers).toMatchObject({
      rowsIn: counts.customers,
      rowsRemoved: counts.duplicates.customers,
      rowsRejected: 0,
    });
    expect(by.sales).toMatchObject({
      rowsIn: counts.sales,
      rowsRemoved: counts.duplicates.sales,
      rowsRejected: 0,
    });
    expect(by.sales.steps.find((s) => s.kind === 'dedupe')!.removedReasons).toEqual({
      'duplicate Order Number + Line Item': counts.duplicates.sales,
    });
    const out = Papa.parse<Record<string, string>>(
      readFileSync(join(project, 'out', 'sales.csv'), 'utf8'),
      { header: true, skipEmptyLines: true },
    ).data;
    const keys = new Set(out.map((r) => `${r['Order Number']}/${r['Line Item']}`));
    expect(keys.size).toBe(out.length);
    expect(out.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r['Order Date']))).toBe(true);
  });

  it('runs the same project on the real files with --data, losing no row', () => {
    // The example project's one run on the real data, shared with other tests (read only).
    const { report: rep, dir: real } = exampleRun();
    const tables = rep.pipelines.filter((p) =>
      ['customers', 'exchange_rates', 'products', 'sales', 'stores'].includes(p.name),
    );
    expect(
      tables.map((p) => [p.name, p.rowsIn, p.rowsOut, p.rowsRejected, p.rowsRemoved]).sort(),
    ).toEqual([
      ['customers', 15266, 15266, 0, 0],
      ['exchange_rates', 11215, 11215, 0, 0],
      ['products', 2517, 2517, 0, 0],
      ['sales', 62884, 62884, 0, 0],
      ['stores', 67, 67, 0, 0],
    ]);
    expect(tables[0].source).toMatchObject({
      path: join(SHARED, 'Customers.csv'),
      encoding: 'windows-1252',
    });
    // The five tables are in the project's SQLite database too, with the source's row counts.
    const dbFile = new Database(join(real, 'out', 'global-electronics.sqlite'), {
      readonly: true,
    });
    const count = (t: string) =>
      (dbFile.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    expect(TABLES.map(count)).toEqual([15266, 11215, 2517, 62884, 67]);
    dbFile.close();
    // The one store without a size stays without one; it is not invented.
    const stores = Papa.parse<Record<string, string>>(
      readFileSync(join(real, 'out', 'stores.csv'), 'utf8'),
      { header: true, skipEmptyLines: true },
    ).data;
    expect(stores.filter((x) => x['Square Meters'] === '')).toHaveLength(1);
  });

  it('prints a readable summary without --json, and stays quiet on stderr when not on a terminal', async () => {
    const r = await sluiceIn(['run', project, '--store', store, '--pipeline', 'stores', '--only']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/run run_\S+: succeeded/);
    expect(r.stdout).toMatch(/stores\s+succeeded\s+20\s+20\s+0\s+0/);
    expect(r.stderr).toBe('');
  });

  it('fails a pipeline whose reject rate is too high: exit 1, no output left behind', async () => {
    const bad = join(dir, 'bad');
    cpSync(project, bad, {
      recursive: true,
      filter: (src) => !src.includes(`${join(project, 'out')}`),
    });
    writeFileSync(
      join(bad, 'pipelines', 'stores.yaml'),
      'name: stores\nsource: {path: Stores.csv}\nmax_reject_rate: 0.01\nsteps:\n  - step: cast\n    columns: {Country: int}\noutputs:\n  - {kind: csv, path: out/stores.csv}\n',
    );
    const r = await sluiceIn([
      'run',
      bad,
      '--json',
      '--store',
      store,
      '--pipeline',
      'stores',
      '--only',
    ]);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as RunReport;
    expect(rep.status).toBe('failed');
    expect(rep.pipelines[0].error).toMatchObject({
      code: 'reject_rate',
      message: expect.stringMatching(
        /20 of 20 rows rejected \(100\.00%\), more than the allowed 1\.00%/,
      ),
    });
    expect(existsSync(join(bad, 'out'))).toBe(true);
    expect(readdirSync(join(bad, 'out'))).toEqual([]);
  });
});

describe('sluice validate', () => {
  it('passes the example project against the real files', async () => {
    const r = await sluiceIn(['validate', project, '--data', SHARED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('global-electronics: 16 pipelines, all valid\n');
  });
  it('exits 2 naming file, line, column and path for a bad recipe, and a column the source lacks', async () => {
    const v = join(dir, 'v');
    cpSync(project, v, { recursive: true });
    writeFileSync(
      join(v, 'pipelines', 'stores.yaml'),
      'name: stores\nsource: {path: Stores.csv}\nsteps:\n  - step: dedupe\n    keep: sometimes\n',
    );
    const r = await sluiceIn(['validate', v]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${join(v, 'pipelines', 'stores.yaml')}:5:11 at steps.0.keep: expected one of "first", "last", "none"`,
    );
    writeFileSync(
      join(v, 'pipelines', 'stores.yaml'),
      'name: stores\nsource: {path: Stores.csv}\nsteps:\n  - step: trim\n    columns: [Squaremeters]\n',
    );
    const r2 = await sluiceIn(['validate', v]);
    expect(r2.code).toBe(2);
    // The same mistake found by `run` is a configuration error too.
    const r3 = await sluiceIn(['run', v, '--store', store, '--pipeline', 'stores', '--only']);
    expect(r3.code).toBe(2);
    expect(r3.stdout).toMatch(/stores failed \(config\): .*unknown column "Squaremeters"/);
    expect(r2.stderr).toMatch(
      /stores\.yaml: step 1:trim: unknown column "Squaremeters"; the columns here are: StoreKey, Country, State, Square Meters, Open Date/,
    );
  });
});

describe('the run store from the command line', () => {
  it('lists runs with filters and pages', async () => {
    const all = JSON.parse((await sluiceIn(['runs', '--store', store, '--json'])).stdout);
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(all.items[all.items.length - 1].id).toBe(first.runId);
    const page = JSON.parse(
      (await sluiceIn(['runs', '--store', store, '--json', '--page-size', '1', '--page', '2']))
        .stdout,
    );
    expect(page).toMatchObject({ page: 2, page_size: 1, has_next: true });
    expect(page).not.toHaveProperty('pageSize'); // runs.list's result, not the store's page
    expect(page.items).toHaveLength(1);
    const failed = JSON.parse(
      (await sluiceIn(['runs', '--store', store, '--json', '--status', 'failed'])).stdout,
    );
    expect(failed.items.every((x: { status: string }) => x.status === 'failed')).toBe(true);
    expect(failed.total).toBe(2); // the reject-rate run and the misnamed column
    const stores = JSON.parse(
      (await sluiceIn(['runs', '--store', store, '--json', '--pipeline', 'stores'])).stdout,
    );
    expect(stores.items.every((x: { pipelines: string[] }) => x.pipelines.includes('stores'))).toBe(
      true,
    );
    expect((await sluiceIn(['runs', '--store', store, '--page-size', '500'])).code).toBe(2);
    expect((await sluiceIn(['runs', '--store', store, '--status', 'weird'])).code).toBe(2);
  });

  it('shows logs, the last N lines with --tail', async () => {
    const all = (await sluiceIn(['logs', first.runId, '--store', store])).stdout.trim().split('\n');
    expect(all[0]).toMatch(/INFO {2}run of global-electronics/);
    expect(all.some((l) => /\[customers\] reading .*Customers\.csv \(windows-1252/.test(l))).toBe(
      true,
    );
    const tail = (await sluiceIn(['logs', first.runId, '--store', store, '--tail', '2'])).stdout
      .trim()
      .split('\n');
    expect(tail).toEqual(all.slice(-2));
    expect((await sluiceIn(['logs', 'run_missing', '--store', store])).code).toBe(2);
    const mine = await sluiceIn([
      'logs',
      first.runId,
      '--store',
      store,
      '--pipeline',
      'stores',
      '-f',
    ]);
    expect(mine.code).toBe(0);
    const lines = mine.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.includes('[stores] '))).toBe(true);
    // A finished run: --follow prints what there is and says how the run ended.
    expect(mine.stderr).toBe(`run ${first.runId} succeeded\n`);
  });

  it('writes a run report as JSON or CSV', async () => {
    const file = join(dir, 'report.csv');
    const r = await sluiceIn([
      'report',
      first.runId,
      '--store',
      store,
      '--format',
      'csv',
      '-o',
      file,
    ]);
    expect(r.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows.find((x) => x.pipeline === 'customers')).toMatchObject({
      status: 'succeeded',
      rows_removed: String(counts.duplicates.customers),
    });
    const json = JSON.parse((await sluiceIn(['report', first.runId, '--store', store])).stdout) as {
      run: { id: string };
      pipelines: unknown[];
    };
    expect(json.run.id).toBe(first.runId);
    expect(json.pipelines.length).toBe(rows.length);
    expect(
      (await sluiceIn(['report', first.runId, '--store', store, '--format', 'xml'])).code,
    ).toBe(2);
  });

  it('exports rejected and removed rows with line numbers and raw text', async () => {
    const file = join(dir, 'rejects.csv');
    const r = await sluiceIn(['rejects', first.runId, '--store', store, '--export', file]);
    expect(r.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    // The report's limit keeps the top 50 products: the others are removed rows too.
    const limited = first.pipelines.find((p) => p.name === 'report_top_products')!.rowsRemoved;
    expect(limited).toBeGreaterThan(0);
    expect(rows.filter((x) => x.reason === 'beyond limit 50')).toHaveLength(limited);
    expect(rows).toHaveLength(counts.duplicates.customers + counts.duplicates.sales + limited);
    const sale = rows.find((x) => x.pipeline === 'sales')!;
    expect(sale).toMatchObject({
      kind: 'removed',
      step: '5:dedupe',
      reason: 'duplicate Order Number + Line Item',
    });
    const lines = readFileSync(join(project, 'data', 'Sales.csv'), 'utf8').split('\r\n');
    expect(sale.raw).toBe(lines[Number(sale.line) - 1]);
    expect(JSON.parse(sale.record_json)['Order Number']).toBe(Number(sale.raw.split(',')[0]));
  });
});

describe('import-rules', () => {
  it("turns the earlier system's cleaning rules into a pipeline that runs", async () => {
    const p = join(dir, 'rules');
    const r = await sluiceIn([
      'import-rules',
      join(__dirname, '..', 'fixtures', 'legacy', 'customers_rules.yaml'),
      '--into',
      p,
      '--source',
      join(SHARED, 'Customers.csv'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/column customer_key is CustomerKey in the source/);
    const text = readFileSync(join(p, 'pipelines', 'customers.yaml'), 'utf8');
    expect(text).toMatch(/formats:\n\s+- M\/d\/yyyy\n\s+- M-d-yyyy/);
    expect(text).toMatch(/replacement: Unknown/);
    const run = await sluiceIn(['run', p, '--json', '--store', store]);
    expect(run.code).toBe(0);
    const rep = JSON.parse(run.stdout) as RunReport;
    expect(rep.pipelines[0]).toMatchObject({ rowsIn: 15266, rowsOut: 15266 });
    expect(rep.pipelines[0].steps.map((s) => s.kind)).toEqual([
      'trim',
      'nullify',
      'parse_dates',
      'cast',
      'dedupe',
      'fill_missing',
      'validate',
      'validate',
    ]);
  });
  it('exits 2 when a rule names a column the source does not have', async () => {
    const bad = join(dir, 'bad-rules.yaml');
    writeFileSync(bad, 'cleaning_rules:\n  type_conversions:\n    shoe_size: {target_type: int}\n');
    const r = await sluiceIn([
      'import-rules',
      bad,
      '--into',
      join(dir, 'rules2'),
      '--source',
      join(SHARED, 'Stores.csv'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /rule column "shoe_size" matches no column of the source \(StoreKey, Country/,
    );
  });
});

describe('usage', () => {
  it('exits 2 on unknown commands and options', async () => {
    expect((await sluiceIn(['frobnicate'])).code).toBe(2);
    expect((await sluiceIn(['run'])).code).toBe(2);
    expect((await sluiceIn(['run', project, '--bogus'])).code).toBe(2);
    expect((await sluiceIn(['--help'])).code).toBe(0);
  });
});

describe('sluice demo', () => {
  it('generates the sample data on first use and prints the run summary', async () => {
    const d = join(dir, 'demo');
    cpSync(join(EXAMPLE, 'sluice.yaml'), join(d, 'sluice.yaml'));
    cpSync(join(EXAMPLE, 'pipelines'), join(d, 'pipelines'), { recursive: true });
    const r = await sluiceIn(['demo', '--project', d, '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sample data written to .*: 2005 customers, 300 products, 20 stores/);
    expect(r.stdout).toMatch(/run run_\S+: succeeded/);
    expect(r.stdout).toMatch(/sales\s+succeeded\s+10,000\s+9,981\s+0\s+19/);
    // The generator is deterministic: the same bytes on every machine.
    expect(readFileSync(join(d, 'data', 'Sales.csv'))).toEqual(
      readFileSync(join(project, 'data', 'Sales.csv')),
    );
  });
});

describe('cancel and interruption', () => {
  it('Ctrl-C cancels within a second, records the run as cancelled and writes nothing', async () => {
    const p = join(dir, 'big');
    mkdirSync(join(p, 'pipelines'), { recursive: true });
    await writeBenchSales(join(p, 'sales.csv'), 300_000);
    writeFileSync(join(p, 'sluice.yaml'), 'name: big\n');
    writeFileSync(
      join(p, 'pipelines', 'a.yaml'),
      'name: a\nsource: {path: sales.csv}\nsteps:\n  - step: trim\n  - step: fill_missing\n    columns: {Quantity: mode}\noutputs:\n  - {kind: csv, path: out/a.csv}\n',
    );
    writeFileSync(
      join(p, 'pipelines', 'b.yaml'),
      'name: b\nsource: {path: sales.csv}\noutputs:\n  - {kind: csv, path: out/b.csv}\n',
    );
    const child = spawn(process.execPath, [SLUICE, 'run', p, '--json', '--store', store], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    // Wait until the output's temporary file exists: the run is under way.
    const started = Date.now();
    while (!(existsSync(join(p, 'out')) && readdirSync(join(p, 'out')).length > 0)) {
      if (Date.now() - started > 20_000) throw new Error('the run did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    // Well under a second on an idle machine; room for a busy one.
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(code).toBe(1);
    const rep = JSON.parse(stdout) as RunReport;
    expect(rep.status).toBe('cancelled');
    expect(rep.pipelines.map((x) => [x.name, x.status])).toEqual([
      ['a', 'cancelled'],
      ['b', 'cancelled'],
    ]);
    expect(readdirSync(join(p, 'out'))).toEqual([]);
    const listed = JSON.parse(
      (await sluiceIn(['runs', '--store', store, '--json', '--status', 'cancelled'])).stdout,
    );
    expect(listed.items[0].id).toBe(rep.runId);
  }, 180_000);

  it('a temporary file left by a killed run is removed by the next run', async () => {
    const p = join(dir, 'stale');
    cpSync(project, p, { recursive: true, filter: (src) => !src.includes(join(project, 'out')) });
    mkdirSync(join(p, 'out'), { recursive: true });
    // pid 2^22+1 is above Linux's default pid_max, so no process has it.
    writeFileSync(join(p, 'out', '.stores.csv.4194305.1700000000000.tmp'), 'half a file');
    expect(
      (await sluiceIn(['run', p, '--store', store, '--pipeline', 'stores', '--only'])).code,
    ).toBe(0);
    const left = readdirSync(join(p, 'out'));
    expect(left).toContain('stores.csv');
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('progress', () => {
  it('shows a progress bar with rows and rows/s on a terminal', async () => {
    const p = join(dir, 'tty');
    mkdirSync(join(p, 'pipelines'), { recursive: true });
    await writeBenchSales(join(p, 'sales.csv'), 400_000);
    writeFileSync(join(p, 'sluice.yaml'), 'name: tty\n');
    writeFileSync(
      join(p, 'pipelines', 'a.yaml'),
      'name: a\nsource: {path: sales.csv}\nsteps:\n  - step: trim\noutputs:\n  - {kind: csv, path: out/a.csv}\n',
    );
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    const r = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${SLUICE}" run "${p}" --store "${store}"`, '/dev/null'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[K\[#*\.*\] a: [\d,]+ rows, [\d,]+ rows\/s/);
    expect(r.stdout).toMatch(/run run_\S+: succeeded/);
  }, 180_000);
});
