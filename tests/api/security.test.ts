/** The local HTTP server's guards: API key, Host check, body limits, paths, and `sluice serve`. */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, keyMatches } from '../../src-main/service/api-key';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { output } from '../helpers/output';
import { SLUICE, sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: sec\nstore: store.db\n');
  writeFileSync(join(dir, 'small.csv'), 'id\n1\n');
  writeFileSync(join(dir, 'pipelines', 'a.yaml'), 'name: a\nsource: {path: small.csv}\n');
  return dir;
}

/** A raw request, so the path and Host go out exactly as written. */
function raw(
  url: string,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the HTTP server guards', () => {
  let server: RunningServer;
  let service: SluiceService;
  const key = { 'X-API-Key': 'right-key' };
  beforeAll(async () => {
    service = await SluiceService.open(project());
    const ui = tempDir();
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Sluice</title>');
    server = await serve(service, {
      port: 0,
      apiKey: 'right-key',
      staticDir: ui,
      allowedHosts: ['sluice.lan'],
    });
  });
  afterAll(async () => {
    await server.close();
    await service.close();
  });

  it('needs the key on every route but /health: missing or wrong is 401', async () => {
    expect((await raw(server.url, { path: '/health' })).status).toBe(200);
    for (const path of ['/api/project', '/api/runs', '/openapi.json', '/api/events']) {
      expect((await raw(server.url, { path })).status).toBe(401);
      const wrong = await raw(server.url, { path, headers: { 'X-API-Key': 'right-kez' } });
      expect(wrong.status).toBe(401);
      expect(JSON.parse(wrong.body)).toEqual({
        error: {
          code: 'unauthorized',
          message: 'a valid API key is needed in the X-API-Key header',
        },
      });
    }
    const ok = await raw(server.url, { path: '/api/project', headers: key });
    expect(ok.status).toBe(200);
    expect(ok.headers['server-timing']).toMatch(/^app;dur=\d+(\.\d)?$/);
  });

  it('refuses requests whose Host is not a loopback name, unless allowed', async () => {
    const evil = await raw(server.url, {
      path: '/api/project',
      headers: { ...key, Host: 'evil.example:8750' },
    });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.message).toMatch(/host "evil.example" are refused/);
    expect(
      (await raw(server.url, { path: '/health', headers: { Host: 'evil.example' } })).status,
    ).toBe(403);
    expect(
      (await raw(server.url, { path: '/api/project', headers: { ...key, Host: 'sluice.lan' } }))
        .status,
    ).toBe(200);
    expect(
      (await raw(server.url, { path: '/api/project', headers: { ...key, Host: 'localhost:1' } }))
        .status,
    ).toBe(200);
  });

  it('answers malformed and oversized bodies with 400 and a clear message', async () => {
    const post = (body: string) =>
      raw(server.url, {
        path: '/api/runs',
        method: 'POST',
        headers: { ...key, 'Content-Type': 'application/json' },
        body,
      });
    const bad = await post('{"pipelines": [');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/^the request body is not valid JSON: /);
    const notObject = await post('[1, 2]');
    expect(notObject.status).toBe(400);
    expect(JSON.parse(notObject.body).error.message).toBe('the request body must be a JSON object');
    const wrongType = await post('{"pipelines": "a"}');
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body).error.message).toMatch(
      /invalid parameters for runs.start: pipelines: /,
    );
    const big = await post(JSON.stringify({ pipelines: ['a'], pad: 'x'.repeat(2 << 20) }));
    expect(big.status).toBe(400);
    expect(JSON.parse(big.body).error).toMatchObject({
      code: 'too_large',
      message: 'the request body is larger than 1048576 bytes',
    });
  });

  it('path parameters cannot reach outside the project folder', async () => {
    for (const path of [
      '/api/pipelines/..%2F..%2Fetc%2Fpasswd',
      '/api/pipelines/%2e%2e',
      '/api/runs/..%2Fstore.db/logs',
      '/api/pipelines/%E0%A4%A',
    ]) {
      const r = await raw(server.url, { path, headers: key });
      // Refused as a bad parameter (400), or normalised by URL parsing to no route (404).
      expect([path, [400, 404].includes(r.status)]).toEqual([path, true]);
      expect(JSON.parse(r.body).error.code).toMatch(/^(bad_request|not_found)$/);
      expect(r.body).not.toContain('root:');
    }
    // The UI's static files: a path that climbs out gets the UI's page, never the file.
    for (const path of ['/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const up = await raw(server.url, { path });
      expect(up.body).not.toContain('root:');
      expect([200, 403]).toContain(up.status);
    }
    const page = await raw(server.url, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Sluice</title>');
  });

  it('documents itself: OpenAPI 3 from the same schemas, and a docs page', async () => {
    const doc = JSON.parse((await raw(server.url, { path: '/openapi.json', headers: key })).body);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/runs/{run_id}'].get.operationId).toBe('runs.get');
    expect(doc.paths['/api/runs'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'page',
      'page_size',
      'status',
      'pipeline',
      'from',
      'to',
    ]);
    expect(
      doc.paths['/api/runs'].post.requestBody.content['application/json'].schema.properties
        .pipelines,
    ).toBeTruthy();
    const docs = await raw(server.url, { path: '/docs' });
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('/api/runs/{run_id}/cancel');
  });
});

describe('clients on other computers', () => {
  /** This machine's first address that is not loopback: a client from it is not "this computer". */
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  it('are refused on 0.0.0.0 even with Host: localhost, unless the server exposes itself', async () => {
    expect(lan, 'a non-loopback IPv4 address to connect from').toBeTruthy();
    const service = await SluiceService.open(project());
    const closed = await serve(service, { port: 0, host: '0.0.0.0', apiKey: 'k' });
    const open = await serve(service, {
      port: 0,
      host: '0.0.0.0',
      apiKey: 'k',
      remoteClients: true,
    });
    try {
      const at = (s: RunningServer): string => `http://${lan}:${new URL(s.url).port}`;
      const headers = { 'X-API-Key': 'k', Host: 'localhost' };
      const refused = await raw(at(closed), { path: '/api/project', headers });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).error.message).toBe(
        `requests from ${lan} are refused: this server takes requests from this computer only`,
      );
      const local = await raw(closed.url.replace('0.0.0.0', '127.0.0.1'), {
        path: '/api/project',
        headers,
      });
      expect(local.status).toBe(200);
      expect((await raw(at(open), { path: '/api/project', headers })).status).toBe(200);
    } finally {
      await closed.close();
      await open.close();
      await service.close();
    }
  });

  it('sluice serve binds beyond loopback only with --expose, and warns', async () => {
    const dir = project();
    const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_HOME: tempDir(), SLUICE_API_KEY: 'k' };
    const no = sluice(
      ['serve', dir, '--host', '0.0.0.0', '--port', '0'],
      env as Record<string, string>,
    );
    expect(no.code).toBe(2);
    expect(no.stderr).toContain(
      '--host 0.0.0.0 would take requests from other computers: add --expose',
    );
    const child = spawn(
      process.execPath,
      [SLUICE, 'serve', dir, '--host', '0.0.0.0', '--expose', '--port', '0'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (/open: /.test(out)) resolve();
      };
      child.stdout.on('data', check);
      child.on('close', () => reject(new Error(`serve stopped:\n${out}`)));
    });
    expect(out).toMatch(
      /warning: --expose: computers that can reach 0\.0\.0\.0 and have the API key/,
    );
    // Serving: it answers on loopback (so its Ctrl-C handler is in place).
    const port = /open: +http:\/\/[^:]+:(\d+)/.exec(out)![1];
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const closed = new Promise<[number | null, string | null]>((r) =>
      child.on('close', (code, signal) => r([code, signal])),
    );
    child.kill('SIGINT');
    expect(await closed, out).toEqual([0, null]);
  });
});

describe('the API key', () => {
  it('is generated once into an owner-only file, or taken from SLUICE_API_KEY', () => {
    const path = join(tempDir(), 'home', 'api-key');
    const saved = process.env.SLUICE_API_KEY;
    delete process.env.SLUICE_API_KEY;
    try {
      const first = apiKey(path);
      expect(first.source).toBe('generated');
      expect(first.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(apiKey(path)).toEqual({ key: first.key, source: 'file', path });
      process.env.SLUICE_API_KEY = 'from-env';
      expect(apiKey(path)).toEqual({ key: 'from-env', source: 'env' });
    } finally {
      if (saved === undefined) delete process.env.SLUICE_API_KEY;
      else process.env.SLUICE_API_KEY = saved;
    }
    expect(keyMatches('abc', 'abc')).toBe(true);
    expect(keyMatches('abd', 'abc')).toBe(false);
    expect(keyMatches(undefined, 'abc')).toBe(false);
  });
});

describe('sluice serve', () => {
  it('prints the URL with the key, serves the project, remembers it, and stops on Ctrl-C', async () => {
    const dir = project();
    const home = tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_HOME: home };
    delete env.SLUICE_API_KEY;
    const child = spawn(process.execPath, [SLUICE, 'serve', dir, '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, url, key] = await output(child).until(/open: +(\S+)\/#key=(\S+)/);
    expect(key).toBe(readFileSync(join(home, 'api-key'), 'utf8').trim());
    const r = await fetch(`${url}/api/project`, { headers: { 'X-API-Key': key } });
    expect(((await r.json()) as { name: string }).name).toBe('sec');
    expect(JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')).recentProjects[0]).toBe(dir);
    child.kill('SIGINT');
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
  });

  it('serves connections.save, remove and test only with --allow-connections', async () => {
    const dir = project();
    const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_HOME: tempDir() };
    const status = async (flags: string[]): Promise<number[]> => {
      const child = spawn(process.execPath, [SLUICE, 'serve', dir, '--port', '0', ...flags], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const [, url, key] = await output(child).until(/open: +(\S+)\/#key=(\S+)/);
        const post = (path: string, body: unknown): Promise<number> =>
          fetch(`${url}${path}`, {
            method: 'POST',
            headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }).then((r) => r.status);
        return [
          (await fetch(`${url}/api/connections`, { headers: { 'X-API-Key': key } })).status,
          await post('/api/connections', { name: 'x', host: 'h', database: 'd', user: 'u' }),
          await post('/api/connections/test', { name: 'x', port: 1, timeout_s: 1 }),
          await post('/api/connections/x/remove', {}),
        ];
      } finally {
        child.kill('SIGINT');
        await new Promise((r) => child.on('close', r));
      }
    };
    expect(await status([])).toEqual([200, 403, 403, 403]);
    expect(await status(['--allow-connections'])).toEqual([200, 200, 200, 200]);
  });
});
