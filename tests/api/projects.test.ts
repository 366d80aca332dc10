/**
 * Opening projects through the API, as the window's project switcher does: the recent list,
 * opening another project by its path, starting a new one in an empty folder, and what is refused.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiResult, MethodName } from '../../src-shared/api/contract';
import { callOverHttp } from '../../src-shared/api/http-client';
import { SluiceService } from '../../src-main/service/api-service';
import { rememberProject } from '../../src-main/service/recent';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const KEY = 'projects-key';
let service: SluiceService;
let server: RunningServer;
let first: string;
let second: string;
const events: ApiEvent[] = [];
const home = process.env.SLUICE_HOME;
const lasting = tempDir();
const call = <T = Record<string, unknown>>(
  m: MethodName,
  p: Record<string, unknown> = {},
): Promise<ApiResult<T>> => callOverHttp(server.url, KEY, m, p) as Promise<ApiResult<T>>;

beforeAll(async () => {
  // The recent list lives in Sluice's own folder: a throwaway one here.
  process.env.SLUICE_HOME = tempDir();
  first = makeProject(
    { a: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n' },
    { name: 'first', smallCsv: 'id,v\n1,10\n' },
  );
  second = makeProject(
    {
      b: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/b.csv}\n',
      c: 'source: {pipeline: b}\noutputs:\n  - {kind: csv, path: out/c.csv}\n',
    },
    { name: 'second', smallCsv: 'id,v\n1,10\n2,20\n' },
  );
  rememberProject(second);
  rememberProject(first);
  // As `sluice serve --allow-path`: projects may be opened and started under tmp.
  service = await SluiceService.open(first, { allow: [tmpdir()] });
  service.subscribe((e) => events.push(e));
  server = await serve(service, { port: 0, apiKey: KEY });
});

afterAll(async () => {
  await service.close();
  await server.close();
  if (home === undefined) delete process.env.SLUICE_HOME;
  else process.env.SLUICE_HOME = home;
});

describe('projects through the API', () => {
  it('lists the recent projects with their names, the open one marked', async () => {
    expect(await call('projects.recent')).toEqual({
      ok: true,
      value: {
        current: first,
        items: [
          { dir: first, name: 'first' },
          { dir: second, name: 'second' },
        ],
      },
    });
  });

  it('opens another project: its pipelines from then on, remembered first, announced', async () => {
    expect(await call('projects.open', { dir: second })).toEqual({
      ok: true,
      value: { name: 'second', dir: second, created: false },
    });
    const p = await call<{ name: string; pipelines: { name: string }[] }>('project.get');
    expect(p.ok && p.value.name).toBe('second');
    expect(p.ok && p.value.pipelines.map((x) => x.name)).toEqual(['b', 'c']);
    expect(await call('pipelines.get', { name: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const recent = await call<{ items: { dir: string }[] }>('projects.recent');
    expect(recent.ok && recent.value.items.map((i) => i.dir)).toEqual([second, first]);
    expect(events).toContainEqual({ type: 'project.opened', dir: second, name: 'second' });
    // Runs go to the project now open.
    const run = await call<{ run_id: string }>('runs.start', {});
    expect(run.ok).toBe(true);
    await service.idle();
    expect(readFileSync(join(second, 'out', 'c.csv'), 'utf8')).toBe('id,v\n1,10\n2,20\n');
  });

  it('starts a new project in a folder without one, only when asked to', async () => {
    // Made outside any test: the project stays open (and on disk) for the next test.
    const empty = join(lasting, 'Market Data');
    mkdirSync(empty);
    expect(await call('projects.open', { dir: empty })).toMatchObject({
      ok: false,
      error: {
        code: 'not_found',
        message: `${empty} is not a Sluice project (it has no sluice.yaml): create one there to start`,
        details: { can_create: true },
      },
    });
    expect(existsSync(join(empty, 'sluice.yaml'))).toBe(false);
    expect(await call('projects.open', { dir: empty, create: true })).toEqual({
      ok: true,
      value: { name: 'Market_Data', dir: empty, created: true },
    });
    expect(existsSync(join(empty, 'pipelines'))).toBe(true);
    const p = await call<{ data_dir: string; pipelines: unknown[] }>('project.get');
    expect(p.ok && p.value).toMatchObject({ data_dir: join(empty, 'data'), pipelines: [] });
    // Opening it again does not write over it.
    writeFileSync(join(empty, 'sluice.yaml'), 'name: mine\ndata: data\n');
    expect(await call('projects.open', { dir: empty, create: true })).toMatchObject({
      ok: true,
      value: { name: 'mine', created: false },
    });
  });

  it('refuses what it cannot open, naming why, and stays on the open project', async () => {
    const bad = async (dir: string, code: string, message: RegExp): Promise<void> =>
      expect(await call('projects.open', { dir })).toMatchObject({
        ok: false,
        error: { code, message: expect.stringMatching(message) },
      });
    await bad('relative/folder', 'bad_request', /give the folder's full path/);
    await bad(
      join(tmpdir(), 'nowhere/at/all'),
      'not_found',
      /there is no folder .*nowhere\/at\/all/,
    );
    await bad('/srv', 'forbidden', /is not a recent project or inside a folder this server allows/);
    const file = join(tempDir(), 'file.csv');
    writeFileSync(file, 'a\n1\n');
    await bad(file, 'bad_request', /is a file, not a folder/);
    const broken = tempDir();
    writeFileSync(join(broken, 'sluice.yaml'), 'name: [oops\n');
    await bad(broken, 'bad_request', /invalid configuration: .*sluice\.yaml:\d+/);
    expect((await call<{ name: string }>('project.get')).ok).toBe(true);
    const still = await call<{ name: string }>('project.get');
    expect(still.ok && still.value.name).toBe('mine');
  });
});
