/**
 * One service, three faces: every CLI command that has an API twin, run with --json, prints
 * exactly what the same method answers over HTTP (the real server, on the same project and
 * run store), field for field. The tables below say which command asks which method; the test
 * fails when a command or a method is added without a row, or when an answer drifts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METHODS,
  type ApiEvent,
  type MethodName,
  type Result,
} from '../../src-shared/api/contract';
import { httpRequestOf } from '../../src-shared/api/http-client';
import type { RunReport } from '../../src-shared/recipe/result';
import { buildProgram } from '../../src-main/cli/main';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** Which methods each command asks. */
const TWINS: Record<string, MethodName[]> = {
  runs: ['runs.list', 'runs.get', 'runs.recipe'],
  logs: ['logs.get'],
  report: ['reports.export', 'reports.download'],
  export: ['outputs.download'],
  rejects: ['rejects.list', 'rejects.export', 'rejects.retry'],
  run: ['runs.start', 'runs.resume'],
  backfill: ['runs.backfill'],
  validate: ['pipelines.validate'],
  project: ['project.get'],
  pipeline: ['pipelines.get', 'pipelines.save', 'pipelines.check'],
  versions: ['pipelines.versions', 'pipelines.version'],
  preview: ['pipelines.preview', 'pipelines.previewRows', 'pipelines.previewFind'],
  columns: ['pipelines.columns'],
  explain: ['pipelines.explain'],
  expr: ['pipelines.checkExpression'],
  'join-counts': ['pipelines.joinCounts'],
  metrics: ['metrics.summary'],
  outputs: ['metadata.outputs'],
  inspect: ['imports.inspect'],
  add: ['imports.create'],
  profile: ['profiles.get', 'pipelines.profile', 'pipelines.clusters'],
  connections: ['connections.list', 'connections.save', 'connections.remove', 'connections.test'],
};

/** Methods no command asks, and why. */
const NO_COMMAND: Partial<Record<MethodName, string>> = {
  health: 'sluice --version says the version; a command names its project',
  'projects.recent': "the desktop app's recent projects; every command names its project folder",
  'projects.open': 'the same: a command opens the project folder it is given',
  'files.upload': 'HTTP only (a browser sends the bytes); commands read files where they are',
  'runs.cancel': "Ctrl-C on sluice run asks runs.cancel of the run's own service",
  'outputs.list': "the window's Outputs view; sluice outputs lists what each pipeline wrote",
  'outputs.page': "the Outputs view's grid; sluice export writes a whole output, to open anywhere",
};

/**
 * Commands twinned with a method whose answer is a file: over HTTP the file itself, which the
 * command writes where it is told. Checked below: the same bytes both ways.
 */
const BY_FILE = ['report reports.download', 'export outputs.download'];

/**
 * Commands whose --json is not one method's result: run and backfill wait for their runs and
 * print the runs' summary documents (checked below against the same runs started over HTTP);
 * profile without --project profiles any file, outside a project; bench measures this computer.
 */
const JSON_OF_THEIR_OWN = ['run', 'backfill', 'profile', 'bench'];

const KEY = 'parity-key';
const B_YAML =
  'name: b\nsource: {pipeline: a}\nsteps:\n  - step: filter\n    where: v > 15\noutputs:\n  - {kind: csv, path: out/b.csv}\n';
const dir = tempDir();
const store = join(dir, 'store.db');
// Saved connections are the user's: this file's CLI processes and server share a data folder.
process.env.SLUICE_HOME = join(dir, 'home');
let service: SluiceService;
let server: RunningServer;
let runId = '';
const events: ApiEvent[] = [];

/**
 * Calls `method` over HTTP, on a new connection each time: a kept-alive one may be closed by
 * the server while a CLI process runs, between two calls.
 */
async function http<M extends MethodName>(
  method: M,
  params: Record<string, unknown> = {},
): Promise<Result<M>> {
  const req = httpRequestOf(method, params);
  const { status, body } = await new Promise<{ status: number; body: string }>((done, fail) => {
    const r = request(
      server.url + req.path,
      {
        method: req.verb,
        agent: false,
        headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    r.end(req.body);
  });
  if (status !== 200) throw new Error(`${method}: ${status}: ${body}`);
  return JSON.parse(body) as Result<M>;
}

function cli(argv: string[]): unknown {
  const r = sluice(argv);
  if (r.code !== 0) throw new Error(`sluice ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

/** Resolves once `n` runs have ended, counting from now (the server's run.state events). */
function runsEnded(n: number): Promise<string[]> {
  const from = events.length;
  return new Promise((resolve) => {
    const check = (): void => {
      const ended = events
        .slice(from)
        .filter((e) => e.type === 'run.state' && e.status !== 'running')
        .map((e) => (e as { run_id: string }).run_id);
      if (ended.length >= n) {
        stop();
        resolve(ended);
      }
    };
    const stop = service.subscribe(() => queueMicrotask(check));
  });
}

beforeAll(async () => {
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: parity\nstore: store.db\nworkers: 1\n');
  writeFileSync(join(dir, 'small.csv'), 'id,v\n1,10\n2,20\n3,oops\n4,40\n');
  writeFileSync(
    join(dir, 'pipelines', 'a.yaml'),
    'name: a\nsource: {path: small.csv}\nsteps:\n  - step: cast\n    columns: {v: int}\n    on_error: reject\noutputs:\n  - {kind: csv, path: out/a.csv}\n',
  );
  writeFileSync(join(dir, 'pipelines', 'b.yaml'), B_YAML);
  // b with a join on a's output, unsaved: for join-counts.
  writeFileSync(
    join(dir, 'b-join.yaml'),
    'name: b\nsource: {pipeline: a}\nsteps:\n  - step: filter\n    where: v > 15\n  - step: join\n    with: {csv: small.csv}\n    on: [id]\noutputs:\n  - {kind: csv, path: out/b.csv}\n',
  );
  const run = cli(['run', dir, '--json']) as RunReport;
  expect(run.status).toBe('succeeded');
  runId = run.runId;
  // As `sluice serve --allow-connections`: connections.save, remove and test are served too.
  service = await SluiceService.open(dir, { manageConnections: true });
  service.subscribe((e) => events.push(e));
  server = await serve(service, { port: 0, apiKey: KEY });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await service?.close();
});

interface Case {
  method: MethodName;
  argv: () => string[];
  params: () => Record<string, unknown>;
  /** Fields that differ between two computations of the same thing (timings). */
  volatile?: (x: Record<string, unknown>) => void;
  /** Puts back what the command changed, so the method meets what the command met. */
  again?: () => Promise<unknown>;
}

/** A saved connection to this machine's PostgreSQL, as the CLI and the API give it. */
const PG = { name: 'pg', host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' };
const PG_FLAGS = ['--host', PG.host, '--database', PG.database, '--user', PG.user];

/** The start of the sha256 of recipe b as written below, which the save cases keep a version of. */
const B_HASH = createHash('sha256').update(B_YAML).digest('hex').slice(0, 16);

const CASES: Case[] = [
  { method: 'runs.list', argv: () => ['runs', '--store', store, '--json'], params: () => ({}) },
  {
    method: 'runs.list',
    argv: () => ['runs', '--project', dir, '--status', 'succeeded', '--page-size', '1', '--json'],
    params: () => ({ status: 'succeeded', page_size: 1 }),
  },
  {
    method: 'runs.get',
    argv: () => ['runs', runId, '--store', store, '--json'],
    params: () => ({ run_id: runId }),
  },
  {
    method: 'runs.recipe',
    argv: () => ['runs', runId, '--recipe', 'a', '--store', store, '--json'],
    params: () => ({ run_id: runId, pipeline: 'a' }),
  },
  {
    method: 'logs.get',
    argv: () => ['logs', runId, '--store', store, '--json'],
    params: () => ({ run_id: runId }),
  },
  {
    method: 'logs.get',
    argv: () => ['logs', runId, '--project', dir, '--pipeline', 'a', '--tail', '2', '--json'],
    params: () => ({ run_id: runId, pipeline: 'a', tail: 2 }),
  },
  {
    method: 'rejects.list',
    argv: () => ['rejects', runId, '--store', store, '--json'],
    params: () => ({ run_id: runId }),
  },
  {
    method: 'rejects.export',
    argv: () => ['rejects', runId, '--project', dir, '--export', join(dir, 'r.csv'), '--json'],
    params: () => ({ run_id: runId }),
  },
  {
    method: 'rejects.retry',
    argv: () => ['rejects', runId, '--store', store, '--retry', '--json'],
    params: () => ({ run_id: runId }),
  },
  {
    method: 'reports.export',
    argv: () => ['report', runId, '--store', store, '--json'],
    params: () => ({ run_id: runId }),
  },
  {
    method: 'reports.export',
    argv: () => ['report', runId, '--project', dir, '--format', 'csv', '--json'],
    params: () => ({ run_id: runId, format: 'csv' }),
  },
  { method: 'pipelines.validate', argv: () => ['validate', dir, '--json'], params: () => ({}) },
  { method: 'project.get', argv: () => ['project', dir, '--json'], params: () => ({}) },
  {
    method: 'pipelines.get',
    argv: () => ['pipeline', dir, 'b', '--json'],
    params: () => ({ name: 'b' }),
  },
  {
    method: 'pipelines.save',
    argv: () => ['pipeline', dir, 'b', '--save', join(dir, 'pipelines', 'b.yaml'), '--json'],
    params: () => ({ name: 'b', yaml: readFileSync(join(dir, 'pipelines', 'b.yaml'), 'utf8') }),
  },
  {
    method: 'pipelines.check',
    argv: () => ['pipeline', dir, 'b', '--check', join(dir, 'pipelines', 'b.yaml'), '--json'],
    params: () => ({ name: 'b', yaml: B_YAML }),
  },
  {
    method: 'pipelines.versions',
    argv: () => ['versions', dir, '--pipeline', 'b', '--json'],
    params: () => ({ name: 'b' }),
  },
  {
    method: 'pipelines.version',
    argv: () => ['versions', dir, '--pipeline', 'b', '--show', B_HASH, '--json'],
    params: () => ({ name: 'b', hash: B_HASH }),
  },
  {
    method: 'pipelines.preview',
    argv: () => ['preview', dir, 'a', '1', '--json'],
    params: () => ({ name: 'a', step: 1 }),
    volatile: (x) => delete (x.counts as Record<string, unknown>).ms,
  },
  {
    method: 'pipelines.previewRows',
    argv: () => ['preview', dir, 'a', '1', '--side', 'dropped', '--limit', '10', '--json'],
    params: () => ({ name: 'a', step: 1, side: 'dropped', limit: 10 }),
  },
  {
    method: 'pipelines.columns',
    argv: () => ['columns', dir, 'b', '--json'],
    params: () => ({ name: 'b' }),
  },
  {
    method: 'pipelines.explain',
    argv: () => ['explain', dir, '--pipeline', 'b', '--json'],
    params: () => ({ name: 'b' }),
  },
  {
    method: 'pipelines.checkExpression',
    argv: () => ['expr', dir, 'b', '1', 'v * 2 > id', '--json'],
    params: () => ({ name: 'b', step: 1, expression: 'v * 2 > id' }),
  },
  {
    method: 'pipelines.joinCounts',
    argv: () => ['join-counts', dir, 'b', '2', '--recipe', join(dir, 'b-join.yaml'), '--json'],
    params: () => ({ name: 'b', step: 2, yaml: readFileSync(join(dir, 'b-join.yaml'), 'utf8') }),
  },
  {
    method: 'pipelines.previewFind',
    argv: () => ['preview', dir, 'a', '1', '--find', 'dropped', '--offset', '1', '--json'],
    params: () => ({ name: 'a', step: 1, side: 'before', what: 'dropped', from: 1 }),
  },
  {
    // Under facets the row found is a place among the matching rows (id 3 is the first).
    method: 'pipelines.previewFind',
    argv: () => [
      'preview',
      dir,
      'a',
      '1',
      '--find',
      'dropped',
      '--facet',
      'id=3',
      '--facet',
      'id=4',
      '--json',
    ],
    params: () => ({
      name: 'a',
      step: 1,
      side: 'before',
      what: 'dropped',
      facets: [{ kind: 'values', column: 'id', values: ['3', '4'] }],
    }),
  },
  {
    method: 'pipelines.previewRows',
    argv: () => [
      'preview',
      dir,
      'a',
      '1',
      '--side',
      'after',
      '--facet',
      'v=20',
      '--facet',
      'v=40',
      '--json',
    ],
    params: () => ({
      name: 'a',
      step: 1,
      side: 'after',
      facets: [{ kind: 'values', column: 'v', values: ['20', '40'] }],
    }),
  },
  { method: 'metrics.summary', argv: () => ['metrics', dir, '--json'], params: () => ({}) },
  { method: 'metadata.outputs', argv: () => ['outputs', dir, '--json'], params: () => ({}) },
  {
    method: 'imports.inspect',
    argv: () => ['inspect', dir, join(dir, 'small.csv'), '--rows', '3', '--json'],
    params: () => ({ path: 'small.csv', rows: 3 }),
  },
  {
    method: 'imports.inspect',
    argv: () => ['inspect', dir, join(dir, 'small.csv'), '--rows', '1', '--key', 'v', '--json'],
    params: () => ({ path: 'small.csv', rows: 1, key: ['v'] }),
  },
  {
    method: 'imports.create',
    argv: () => ['add', dir, join(dir, 'small.csv'), '--name', 'c', '--replace', '--json'],
    params: () => ({ path: 'small.csv', name: 'c', replace: true }),
  },
  {
    method: 'profiles.get',
    argv: () => ['profile', join(dir, 'small.csv'), '--project', dir],
    params: () => ({ path: 'small.csv' }),
  },
  {
    method: 'pipelines.profile',
    argv: () => [
      'profile',
      dir,
      '--pipeline',
      'a',
      '--step',
      '1',
      '--side',
      'before',
      '--facet',
      'v=oops',
      '--facet',
      'id=3',
      '--facet',
      'id=4',
      '--json',
    ],
    params: () => ({
      name: 'a',
      step: 1,
      side: 'before',
      facets: [
        { kind: 'values', column: 'v', values: ['oops'] },
        { kind: 'values', column: 'id', values: ['3', '4'] },
      ],
    }),
  },
  {
    method: 'pipelines.clusters',
    argv: () => [
      'profile',
      dir,
      '--pipeline',
      'a',
      '--step',
      '1',
      '--side',
      'before',
      '--clusters',
      'v',
      '--method',
      'ngram',
      '--json',
    ],
    params: () => ({ name: 'a', step: 1, side: 'before', column: 'v', method: 'ngram' }),
  },
  {
    method: 'connections.save',
    argv: () => ['connections', 'add', 'pg', ...PG_FLAGS, '--json'],
    params: () => ({ ...PG, exists: false }),
    again: () => http('connections.remove', { name: 'pg' }),
  },
  {
    method: 'connections.save',
    argv: () => ['connections', 'edit', 'pg', '--port', '5432', '--json'],
    params: () => ({ ...PG, sslmode: 'disable', exists: true }),
  },
  { method: 'connections.list', argv: () => ['connections', '--json'], params: () => ({}) },
  {
    method: 'connections.test',
    argv: () => ['connections', 'test', 'pg', '--json'],
    params: () => ({ name: 'pg' }),
  },
  {
    method: 'connections.remove',
    argv: () => ['connections', 'remove', 'pg', '--json'],
    params: () => ({ name: 'pg' }),
    again: () => http('connections.save', PG),
  },
];

describe('the tables cover the CLI and the contract', () => {
  it('maps every method to a command, or says why none', () => {
    const mapped = Object.values(TWINS).flat();
    for (const m of Object.keys(METHODS) as MethodName[])
      expect(mapped.includes(m) !== m in NO_COMMAND, `${m}: in TWINS or in NO_COMMAND, once`).toBe(
        true,
      );
    expect(new Set(mapped).size).toBe(mapped.length);
  });

  it('lists every command that prints JSON', () => {
    const withJson = buildProgram()
      .commands.filter((c) => c.options.some((o) => o.long === '--json'))
      .map((c) => c.name());
    for (const c of withJson)
      expect(c in TWINS || JSON_OF_THEIR_OWN.includes(c), `sluice ${c} --json`).toBe(true);
    for (const c of Object.keys(TWINS))
      expect(
        buildProgram().commands.some((x) => x.name() === c),
        `sluice ${c}`,
      ).toBe(true);
  });

  it('checks every pair of command and method below', () => {
    const checked = new Set(CASES.map((c) => `${c.argv()[0]} ${c.method}`));
    const byRunning = ['run runs.start', 'run runs.resume', 'backfill runs.backfill'];
    for (const [command, methods] of Object.entries(TWINS))
      for (const m of methods)
        expect(
          checked.has(`${command} ${m}`) ||
            byRunning.includes(`${command} ${m}`) ||
            BY_FILE.includes(`${command} ${m}`),
        ).toBe(true);
    for (const c of CASES) expect(TWINS[c.argv()[0]]).toContain(c.method);
  });
});

describe('the CLI with --json answers what the API answers', () => {
  for (const c of CASES)
    it(`sluice ${c.argv()[0]} = ${c.method} (${c.argv().slice(2).join(' ')})`, async () => {
      const fromCli = cli(c.argv()) as Record<string, unknown>;
      await c.again?.();
      const fromApi = (await http(c.method, c.params())) as Record<string, unknown>;
      c.volatile?.(fromCli);
      c.volatile?.(fromApi);
      expect(fromCli).toEqual(fromApi);
    }, 180_000);
});

describe('the CLI writes the file the API sends', () => {
  /** The body of a file method's answer over HTTP, and its headers. */
  async function file(method: MethodName, params: Record<string, unknown>) {
    const res = await fetch(server.url + httpRequestOf(method, params).path, {
      headers: { 'X-API-Key': KEY },
    });
    expect(res.status).toBe(200);
    return { bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
  }

  it('sluice report --format csv --pipeline = reports.download, byte for byte', async () => {
    const out = join(dir, 'summary-b.csv');
    cli([
      'report',
      runId,
      '--store',
      store,
      '--format',
      'csv',
      '--pipeline',
      'b',
      '-o',
      out,
      '--json',
    ]);
    const api = await file('reports.download', { run_id: runId, format: 'csv', pipeline: ['b'] });
    expect(api.type).toBe('text/csv; charset=utf-8');
    expect(readFileSync(out)).toEqual(api.bytes);
  });

  it('sluice export = outputs.download, byte for byte', async () => {
    const out = join(dir, 'export-b.csv');
    const printed = cli([
      'export',
      runId,
      '--store',
      store,
      '--pipeline',
      'b',
      '-o',
      out,
      '--json',
    ]);
    expect(printed).toMatchObject({
      path: out,
      temporary: false,
      content_type: 'text/csv; charset=utf-8',
    });
    const api = await file('outputs.download', { run_id: runId, pipeline: 'b', format: 'csv' });
    expect(readFileSync(out)).toEqual(api.bytes);
  });
});

/** What two runs of the same thing share: all but ids and times. */
function books(r: Result<'runs.get'>): unknown {
  const { id: _id, started_at: _s, finished_at: _f, ...run } = r.run;
  // Times are not books: a step's own time over 4 rows is 0 ms in one run and 1 in another.
  return {
    run,
    tasks: r.tasks.map(({ started_at: _s2, finished_at: _f2, worker: _w, ...t }) => ({
      ...t,
      steps: t.steps.map(({ ms: _ms, ...s }) => s),
    })),
  };
}

describe('without --json, the same answers in words', () => {
  it("sluice preview prints the step's counts over every row and the rows it dropped", () => {
    const r = sluice(['preview', dir, 'a', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('step 1, cast');
    expect(r.stdout).toContain('over every row: 4 in, 3 out, 1 rejected, 0 removed');
    expect(r.stdout).toMatch(/1 rows rejected or removed:[\s\S]*\b4\s+reject/);
  });

  it('sluice inspect --key says whether the key is unique over every row, and an example', () => {
    const unique = sluice(['inspect', dir, join(dir, 'small.csv'), '--key', 'id']);
    expect(unique.code, unique.stderr).toBe(0);
    expect(unique.stdout).toContain('key id: unique over all 4 rows');
    expect(unique.stdout).toMatch(/- step: dedupe\n\s+key:\n\s+- id\n/);
    writeFileSync(join(dir, 'repeats.csv'), 'k,n\n1,a\n 1 ,b\n2,c\n1,d\n');
    const repeats = sluice(['inspect', dir, join(dir, 'repeats.csv'), '--key', 'k']);
    expect(repeats.code, repeats.stderr).toBe(0);
    // " 1 " is 1 once the recipe's trim has run, as it will before its dedupe.
    expect(repeats.stdout).toContain(
      'key k: 2 rows repeat a key (e.g. 1 on 3 rows): de-duplication keeps the first of each',
    );
  });

  it('sluice runs <run> --recipe prints the recipe text the run ran', () => {
    const r = sluice(['runs', runId, '--recipe', 'b', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('where: v > 15');
  });
});

describe('a run started by the CLI and one started over HTTP', () => {
  it('sluice run and runs.start: the same books, and the summary agrees with runs.get', async () => {
    const report = cli(['run', dir, '--pipeline', 'a', '--date', '2026-03-01', '--json']);
    const mine = report as RunReport;
    const ended = runsEnded(1);
    const { run_id } = await http('runs.start', { pipelines: ['a'], date: '2026-03-01' });
    expect(await ended).toEqual([run_id]);
    const viaCli = await http('runs.get', { run_id: mine.runId });
    const viaApi = await http('runs.get', { run_id });
    expect(books(viaApi)).toEqual(books(viaCli));
    expect(viaCli.run).toMatchObject({ status: mine.status, run_date: mine.runDate });
    expect(viaCli.tasks.map((t) => [t.pipeline, t.status, t.rows_in, t.rows_out])).toEqual(
      mine.pipelines.map((p) => [p.name, p.status, p.rowsIn, p.rowsOut]),
    );
    expect(viaCli.tasks.map((t) => t.pipeline)).toEqual(['a', 'b']);
  }, 300_000);

  it('sluice run --resume and runs.resume: the same books', async () => {
    const mine = cli(['run', dir, '--resume', runId, '--json']) as RunReport;
    const ended = runsEnded(1);
    const { run_id } = await http('runs.resume', { run_id: runId });
    expect(await ended).toEqual([run_id]);
    expect(books(await http('runs.get', { run_id }))).toEqual(
      books(await http('runs.get', { run_id: mine.runId })),
    );
  }, 300_000);

  it('sluice backfill and runs.backfill: the same days, each with the same books', async () => {
    const range = { from: '2026-02-01', to: '2026-02-02' };
    const mine = cli([
      'backfill',
      dir,
      '--pipeline',
      'a',
      '--only',
      '--from',
      range.from,
      '--to',
      range.to,
      '--json',
    ]) as { runs: RunReport[] };
    const ended = runsEnded(2);
    const { days } = await http('runs.backfill', { pipelines: ['a'], only: true, ...range });
    const theirs = await ended;
    expect(mine.runs.map((r) => r.runDate)).toEqual(days);
    const byDay = async (ids: string[]) =>
      (await Promise.all(ids.map((run_id) => http('runs.get', { run_id }))))
        .sort((x, y) => x.run.run_date!.localeCompare(y.run.run_date!))
        .map(books);
    expect(await byDay(theirs)).toEqual(await byDay(mine.runs.map((r) => r.runId)));
  }, 300_000);
});
