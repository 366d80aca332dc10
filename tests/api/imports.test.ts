/**
 * Importing through the API as a browser does (the real Customers.csv streamed into the data
 * folder, inspected, made a pipeline), following a run's log, and a run's report files.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName } from '../../src-shared/api/contract';
import { callOverHttp } from '../../src-shared/api/http-client';
import { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { makeProject } from '../helpers/project';

const CUSTOMERS = join(__dirname, '../../../shared/datasets/global-electronics/Customers.csv');
const KEY = 'import-key';

let dir: string;
let service: SluiceService;
let server: RunningServer;
const call = <T = Record<string, unknown>>(
  m: MethodName,
  p: Record<string, unknown> = {},
): Promise<ApiResult<T>> => callOverHttp(server.url, KEY, m, p) as Promise<ApiResult<T>>;

/** PUT a file as a browser's fetch does, streamed from disk. */
async function upload(name: string, body: string | ReadableStream, query = ''): Promise<Response> {
  return fetch(`${server.url}/api/files/${encodeURIComponent(name)}${query}`, {
    method: 'PUT',
    headers: { 'X-API-Key': KEY, 'Content-Type': 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit);
}

beforeAll(async () => {
  dir = makeProject(
    {
      a: `source: {path: small.csv}\nsteps:\n  - step: cast\n    columns: {v: int}\n    on_error: reject\noutputs:\n  - {kind: csv, path: out/a.csv}\n`,
    },
    { name: 'imports', smallCsv: 'id,v\n1,10\n2,20\n3,oops\n' },
  );
  service = await SluiceService.open(dir);
  server = await serve(service, { port: 0, apiKey: KEY });
});

afterAll(async () => {
  await service.close();
  await server.close();
});

describe('import through the API', () => {
  it('streams the real Customers.csv into the data folder, whole and byte for byte', async () => {
    const res = await upload(
      'Customers.csv',
      Readable.toWeb(createReadStream(CUSTOMERS)) as ReadableStream,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { path: string; bytes: number };
    expect(body).toEqual({ path: 'Customers.csv', bytes: statSync(CUSTOMERS).size });
    expect(readFileSync(join(dir, 'Customers.csv')).equals(readFileSync(CUSTOMERS))).toBe(true);
    // Nothing half-written is left beside it.
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses to replace a file unless asked, and names the way to do it', async () => {
    const again = await upload('Customers.csv', 'x,y\n1,2\n');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(
      /replace=true/,
    );
    expect(statSync(join(dir, 'Customers.csv')).size).toBe(statSync(CUSTOMERS).size);
    // The window asks for errors in the body: a 200 naming the code, so no failed load is logged.
    const quiet = await fetch(`${server.url}/api/files/Customers.csv`, {
      method: 'PUT',
      headers: { 'X-API-Key': KEY, 'X-Sluice-Errors': 'body' },
      body: 'x,y\n1,2\n',
    });
    expect(quiet.status).toBe(200);
    expect(quiet.headers.get('X-Sluice-Error')).toBe('conflict');
    expect(((await quiet.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect(statSync(join(dir, 'Customers.csv')).size).toBe(statSync(CUSTOMERS).size);
    const replaced = await upload('notes.csv', 'a\n1\n');
    expect(replaced.status).toBe(200);
    const r2 = await upload('notes.csv', 'a\n1\n2\n', '?replace=true');
    expect(r2.status).toBe(200);
    expect(readFileSync(join(dir, 'notes.csv'), 'utf8')).toBe('a\n1\n2\n');
  });

  it('refuses names with folders, dots first or other extensions, and empty files', async () => {
    for (const name of ['../escape.csv', '.hidden.csv', 'run.sh', 'a/b.csv']) {
      const res = await upload(name, 'a\n1\n');
      expect([400, 404]).toContain(res.status);
    }
    expect(existsSync(join(dir, '..', 'escape.csv'))).toBe(false);
    const empty = await upload('empty.csv', '');
    expect(empty.status).toBe(400);
    expect(existsSync(join(dir, 'empty.csv'))).toBe(false);
  });

  it('says what it inferred: windows-1252, the key, types, the first rows decoded', async () => {
    const r = await call<{
      encoding: string;
      delimiter: string;
      header: boolean;
      rows: number;
      name: string;
      exists: boolean;
      suggested_key: string[] | null;
      columns: { name: string; type: string }[];
      sample: { rows: (string | null)[][]; lines: number[]; columns: { name: string }[] };
      yaml: string;
    }>('imports.inspect', { path: 'Customers.csv', rows: 400 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value;
    expect(v.encoding).toBe('windows-1252');
    expect(v.delimiter).toBe(',');
    expect(v.header).toBe(true);
    expect(v.rows).toBe(15266);
    expect(v.name).toBe('customers');
    expect(v.exists).toBe(false);
    expect(v.suggested_key).toEqual(['CustomerKey']);
    expect(v.columns.find((c) => c.name === 'Birthday')?.type).toBe('date');
    expect(v.sample.rows).toHaveLength(400);
    expect(v.sample.lines[0]).toBe(2);
    expect(v.sample.rows[0].slice(0, 3)).toEqual(['301', 'Female', 'Lilly Harding']);
    expect(v.sample.rows.flat().some((c) => c?.includes('\uFFFD'))).toBe(false);
    expect(v.yaml).toMatch(/encoding: windows-1252/);
  });

  it('takes the settings the user chose over the inferred ones', async () => {
    const r = await call<{ encoding: string; header: boolean; sample: { rows: unknown[][] } }>(
      'imports.inspect',
      { path: 'Customers.csv', encoding: 'utf-8', header: false, rows: 1 },
    );
    expect(r.ok && r.value.encoding).toBe('utf-8');
    expect(r.ok && r.value.header).toBe(false);
    expect(r.ok && r.value.sample.rows[0][0]).toBe('CustomerKey');
  });

  it('creates a pipeline with the chosen key, which then runs', async () => {
    const bad = await call('imports.create', { path: 'Customers.csv', key: ['Nope'] });
    expect(!bad.ok && bad.error.code).toBe('bad_request');
    expect(!bad.ok && bad.error.message).toMatch(/Nope/);
    const made = await call<{ name: string; file: string; yaml: string }>('imports.create', {
      path: 'Customers.csv',
      key: ['CustomerKey', 'Name'],
    });
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.value.name).toBe('customers');
    expect(readFileSync(join(dir, 'pipelines', 'customers.yaml'), 'utf8')).toBe(made.value.yaml);
    expect(made.value.yaml).toMatch(/key:\s*\n\s*- CustomerKey\n\s*- Name/);
    const twice = await call('imports.create', { path: 'Customers.csv' });
    expect(!twice.ok && twice.error.code).toBe('conflict');
    const project = await call<{ pipelines: { name: string }[] }>('project.get');
    expect(project.ok && project.value.pipelines.map((p) => p.name)).toContain('customers');

    const run = await call<{ run_id: string }>('runs.start', {
      pipelines: ['customers'],
      only: true,
    });
    expect(run.ok).toBe(true);
    await service.idle();
    const got = await call<{ tasks: { pipeline: string; status: string; rows_out: number }[] }>(
      'runs.get',
      { run_id: run.ok ? run.value.run_id : '' },
    );
    expect(got.ok && got.value.tasks).toEqual([
      expect.objectContaining({ pipeline: 'customers', status: 'succeeded', rows_out: 15266 }),
    ]);
    // The first accented names are at line 2975: decoded from windows-1252, written as UTF-8.
    const out = readFileSync(join(dir, 'out', 'customers.csv'), 'utf8');
    expect(out).toContain('Sven Mahler,Fürstenberg');
    expect(out).toContain('Baden-Württemberg');
    expect(out).not.toContain('\uFFFD');
  });

  it('keeps imports to the project and its data folder', async () => {
    const r = await call('imports.inspect', { path: '/etc/passwd' });
    expect(!r.ok && r.error.code).toBe('bad_request');
    const r2 = await call('imports.create', { path: '../../../etc/hosts' });
    expect(!r2.ok && r2.error.code).toBe('bad_request');
  });

  it('over IPC a file comes by path, not as a body', async () => {
    const dispatch = createDispatcher(service.handlers);
    const r = await dispatch('files.upload', { name: 'x.csv' });
    expect(!r.ok && r.error.message).toMatch(/by their path/);
  });
});

/** Reads a Server-Sent Events stream to its end: [event, data] pairs. */
async function readSse(res: Response): Promise<[string, unknown][]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((c) => c.includes('data: '))
    .map((c) => {
      const ev = /^event: (.*)$/m.exec(c)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(c)![1];
      return [ev, JSON.parse(data) as unknown];
    });
}

describe('logs and reports', () => {
  it('follows a run from its start to its end over Server-Sent Events', async () => {
    const run = await call<{ run_id: string }>('runs.start', { pipelines: ['a'], only: true });
    if (!run.ok) throw new Error(run.error.message);
    const res = await fetch(`${server.url}/api/runs/${run.value.run_id}/logs/follow`, {
      headers: { 'X-API-Key': KEY },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = await readSse(res);
    const last = events[events.length - 1];
    expect(last).toEqual(['end', { run_id: run.value.run_id, status: 'succeeded' }]);
    const lines = events.filter(([e]) => e === 'log').map(([, d]) => d as { message: string });
    const stored = await call<{ items: { message: string }[] }>('logs.get', {
      run_id: run.value.run_id,
    });
    // Every line the run wrote, once each, in order.
    expect(lines.map((l) => l.message)).toEqual(
      stored.ok ? stored.value.items.map((l) => l.message) : [],
    );
    expect(lines.length).toBeGreaterThan(2);

    const tail = await fetch(`${server.url}/api/runs/${run.value.run_id}/logs/follow?tail=2`, {
      headers: { 'X-API-Key': KEY },
    });
    const tailed = (await readSse(tail)).filter(([e]) => e === 'log');
    expect(tailed.map(([, d]) => (d as { message: string }).message)).toEqual(
      lines.slice(-2).map((l) => l.message),
    );
  });

  it('follow answers 404 for an unknown run and 401 without the key', async () => {
    const r = await fetch(`${server.url}/api/runs/run_nope/logs/follow`, {
      headers: { 'X-API-Key': KEY },
    });
    expect(r.status).toBe(404);
    const r2 = await fetch(`${server.url}/api/runs/run_nope/logs/follow`);
    expect(r2.status).toBe(401);
  });

  it("exports a run's summary as JSON and as CSV", async () => {
    const runs = await call<{ items: { id: string }[] }>('runs.list', { pipeline: 'a' });
    const runId = runs.ok ? runs.value.items[0].id : '';
    const json = await call<{ filename: string; content: string }>('reports.export', {
      run_id: runId,
    });
    expect(json.ok && json.value.filename).toBe(`${runId}.json`);
    const body = JSON.parse(json.ok ? json.value.content : '{}') as {
      run: { status: string };
      pipelines: { pipeline: string; report: { rowsOut: number; rowsRejected: number } }[];
    };
    expect(body.run.status).toBe('succeeded');
    expect(body.pipelines[0]).toMatchObject({
      pipeline: 'a',
      report: { rowsOut: 2, rowsRejected: 1 },
    });
    const csv = await call<{ content: string; content_type: string }>('reports.export', {
      run_id: runId,
      format: 'csv',
    });
    expect(csv.ok && csv.value.content_type).toBe('text/csv');
    const rows = (csv.ok ? csv.value.content : '').trim().split('\n');
    expect(rows[0]).toMatch(/^run_id,run_date,pipeline,status,/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(',a,succeeded,');
    expect(rows[1]).toMatch(/csv:\S*out\/a\.csv \(2\)/);
  });
});
