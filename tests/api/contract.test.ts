/**
 * One contract suite, run over both transports: the local HTTP server (real sockets) and
 * Electron IPC (a fake ipcMain/renderer pair, as Electron cannot run here).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ApiEvent,
  type ApiResult,
  type MethodName,
  type Result,
} from '../../src-shared/api/contract';
import { callOverHttp } from '../../src-shared/api/http-client';
import { INVOKE_CHANNEL } from '../../src-shared/bridge';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { writeSavedConnections } from '../../src-main/io/saved-connections';
import { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import {
  forwardEvents,
  registerIpc,
  type IpcMainLike,
  type InvokeEvent,
} from '../../src-main/transports/ipc';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { tempDir } from '../helpers/tmp';

type Call = (method: MethodName, params?: Record<string, unknown>) => Promise<ApiResult<unknown>>;

interface Transport {
  call: Call;
  /** Every event received, checked against the contract's ApiEvent schema on arrival. */
  events: ApiEvent[];
  /** The events that did not fit the schema, with why: none, or the contract is broken. */
  misfits: string[];
  close(): Promise<void>;
}

/** Keeps an event that fits the schema in `events`, or a misfit's data and zod's complaint. */
function receive(events: ApiEvent[], misfits: string[], data: unknown): void {
  const r = ApiEvent.safeParse(data);
  if (r.success) events.push(r.data);
  else misfits.push(`${JSON.stringify(data)}: ${r.error.message}`);
}

async function makeProject(): Promise<string> {
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: api\nstore: store.db\nworkers: 2\n');
  writeFileSync(join(dir, 'small.csv'), 'id,v\n1,10\n2,20\n3,oops\n');
  await writeBenchSales(join(dir, 'big.csv'), 200_000);
  const p = (name: string, body: string): void =>
    writeFileSync(join(dir, 'pipelines', `${name}.yaml`), `name: ${name}\n${body}`);
  p(
    'a',
    `source: {path: small.csv}\nsteps:\n  - step: cast\n    columns: {v: int}\n    on_error: reject\noutputs:\n  - {kind: csv, path: out/a.csv}\n`,
  );
  p('b', `source: {pipeline: a}\noutputs:\n  - {kind: csv, path: out/b.csv}\n`);
  p('bad', `source: {path: missing.csv}\noutputs:\n  - {kind: csv, path: out/bad.csv}\n`);
  p(
    'slow',
    `source: {path: big.csv}\nsteps:\n  - step: sort\n    by: [Order Number]\noutputs:\n  - {kind: csv, path: out/slow.csv}\n`,
  );
  return dir;
}

async function overHttp(service: SluiceService): Promise<Transport> {
  const server: RunningServer = await serve(service, { port: 0, apiKey: 'contract-key' });
  const events: ApiEvent[] = [];
  const misfits: string[] = [];
  const ctl = new AbortController();
  // Read the event stream as a browser would (fetch, since EventSource cannot send the key).
  const res = await fetch(`${server.url}/api/events`, {
    headers: { 'X-API-Key': 'contract-key' },
    signal: ctl.signal,
  });
  void (async () => {
    const reader = res.body!.getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = chunk.split('\n').find((l) => l.startsWith('data: '));
          if (data) receive(events, misfits, JSON.parse(data.slice(6)));
        }
      }
    } catch {
      // aborted at close
    }
  })();
  return {
    call: (m, p) => callOverHttp(server.url, 'contract-key', m, p),
    events,
    misfits,
    close: async () => {
      ctl.abort();
      await server.close();
    },
  };
}

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (e: InvokeEvent, ...a: unknown[]) => Promise<unknown>>();
  handle(channel: string, fn: (e: InvokeEvent, ...a: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} exists`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What the preload's invoke does: one channel, { method, payload }. */
  invoke(url: string, request: unknown): Promise<unknown> {
    return this.handlers.get(INVOKE_CHANNEL)!({ senderFrame: { url } }, request);
  }
}

async function overIpc(service: SluiceService): Promise<Transport & { ipc: FakeIpcMain }> {
  const ipc = new FakeIpcMain();
  const unregister = registerIpc(ipc, {
    dispatch: createDispatcher(service.handlers),
    isTrustedUrl: (u) => u.startsWith('file:///app/'),
  });
  const events: ApiEvent[] = [];
  const misfits: string[] = [];
  // Structured clone, as Electron's IPC does: only plain data crosses.
  const stop = forwardEvents(
    (l) => service.subscribe(l),
    (_channel, e) => receive(events, misfits, structuredClone(e)),
  );
  return {
    ipc,
    call: async (m, p) =>
      structuredClone(
        await ipc.invoke('file:///app/index.html', { method: m, payload: p }),
      ) as ApiResult<unknown>,
    events,
    misfits,
    close: async () => {
      stop();
      unregister();
    },
  };
}

async function until<T>(f: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const value = <T>(r: ApiResult<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

describe.each([
  ['HTTP', overHttp],
  ['IPC', overIpc],
] as const)('the API contract over %s', (_name, open) => {
  let service: SluiceService;
  let t: Transport;
  let dir: string;

  beforeAll(async () => {
    dir = await makeProject();
    service = await SluiceService.open(dir);
    t = await open(service);
  });
  afterAll(async () => {
    await service.close();
    await t.close();
  });

  const runToEnd = async (params: Record<string, unknown>): Promise<string> => {
    const { run_id } = value<{ run_id: string }>(await t.call('runs.start', params));
    await until(() =>
      t.events.find((e) => e.type === 'run.state' && e.run_id === run_id && e.status !== 'running'),
    );
    return run_id;
  };

  it('health, project and pipelines', async () => {
    expect(value(await t.call('health'))).toEqual({
      status: 'ok',
      version: JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version,
      project: 'api',
    });
    const project = value<{ name: string; pipelines: { name: string; last_run: unknown }[] }>(
      await t.call('project.get'),
    );
    expect(project.pipelines.map((p) => [p.name, p.last_run])).toEqual([
      ['a', null],
      ['b', null],
      ['bad', null],
      ['slow', null],
    ]);
    const a = value<{ yaml: string; recipe: { source: { path: string } } }>(
      await t.call('pipelines.get', { name: 'a' }),
    );
    expect(a.yaml).toContain('step: cast');
    expect(a.recipe.source.path).toBe('small.csv');
    expect(await t.call('pipelines.get', { name: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'the project has no pipeline named "nope"' },
    });
    const v = value<{ ok: boolean; problems: string[] }>(await t.call('pipelines.validate'));
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/bad\.yaml: source .*missing\.csv/);
  });

  it('starts a run, streams its events, and answers for its tasks, logs and rejects', async () => {
    const runId = await runToEnd({ pipelines: ['a'] });
    const run = value<{
      run: { status: string; pipelines: string[] };
      tasks: { pipeline: string; status: string; worker: number | null }[];
    }>(await t.call('runs.get', { run_id: runId }));
    expect(run.run.status).toBe('succeeded');
    expect(run.tasks.map((x) => [x.pipeline, x.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
    ]);
    expect(typeof run.tasks[0].worker).toBe('number');
    const mine = t.events.filter((e) => 'run_id' in e && e.run_id === runId);
    expect(
      mine
        .filter((e) => e.type === 'task.state')
        .map((e) => [e.type === 'task.state' && e.pipeline, e.type === 'task.state' && e.status]),
    ).toEqual([
      ['a', 'running'],
      ['a', 'succeeded'],
      ['b', 'running'],
      ['b', 'succeeded'],
    ]);
    expect(
      mine.some((e) => e.type === 'log' && /a: 3 rows in, 2 out, 1 rejected/.test(e.message)),
    ).toBe(true);
    const logs = value<{ items: { message: string }[] }>(
      await t.call('logs.get', { run_id: runId, tail: 1 }),
    );
    expect(logs.items.map((l) => l.message)).toEqual(['run succeeded']);
    const onlyB = value<{ items: { pipeline: string }[] }>(
      await t.call('logs.get', { run_id: runId, pipeline: 'b' }),
    );
    expect(onlyB.items.length).toBeGreaterThan(0);
    expect(onlyB.items.every((l) => l.pipeline === 'b')).toBe(true);
    const rejects = value<{
      items: { line: number; raw: string; rule: string }[];
      total: number;
      has_next: boolean;
    }>(await t.call('rejects.list', { run_id: runId, page: 1, page_size: 10 }));
    expect(rejects).toMatchObject({ total: 1, has_next: false });
    expect(rejects.items[0]).toMatchObject({ line: 4, raw: '3,oops', rule: 'cast' });
  });

  it('lists runs with filters and pages, and sums them up', async () => {
    const failed = await runToEnd({ pipelines: ['bad'], only: true, date: '2026-01-15' });
    const all = value<{
      items: { id: string }[];
      total: number;
      page_size: number;
      has_next: boolean;
    }>(await t.call('runs.list', { page_size: 1 }));
    expect(all).toMatchObject({ total: 2, page_size: 1, has_next: true });
    expect(all.items[0].id).toBe(failed);
    const f = value<{ items: { id: string; status: string }[] }>(
      await t.call('runs.list', { status: 'failed' }),
    );
    expect(f.items.map((x) => x.id)).toEqual([failed]);
    const byDate = value<{ items: { id: string }[] }>(
      await t.call('runs.list', { from: '2026-01-01', to: '2026-01-31' }),
    );
    expect(byDate.items.map((x) => x.id)).toEqual([failed]);
    const byPipeline = value<{ total: number }>(await t.call('runs.list', { pipeline: 'b' }));
    expect(byPipeline.total).toBe(1);
    const m = value<{ runs: number; succeeded: number; failed: number; success_rate: number }>(
      await t.call('metrics.summary'),
    );
    expect(m).toMatchObject({ runs: 2, succeeded: 1, failed: 1, success_rate: 0.5 });
    const project = value<{ pipelines: { name: string; last_run: { status: string } | null }[] }>(
      await t.call('project.get'),
    );
    expect(
      Object.fromEntries(project.pipelines.map((p) => [p.name, p.last_run?.status ?? null])),
    ).toEqual({
      a: 'succeeded',
      b: 'succeeded',
      bad: 'failed',
      slow: null,
    });
  });

  it('cancels a running run within a second; nothing is written', async () => {
    const { run_id } = value<{ run_id: string }>(
      await t.call('runs.start', { pipelines: ['slow'], only: true }),
    );
    await until(() => t.events.find((e) => e.type === 'run.progress' && e.run_id === run_id));
    const asked = Date.now();
    expect(value(await t.call('runs.cancel', { run_id }))).toEqual({ cancelled: true });
    await until(() =>
      t.events.find(
        (e) => e.type === 'run.state' && e.run_id === run_id && e.status === 'cancelled',
      ),
    );
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(value(await t.call('runs.cancel', { run_id }))).toEqual({ cancelled: false });
    const run = value<{ tasks: { status: string }[] }>(await t.call('runs.get', { run_id }));
    expect(run.tasks.map((x) => x.status)).toEqual(['cancelled']);
  });

  it('exports and retries rejects, resumes, backfills, and tells what was written', async () => {
    const first = value<{ items: { id: string }[] }>(await t.call('runs.list', { pipeline: 'a' }))
      .items[0].id;
    const csv = value<{ rows: number; csv: string }>(
      await t.call('rejects.export', { run_id: first }),
    );
    expect(csv.rows).toBe(1);
    expect(csv.csv.split('\n')[0]).toBe(
      'pipeline,kind,source,line,line_end,step,rule,reason,raw,record_json,record_hash,status',
    );
    expect(csv.csv).toContain('3,oops');
    expect(value(await t.call('rejects.retry', { run_id: first }))).toEqual({ results: [] });
    const failed = value<{ items: { id: string }[] }>(
      await t.call('runs.list', { status: 'failed' }),
    ).items[0].id;
    writeFileSync(join(dir, 'missing.csv'), 'x\n1\n');
    const { run_id: resumed } = value<{ run_id: string }>(
      await t.call('runs.resume', { run_id: failed }),
    );
    await until(() =>
      t.events.find(
        (e) => e.type === 'run.state' && e.run_id === resumed && e.status !== 'running',
      ),
    );
    const r = value<{ run: { status: string; trigger: string; run_date: string } }>(
      await t.call('runs.get', { run_id: resumed }),
    );
    expect(r.run).toMatchObject({ status: 'succeeded', trigger: 'resume', run_date: '2026-01-15' });
    const { days } = value<{ days: string[] }>(
      await t.call('runs.backfill', {
        pipelines: ['bad'],
        only: true,
        from: '2025-12-30',
        to: '2026-01-01',
        parallel: 2,
      }),
    );
    expect(days).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
    await until(async () => {
      const l = value<{ items: { status: string }[] }>(
        await t.call('runs.list', { from: '2025-12-30', to: '2026-01-01' }),
      );
      return l.items.length === 3 && l.items.every((x) => x.status === 'succeeded')
        ? true
        : undefined;
    });
    const outputs = value<{ items: { pipeline: string; kind: string; rows: number }[] }>(
      await t.call('metadata.outputs'),
    );
    expect(outputs.items.map((o) => [o.pipeline, o.kind, o.rows]).sort()).toEqual([
      ['a', 'csv', 2],
      ['b', 'csv', 2],
      ['bad', 'csv', 1],
    ]);
  });

  it('profiles a file of the project and saves recipes after checking them', async () => {
    const p = value<Result<'profiles.get'>>(await t.call('profiles.get', { path: 'small.csv' }));
    expect(p.rows).toBe(3);
    expect(p.suggested_key).toEqual(['id']);
    expect(p.source).toMatchObject({ encoding: 'utf-8', delimiter: ',', header: true });
    expect(p.rejected_lines).toBe(0);
    // In the contract's words: what the profile panel shows of a column.
    expect(p.columns[0]).toMatchObject({
      name: 'id',
      type: 'int',
      confidence: 1,
      null_count: 0,
      distinct_count: 3,
      distinct_capped: false,
      min: '1',
      max: '3',
    });
    const v = p.columns[1];
    expect([v.name, v.type]).toEqual(['v', 'string']); // 'oops' is one value in three
    expect(v.top_values.map((x) => [x.value, x.count]).sort()).toEqual([
      ['10', 1],
      ['20', 1],
      ['oops', 1],
    ]);
    // imports.inspect answers the same columns, by the same schema.
    const inspected = value<Result<'imports.inspect'>>(
      await t.call('imports.inspect', { path: 'small.csv' }),
    );
    expect(inspected.columns).toEqual(p.columns);
    expect(await t.call('profiles.get', { path: '../../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/outside the project/) },
    });
    expect(await t.call('profiles.get', { path: 'nope.csv' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    const yaml = '# kept as written\nname: c\nsource: {path: small.csv}\n';
    const saved = value<{ file: string }>(await t.call('pipelines.save', { name: 'c', yaml }));
    expect(readFileSync(saved.file, 'utf8')).toBe(yaml);
    expect(value<{ yaml: string }>(await t.call('pipelines.get', { name: 'c' })).yaml).toBe(yaml);
    expect(
      await t.call('pipelines.save', {
        name: 'c',
        yaml: 'name: c\nsource: {path: small.csv}\nsteps:\n  - step: trimm\n',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/unknown step kind "trimm"/) },
    });
    expect(
      await t.call('pipelines.save', { name: 'c', yaml: 'name: d\nsource: {path: small.csv}\n' }),
    ).toMatchObject({
      ok: false,
      error: { message: 'the recipe is named "d", not "c"' },
    });
    // A dependency cycle is refused and the file as it was is kept.
    expect(
      await t.call('pipelines.save', {
        name: 'c',
        yaml: 'name: c\ndepends_on: [c]\nsource: {path: small.csv}\n',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/dependency cycle: c -> c/) },
    });
    expect(readFileSync(saved.file, 'utf8')).toBe(yaml);
    // A pipeline may be called like a route of its own.
    const named = 'name: validate\nsource: {path: small.csv}\n';
    expect(value(await t.call('pipelines.save', { name: 'validate', yaml: named }))).toMatchObject({
      name: 'validate',
    });
    expect(value<{ yaml: string }>(await t.call('pipelines.get', { name: 'validate' })).yaml).toBe(
      named,
    );
  });

  it('previews a step: before and after pages, changed cells, dropped rows, whole-data counts', async () => {
    const yaml =
      "name: a\nsource: {path: small.csv}\nsteps:\n  - step: replace\n    columns: [v]\n    values: {'10': ten}\n" +
      "  - step: filter\n    where: v != 'oops'\n";
    type Preview = {
      step: { name: string };
      before: { rows: unknown[][]; total: number; lines: number[] };
      after: { rows: unknown[][]; total: number };
      changed: [number, string][];
      before_changed: [number, string][];
      dropped: { kind: string; line: number; reason: string }[];
      dropped_total: number;
      counts: { rows_in: number; rows_out: number; rows_removed: number } | null;
    };
    const one = value<Preview>(await t.call('pipelines.preview', { name: 'a', step: 1, yaml }));
    expect(one.step.name).toBe('1:replace');
    expect(one.before.rows).toEqual([
      ['1', '10'],
      ['2', '20'],
      ['3', 'oops'],
    ]);
    expect(one.before.lines).toEqual([2, 3, 4]);
    expect(one.after.rows).toEqual([
      ['1', 'ten'],
      ['2', '20'],
      ['3', 'oops'],
    ]);
    expect(one.changed).toEqual([[0, 'v']]);
    expect(one.before_changed).toEqual([[0, 'v']]);
    const two = value<Preview>(
      await t.call('pipelines.preview', { name: 'a', step: 2, yaml, offset: 1, limit: 5 }),
    );
    expect(two.before.rows).toEqual([
      ['2', '20'],
      ['3', 'oops'],
    ]);
    expect(two.after).toMatchObject({ rows: [['2', '20']], total: 2 });
    expect(two.dropped).toEqual([expect.objectContaining({ kind: 'removed', line: 4 })]);
    expect(two.counts).toMatchObject({
      rows_in: 3,
      rows_out: 2,
      rows_rejected: 0,
      rows_removed: 1,
      removed_reasons: { [`filter: v != 'oops'`]: 1 },
      cells_changed: 0,
    });
    // The saved recipe is untouched by previews of an edited one.
    expect(value<{ yaml: string }>(await t.call('pipelines.get', { name: 'a' })).yaml).toContain(
      'step: cast',
    );
    expect(await t.call('pipelines.preview', { name: 'a', step: 9 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'pipeline a has 1 steps; there is no step 9' },
    });
    expect(
      await t.call('pipelines.preview', { name: 'a', step: 1, yaml: 'name: a\nsteps: 3\n' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/^the recipe has errors: /) },
    });
    expect(two.dropped_total).toBe(1);
    // Rows of one side, for scrolling: the before side marks what the step changed too.
    type Rows = { rows: unknown[][]; lines: number[]; total: number; changed: [number, string][] };
    const rows = (p: Record<string, unknown>): Promise<Rows> =>
      t.call('pipelines.previewRows', { name: 'a', yaml, ...p }).then(value<Rows>);
    expect(await rows({ step: 1, side: 'before' })).toMatchObject({
      total: 3,
      lines: [2, 3, 4],
      changed: [[0, 'v']],
    });
    expect(await rows({ step: 2, side: 'dropped' })).toMatchObject({
      columns: [
        { name: 'what' },
        { name: 'rule' },
        { name: 'reason' },
        { name: 'id' },
        { name: 'v' },
      ],
      rows: [['removed', "filter: v != 'oops'", expect.any(String), '3', 'oops']],
      lines: [4],
      total: 1,
    });
    expect(await rows({ step: 1, side: 'after', offset: 2, limit: 10 })).toMatchObject({
      rows: [['3', 'oops']],
      changed: [],
    });
    expect(
      await t.call('pipelines.previewRows', { name: 'a', step: 1, side: 'sideways' }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('keeps a big preview to scroll, and the next edit cancels one still computing', async () => {
    type Rows = { rows: unknown[][]; lines: number[]; total: number; changed: [number, string][] };
    const heard = t.events.length;
    const first = t.call('pipelines.preview', { name: 'slow', step: 1 });
    // The edit comes while the first preview is reading: once it has told how far it got.
    await until(() =>
      t.events.slice(heard).some((e) => e.type === 'preview.progress' && e.pipeline === 'slow')
        ? true
        : undefined,
    );
    const edited =
      'name: slow\nsource: {path: big.csv}\nsteps:\n  - step: sort\n    by: [{column: Order Number, order: desc}]\n';
    const second = t.call('pipelines.preview', { name: 'slow', step: 1, yaml: edited, limit: 2 });
    expect(await first).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const sorted = value<{ after: { total: number }; before: { total: number } }>(await second);
    expect(sorted.after.total).toBe(sorted.before.total); // a sort keeps every row
    expect(sorted.after.total).toBeGreaterThan(200_000); // the whole file, not a sample
    // While it computed, subscribers heard how far it had read.
    await until(() =>
      t.events.some(
        (e) => e.type === 'preview.progress' && e.pipeline === 'slow' && e.rows >= 100_000,
      )
        ? true
        : undefined,
    );
    // Scrolling deep into it reads the kept rows: the worker does not compute it again.
    const computed = vi.spyOn(service.previewPool!, 'preview');
    const deep = value<Rows>(
      await t.call('pipelines.previewRows', {
        name: 'slow',
        step: 1,
        yaml: edited,
        side: 'after',
        offset: 150_000,
        limit: 300,
      }),
    );
    expect(deep.rows).toHaveLength(300);
    expect(deep.total).toBe(sorted.after.total);
    // Rows a sort moved are the same rows: nothing changed, matched by source line.
    expect(deep.changed).toEqual([]);
    const before = value<Rows>(
      await t.call('pipelines.previewRows', {
        name: 'slow',
        step: 1,
        yaml: edited,
        side: 'before',
        offset: sorted.before.total - 10,
        limit: 300,
      }),
    );
    expect(before.rows).toHaveLength(10);
    expect(before.lines.at(-1)).toBeGreaterThan(200_000);
    expect(computed).not.toHaveBeenCalled();
    computed.mockRestore();
  }, 180_000);

  it('lists saved connections without passwords; changing or testing them is not served by default', async () => {
    const before = process.env.SLUICE_HOME;
    process.env.SLUICE_HOME = tempDir();
    try {
      const wh = {
        host: 'db.example',
        port: 5432,
        database: 'dw',
        user: 'etl',
        sslmode: 'disable',
      };
      writeSavedConnections({ wh } as Parameters<typeof writeSavedConnections>[0]);
      expect(value(await t.call('connections.list'))).toEqual({
        keychain: false,
        connections: [
          {
            name: 'wh',
            ...wh,
            url: 'postgres://etl@db.example:5432/dw',
            password_kept: false,
            password_env: 'SLUICE_PASSWORD_WH',
            password_env_set: false,
            shadows_project: false,
          },
        ],
      });
      // As `sluice serve` without --allow-connections: they would make this computer connect.
      for (const [m, p] of [
        ['connections.save', { name: 'x', host: 'h', database: 'd', user: 'u' }],
        ['connections.remove', { name: 'wh' }],
        ['connections.test', { name: 'wh' }],
      ] as const) {
        const r = await t.call(m, p);
        expect(r.ok ? 'ok' : r.error.code, m).toBe('forbidden');
      }
    } finally {
      if (before === undefined) delete process.env.SLUICE_HOME;
      else process.env.SLUICE_HOME = before;
    }
  });

  it('sent only events the contract describes', () => {
    expect(t.events.length).toBeGreaterThan(0);
    expect(t.misfits).toEqual([]);
  });

  it('answers bad requests with error values, not exceptions', async () => {
    expect(await t.call('runs.list', { page_size: 500 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/page_size: Too big/) },
    });
    expect(await t.call('runs.cancel', { run_id: 'run_nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await t.call('runs.get', { run_id: 'run_nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await t.call('runs.get', { run_id: '../../etc' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await t.call('runs.start', { date: '2026-02-30' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/"2026-02-30" is not a date/) },
    });
    expect(await t.call('runs.start', { pipelines: ['ghost'] })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/no pipeline named "ghost"/) },
    });
  });
});

describe('IPC checks', () => {
  it('refuses calls from other frames and malformed calls, and names unknown methods', async () => {
    const dir = await makeProject();
    const service = await SluiceService.open(dir);
    const t = await overIpc(service);
    expect(
      await t.ipc.invoke('https://evil.example/', { method: 'health', payload: {} }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await t.ipc.invoke('file:///app/index.html', 'health')).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(
      await t.ipc.invoke('file:///app/index.html', { method: 'fs.readFile', payload: {} }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'unknown_method',
        message: expect.stringMatching(/unknown method "fs.readFile"; the methods are: health, /),
      },
    });
    await t.close();
  });
});
