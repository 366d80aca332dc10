/**
 * What an API caller can touch: the project's data and recipes, nothing else. Paths a recipe
 * names (sources, joined files, outputs, SQLite files, watched folders) stay inside the
 * project, its data folder and the folders the person at the command line allowed; sluice.yaml,
 * the recipes and the run store are never written; links out of data/ are not followed.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName } from '../../src-shared/api/contract';
import { callOverHttp } from '../../src-shared/api/http-client';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { sluiceIn } from '../helpers/cli';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const KEY = 'confine-key';
let service: SluiceService;
let server: RunningServer;
let dir: string;
let outside: string;
const call = <T = Record<string, unknown>>(
  m: MethodName,
  p: Record<string, unknown> = {},
): Promise<ApiResult<T>> => callOverHttp(server.url, KEY, m, p) as Promise<ApiResult<T>>;

const recipe = (name: string, body: string): string =>
  `name: ${name}\nsource: {path: small.csv}\n${body}`;

async function waitForRun(runId: string): Promise<{ status: string; tasks: { error: string }[] }> {
  for (;;) {
    const r = await call<{ run: { status: string }; tasks: { error: string }[] }>('runs.get', {
      run_id: runId,
    });
    if (r.ok && r.value.run.status !== 'running')
      return { status: r.value.run.status, tasks: r.value.tasks };
    await new Promise((res) => setTimeout(res, 50));
  }
}

beforeAll(async () => {
  outside = tempDir();
  writeFileSync(join(outside, 'secret.csv'), 'secret\nhunter2\n');
  dir = makeProject(
    { a: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n' },
    { name: 'confined', smallCsv: 'id,v\n1,10\n' },
  );
  mkdirSync(join(dir, 'data'));
  symlinkSync(join(outside, 'secret.csv'), join(dir, 'data', 'link.csv'));
  symlinkSync(outside, join(dir, 'data', 'elsewhere'));
  service = await SluiceService.open(dir);
  server = await serve(service, { port: 0, apiKey: KEY });
});

afterAll(async () => {
  await service.close();
  await server.close();
});

describe('recipes saved through the API', () => {
  const refusedOutputs: [string, RegExp][] = [
    ['{kind: csv, path: sluice.yaml}', /would overwrite .*sluice\.yaml/],
    ['{kind: csv, path: pipelines/a.yaml}', /would overwrite .*pipelines/],
    ['{kind: sqlite, path: store.db, table: t}', /would overwrite .*store\.db/],
    ['{kind: csv, path: ../../../../elsewhere/x.csv}', /is outside the project/],
    ['{kind: csv, path: /tmp/sluice-escape.csv}', /is outside the project/],
    ['{kind: csv, path: data/elsewhere/x.csv}', /a link to .* is outside the project/],
  ];
  for (const [output, why] of refusedOutputs)
    it(`refuses an output ${output}`, async () => {
      const before = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
      const r = await call('pipelines.save', {
        name: 'evil',
        yaml: recipe('evil', `outputs:\n  - ${output}\n`),
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(!r.ok && r.error.message).toMatch(why);
      expect(existsSync(join(dir, 'pipelines', 'evil.yaml'))).toBe(false);
      expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toBe(before);
    });

  it('refuses sources, joined files and watched folders outside', async () => {
    for (const body of [
      'source: {path: /etc/passwd}\n',
      'source: {path: ../../../../etc/passwd}\n',
      'source: {path: data/link.csv}\n',
      'source: {path: small.csv}\nsteps:\n  - {step: join, with: {csv: /etc/passwd}, on: [id]}\n',
      'source: {path: small.csv}\nwatch: {folder: /etc}\n',
    ]) {
      const r = await call('pipelines.save', { name: 'evil', yaml: `name: evil\n${body}` });
      expect(r, body).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(!r.ok && r.error.message, body).toMatch(/is outside the project/);
    }
  });

  it('still saves a recipe that keeps to the project', async () => {
    const r = await call('pipelines.save', {
      name: 'fine',
      yaml: recipe('fine', 'outputs:\n  - {kind: csv, path: out/fine.csv}\n'),
    });
    expect(r).toMatchObject({ ok: true });
  });
});

describe('reads through the API', () => {
  it('previews no file outside the project, by path or through a link in data/', async () => {
    for (const source of ['/etc/passwd', '../../../../../../etc/passwd', 'data/link.csv']) {
      const r = await call('pipelines.preview', {
        name: 'peek',
        step: 1,
        yaml: `name: peek\nsource: {path: "${source}"}\nsteps:\n  - {step: trim}\n`,
      });
      expect(r, source).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(JSON.stringify(r)).not.toContain('root:');
      expect(JSON.stringify(r)).not.toContain('hunter2');
    }
  });

  it('inspects and profiles no file outside, nor through a link', async () => {
    for (const path of [
      '/etc/passwd',
      '../../etc/passwd',
      'data/link.csv',
      'data/elsewhere/secret.csv',
    ]) {
      const r = await call('imports.inspect', { path });
      expect(r, path).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(JSON.stringify(r)).not.toContain('hunter2');
    }
  });
});

describe('projects over the API', () => {
  it('opens no folder that is neither recent nor allowed, and creates no project there', async () => {
    const target = tempDir();
    const r = await call('projects.open', { dir: target, create: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(existsSync(join(target, 'sluice.yaml'))).toBe(false);
    expect((await call<{ name: string }>('project.get')).ok).toBe(true);
  });
});

describe('a recipe written by hand that names a path outside', () => {
  it('fails its run without writing, and sluice.yaml stays as it was', async () => {
    const before = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'pipelines', 'hand.yaml'),
      recipe('hand', 'outputs:\n  - {kind: csv, path: sluice.yaml}\n'),
    );
    const started = await call<{ run_id: string }>('runs.start', { pipelines: ['hand'] });
    expect(started.ok).toBe(true);
    const run = await waitForRun(started.ok ? started.value.run_id : '');
    expect(run.status).toBe('failed');
    expect(run.tasks[0].error).toMatch(/would overwrite .*sluice\.yaml/);
    expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toBe(before);
    const v = await sluiceIn(['validate', dir]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/hand\.yaml: .*would overwrite/);
  });
});

describe('what the person at the command line allows', () => {
  it('allow_paths in sluice.yaml, or --allow-path, lets recipes read a folder outside', async () => {
    const p = makeProject(
      {
        s: `source: {path: ${join(outside, 'secret.csv')}}\noutputs:\n  - {kind: csv, path: out/s.csv}\n`,
      },
      { name: 'allowed', smallCsv: 'id\n1\n' },
    );
    const refused = await sluiceIn(['run', p]);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/is outside the project/);
    expect((await sluiceIn(['run', p, '--allow-path', outside])).code).toBe(0);
    writeFileSync(
      join(p, 'sluice.yaml'),
      `name: allowed\nstore: store.db\nallow_paths: [${outside}]\n`,
    );
    const ok = await sluiceIn(['run', p]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(p, 'out', 's.csv'), 'utf8')).toContain('hunter2');
  });

  it('sluice import of files outside the project allows their folder', async () => {
    const into = join(tempDir(), 'imported');
    const r = await sluiceIn(['import', join(outside, 'secret.csv'), '--into', into]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`allowed the project's recipes to read ${outside}`);
    expect(readFileSync(join(into, 'sluice.yaml'), 'utf8')).toContain(outside);
    const run = await sluiceIn(['run', into, '--store', join(into, 'store.db')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});
