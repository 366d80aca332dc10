/**
 * `engine: postgres` through the real `sluice` command and the real server: the same project run
 * with each engine gives the same outputs (a CSV file and an upsert into a PostgreSQL table) and
 * the same books step by step; the rows the steps rejected or removed land in sluice_rejects on
 * the server and in the run store; a step that cannot run in SQL is named by `sluice validate`
 * and fails the run before anything is read or written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { query, testSchema } from '../helpers/pg';
import { makeProject } from '../helpers/project';

const ORDERS = [
  'id,name,qty,city',
  '1, a ,3,X',
  '2,b,x,Y', // qty is not a whole number: cast rejects it
  '3,c,5,X',
  '3,c,5,X', // a duplicate id: dedupe removes it
  '4,d,7,Z', // city Z is not allowed: validate rejects it
  '5,e,-1,X', // qty not above 0: filter removes it
  '6,f,2', // a field short: rejected at reading
  '7,"g, h",4,Y',
  '',
].join('\n');

const local = testSchema();
const server = testSchema();

function project(schema: string, engine: string): string {
  const dir = makeProject(
    {
      orders:
        `engine: ${engine}\nsource: {path: small.csv}\nsteps:\n` +
        `  - step: trim\n` +
        `  - step: cast\n    columns: {id: int, qty: int}\n    on_error: reject\n` +
        `  - step: dedupe\n    key: [id]\n` +
        `  - step: filter\n    where: qty > 0\n` +
        `  - step: validate\n    rules:\n      - {column: city, allowed: [X, Y]}\n` +
        `outputs:\n  - {kind: csv, path: out/orders.csv}\n` +
        `  - {kind: postgres, schema: ${schema}, table: orders, mode: upsert, key: [id]}\n`,
      by_city:
        `engine: ${engine}\ndepends_on: [orders]\nsource: {pipeline: orders}\nsteps:\n` +
        `  - step: aggregate\n    group_by: [city]\n    aggregations:\n` +
        `      - {column: qty, fn: sum, as: qty}\n      - {column: id, fn: count, as: orders}\n` +
        `outputs:\n  - {kind: csv, path: out/by_city.csv}\n`,
    },
    { name: `engine_${engine}`, smallCsv: ORDERS },
  );
  return dir;
}

async function run(dir: string, ...args: string[]): Promise<RunReport> {
  const r = await sluiceIn(['run', dir, '--json', ...args]);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as RunReport;
}

/** What the books say, without times and cell counts (SQL does not count changed cells). */
function books(p: PipelineReport) {
  return {
    status: p.status,
    rows: [p.rowsIn, p.rowsOut, p.rowsRejected, p.rowsRemoved, p.rowsMerged, p.rowsAdded],
    steps: p.steps.map((s) => ({
      name: s.name,
      rows: [s.rowsIn, s.rowsOut, s.rowsRejected, s.rowsRemoved, s.rowsMerged, s.rowsAdded],
      removedReasons: s.removedReasons,
    })),
  };
}

let localDir: string;
let serverDir: string;
let localRun: RunReport;
let serverRun: RunReport;

beforeAll(async () => {
  localDir = project(local, 'local');
  serverDir = project(server, 'postgres');
  localRun = await run(localDir);
  serverRun = await run(serverDir);
}, 120_000);

describe('engine: postgres', () => {
  it('gives the outputs and the books of the local engine', async () => {
    expect(serverRun.status).toBe('succeeded');
    expect(localRun.status).toBe('succeeded');
    for (const name of ['orders', 'by_city']) {
      const [l, s] = [localRun, serverRun].map((r) => r.pipelines.find((p) => p.name === name)!);
      expect(books(s)).toEqual(books(l));
      const file = `out/${name}.csv`;
      expect(readFileSync(join(serverDir, file), 'utf8')).toBe(
        readFileSync(join(localDir, file), 'utf8'),
      );
    }
    const orders = serverRun.pipelines.find((p) => p.name === 'orders')!;
    // 8 rows: 1 short at reading, 1 cast, 1 duplicate, 1 filtered, 1 invalid city; 3 left.
    expect(orders.rowsIn).toBe(8);
    expect([orders.rowsRejected, orders.rowsRemoved, orders.rowsOut]).toEqual([3, 2, 3]);
    const table = (schema: string) =>
      query(`SELECT id, name, qty, city FROM "${schema}".orders ORDER BY id`);
    expect(await table(server)).toEqual(await table(local));
    expect((await table(server)).map((r) => r.name)).toEqual(['a', 'c', 'g, h']);
  });

  it('keeps the rejected and removed rows in sluice_rejects and the run store', async () => {
    const rows = await query<{
      step: string;
      error_type: string;
      message: string;
      record: object;
      line: string;
    }>(
      `SELECT step, error_type, message, record, line FROM "${server}".sluice_rejects
       WHERE run_id = $1 AND pipeline = 'orders' ORDER BY step`,
      [serverRun.runId],
    );
    // Each with its line in small.csv (the header is line 1), as the local engine gives it.
    expect(rows.map((r) => [r.step, r.error_type, r.message, Number(r.line)])).toEqual([
      ['2:cast', 'cast', 'a value is not of its column type', 3],
      ['3:dedupe', 'removed', 'duplicate id', 5],
      ['4:filter', 'removed', 'filter: qty > 0', 7],
      ['5:validate', 'validate', 'fails a rule', 6],
    ]);
    expect(rows[0].record).toEqual({ id: '2', name: 'b', qty: 'x', city: 'Y' });
    const r = await sluiceIn([
      'rejects',
      serverRun.runId,
      '--json',
      '--store',
      join(serverDir, 'store.db'),
    ]);
    const listed = JSON.parse(r.stdout) as { total: number; items: { line: number }[] };
    // The reading reject and the four the steps dropped, with the lines of the local run's.
    expect(listed.total).toBe(5);
    const lines = (x: { items: { line: number }[] }) => x.items.map((i) => i.line).sort();
    const locally = await sluiceIn([
      'rejects',
      localRun.runId,
      '--json',
      '--store',
      join(localDir, 'store.db'),
    ]);
    expect(lines(listed)).toEqual(
      lines(JSON.parse(locally.stdout) as { items: { line: number }[] }),
    );
  });

  it('names a step that runs only locally, and fails the run before reading', async () => {
    const dir = makeProject(
      {
        few: `engine: postgres\nsource: {path: small.csv}\nsteps:\n  - step: trim\n  - step: replace\n    columns: [city]\n    regex: 'X+'\n    with: x\noutputs:\n  - {kind: csv, path: out/few.csv}\n`,
      },
      { name: 'local_only', smallCsv: ORDERS },
    );
    const v = await sluiceIn(['validate', dir]);
    expect(v.code).not.toBe(0);
    expect(v.stdout + v.stderr).toContain(
      'pipelines/few.yaml: step 2 (replace) runs only with the local engine',
    );
    const report = await run(dir);
    const few = report.pipelines[0];
    expect(few.status).toBe('failed');
    expect(few.error?.message).toContain('step 2 (replace) runs only with the local engine');
    expect(few.rowsIn).toBe(0);
    expect(existsSync(join(dir, 'out', 'few.csv'))).toBe(false);
    // --engine local runs it here.
    expect((await run(dir, '--engine', 'local')).status).toBe('succeeded');
  });

  it('sample keeps the same rows on the server, and books what it left out with its reason', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i},n${i},${i % 9},${'XYZ'[i % 3]}`);
    const csv = ['id,name,qty,city', ...rows, ''].join('\n');
    const dirs = ['local', 'postgres'].map((engine) =>
      makeProject(
        {
          picked:
            `engine: ${engine}\nsource: {path: small.csv}\nsteps:\n` +
            `  - step: filter\n    where: city <> "Z"\n` +
            `  - step: sample\n    fraction: 0.4\n    seed: 11\n` +
            `  - step: sample\n    rows: 25\n    seed: 3\n` +
            `outputs:\n  - {kind: csv, path: out/picked.csv}\n`,
        },
        { name: `sample_${engine}`, smallCsv: csv },
      ),
    );
    const [l, p] = await Promise.all(dirs.map((d) => run(d)));
    expect(p.status).toBe('succeeded');
    expect(books(p.pipelines[0])).toEqual(books(l.pipelines[0]));
    const out = dirs.map((d) => readFileSync(join(d, 'out', 'picked.csv'), 'utf8'));
    expect(out[1]).toBe(out[0]);
    expect(out[0].trim().split('\n')).toHaveLength(26);
    const steps = books(p.pipelines[0]).steps;
    expect(steps[1].removedReasons).toEqual({ 'not in the 0.4 sample': steps[1].rows[3] });
    expect(steps[2].removedReasons).toEqual({ 'not among the 25 sampled rows': steps[2].rows[3] });
    const kept = await query<{ n: string }>(
      `SELECT count(*) AS n FROM sluice.sluice_rejects WHERE run_id = $1 AND step LIKE '%sample'`,
      [p.runId],
    );
    expect(Number(kept[0].n)).toBe(steps[1].rows[3] + steps[2].rows[3]);
  });

  it("a join's forbid_fan_out stops the run at the same row as the local engine, writing nothing", async () => {
    const CITIES = 'city,country\nX,Xland\nY,Yland\nZ,Zland\n';
    const dir = (cities: string, engine: string): string => {
      const d = makeProject(
        {
          cities: `source: {path: cities.csv}\noutputs:\n  - {kind: csv, path: out/cities.csv}\n`,
          placed:
            `engine: ${engine}\ndepends_on: [cities]\nsource: {path: small.csv}\nsteps:\n` +
            `  - step: trim\n` +
            `  - step: join\n    with: {pipeline: cities}\n    on: [city]\n    how: left\n    forbid_fan_out: true\n` +
            `outputs:\n  - {kind: csv, path: out/placed.csv}\n`,
        },
        { name: `fan_${engine}`, smallCsv: ORDERS },
      );
      writeFileSync(join(d, 'cities.csv'), cities);
      return d;
    };
    const ok = ['local', 'postgres'].map((e) => dir(CITIES, e));
    const reports = await Promise.all(ok.map((d) => run(d)));
    for (const r of reports) expect(r.status).toBe('succeeded');
    const csv = ok.map((d) => readFileSync(join(d, 'out', 'placed.csv'), 'utf8'));
    expect(csv[1]).toBe(csv[0]);
    expect(csv[0]).toContain('Xland');
    // Y twice: the first order in Y (line 3) matches two rows.
    const fan = ['local', 'postgres'].map((e) => dir(CITIES + 'Y,Yonder\n', e));
    const failed = await Promise.all(fan.map((d) => run(d)));
    const placed = failed.map((r) => r.pipelines.find((p) => p.name === 'placed')!);
    for (const p of placed) expect(p.status).toBe('failed');
    expect(placed[0].error?.message).toContain(
      'step 2:join: the key on line 3 matches 2 rows in pipeline cities, and fan-out is forbidden',
    );
    expect(placed[1].error?.message).toBe(placed[0].error?.message);
    for (const d of fan) expect(existsSync(join(d, 'out', 'placed.csv'))).toBe(false);
  });

  it('sluice explain names the temporary tables a run stages its files into', async () => {
    const r = await sluiceIn(['explain', serverDir, '--pipeline', 'by_city', '--json']);
    const out = JSON.parse(r.stdout) as {
      sql: string;
      inputs: { input: string; relation: string }[];
    };
    expect(out.inputs).toEqual([{ input: 'pipeline orders', relation: 'pg_temp."src"' }]);
    expect(out.sql).toContain('FROM pg_temp."src"');
    expect(out.sql).toContain('ORDER BY "_sluice_line"');
  });

  it('a resumed run keeps the engine its run was given, unless --engine says otherwise', async () => {
    const dir = makeProject(
      {
        few: `engine: local\nsource: {path: small.csv}\nsteps:\n  - step: trim\n  - step: replace\n    columns: [city]\n    regex: 'X+'\n    with: x\noutputs:\n  - {kind: csv, path: out/few.csv}\n`,
      },
      { name: 'resume_engine', smallCsv: ORDERS },
    );
    // Run on the server, where a regular expression cannot run: the run fails and records its engine.
    const first = await run(dir, '--engine', 'postgres');
    expect(first.pipelines[0].status).toBe('failed');
    const runs = (id: string) =>
      sluiceIn(['runs', '--json', '--store', join(dir, 'store.db')]).then((r) =>
        (JSON.parse(r.stdout) as { items: { id: string; engine: string | null }[] }).items.find(
          (x) => x.id === id,
        )!,
      );
    expect((await runs(first.runId)).engine).toBe('postgres');
    // Resumed without --engine: on the server again, so it fails the same way.
    const again = await run(dir, '--resume', first.runId);
    expect(again.pipelines[0].error?.message).toContain('runs only with the local engine');
    expect((await runs(again.runId)).engine).toBe('postgres');
    // --engine local wins over the recorded one.
    const local = await run(dir, '--resume', again.runId, '--engine', 'local');
    expect(local.status).toBe('succeeded');
    expect((await runs(local.runId)).engine).toBe('local');
    expect(existsSync(join(dir, 'out', 'few.csv'))).toBe(true);
  });

  it('--engine postgres runs a local pipeline on the server; defaults.engine sets the project', async () => {
    const dir = project(testSchema(), 'local');
    const forced = await run(dir, '--engine', 'postgres', '--pipeline', 'orders', '--only');
    expect(forced.status).toBe('succeeded');
    const bySetting = project(testSchema(), 'local');
    writeFileSync(
      join(bySetting, 'sluice.yaml'),
      `name: by_setting\nstore: store.db\ndefaults: {engine: postgres}\n`,
    );
    // The pipeline's own engine: local wins over the project's default.
    for (const name of ['orders', 'by_city'])
      writeFileSync(
        join(bySetting, 'pipelines', `${name}.yaml`),
        readFileSync(join(bySetting, 'pipelines', `${name}.yaml`), 'utf8').replace(
          'engine: local\n',
          '',
        ),
      );
    const byDefault = await run(bySetting);
    expect(byDefault.status).toBe('succeeded');
    expect(books(byDefault.pipelines[0])).toEqual(books(localRun.pipelines[0]));
    const log = await sluiceIn(['logs', byDefault.runId, '--store', join(bySetting, 'store.db')]);
    expect(log.stdout).toContain('(engine postgres)');
  });
});
