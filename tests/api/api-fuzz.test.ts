/**
 * Random requests to every method of the HTTP API: whatever the parameters or the body, the
 * answer is a JSON error with a 4xx status or a success, never a 5xx. The budget is fixed; a
 * failure prints fast-check's seed and path, and FUZZ_SEED=<seed> replays the same requests.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS, type MethodName } from '../../src-shared/api/contract';
import { httpRequestOf } from '../../src-shared/api/http-client';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { makeProject } from '../helpers/project';

const KEY = 'fuzz-key';
const RUNS_PER_METHOD = 25;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
let service: SluiceService;
let server: RunningServer;

function send(
  verb: string,
  path: string,
  body?: string,
  type = 'application/json',
): Promise<{ status: number; body: string }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: verb,
        headers: { 'X-API-Key': KEY, ...(body !== undefined ? { 'Content-Type': type } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Values a caller might send: plausible ones (names, ids, paths that climb out) and junk. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof(
    { maxDepth: 2 },
    fc.constantFrom(
      'a',
      'small.csv',
      '../../../etc/passwd',
      '/etc/passwd',
      'run_20260101T000000Z_abcdef',
      '__proto__',
      'constructor',
      '',
      ' ',
      '\u0000',
      '%2e%2e',
      -1,
      0,
      1,
      1e308,
      true,
      null,
    ),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('any'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).any;

/** Parameters for `m`: its own keys with random values, sometimes extra keys. */
function paramsOf(m: MethodName): fc.Arbitrary<Record<string, unknown>> {
  const shape = (METHODS[m].params as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = Object.keys(shape);
  return fc
    .tuple(
      fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2, noNullPrototype: true }),
    )
    .map(([own, extra]) => ({ ...extra, ...own }));
}

function expectAnswer(what: string, r: { status: number; body: string }): void {
  expect(r.status, `${what} -> ${r.status} ${r.body.slice(0, 300)}`).toBeLessThan(500);
  const parsed = JSON.parse(r.body) as { error?: { code: string; message: string } };
  if (r.status >= 400) {
    expect(parsed.error?.code, what).toBeTruthy();
    expect(parsed.error?.message, what).not.toMatch(/\n\s+at /);
  }
}

beforeAll(async () => {
  const dir = makeProject(
    { a: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n' },
    { name: 'fuzz', smallCsv: 'id,v\n1,10\n2,20\n' },
  );
  service = await SluiceService.open(dir);
  server = await serve(service, { port: 0, apiKey: KEY });
});

afterAll(async () => {
  await service.close();
  await server.close();
});

describe('the API under random requests', () => {
  const methods = (Object.keys(METHODS) as MethodName[]).filter(
    // Uploads send bytes, not parameters: fuzzed on their own below.
    (m) => m !== 'files.upload',
  );
  for (const m of methods)
    it(`${m}: random parameters get a 4xx or an answer, never a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(paramsOf(m), async (params) => {
          // A query or path carries text: objects go as JSON (String() of {toString: 1} throws
          // in the client, before any request).
          const { verb, path } = METHODS[m].http;
          const flat = (k: string, v: unknown): unknown =>
            typeof v === 'object' && v !== null && (verb !== 'POST' || path.includes(`{${k}}`))
              ? JSON.stringify(v)
              : v;
          const req = httpRequestOf(
            m,
            Object.fromEntries(Object.entries(params).map(([k, v]) => [k, flat(k, v)])),
          );
          expectAnswer(`${m} ${JSON.stringify(params)}`, await send(req.verb, req.path, req.body));
        }),
        { numRuns: RUNS_PER_METHOD, seed },
      );
      await service.idle();
    });

  it('random bodies and content types on POST routes get 4xx, never 5xx', async () => {
    const posts = (Object.keys(METHODS) as MethodName[]).filter(
      (m) => METHODS[m].http.verb === 'POST',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json(),
          fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (m, body, type) => {
          const path = httpRequestOf(m, { name: 'a', run_id: 'run_x' }).path;
          expectAnswer(`${m} ${JSON.stringify(body)}`, await send('POST', path, body, type));
        },
      ),
      { numRuns: 150, seed },
    );
    await service.idle();
  });

  it('random uploads: names and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('x.csv', '../x.csv', 'a/b.csv')),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        async (name, bytes, replace) => {
          const path = `/api/files/${encodeURIComponent(name)}?replace=${replace}`;
          const u = new URL(server.url);
          const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = request(
              {
                host: u.hostname,
                port: u.port,
                path,
                method: 'PUT',
                headers: { 'X-API-Key': KEY, 'Content-Type': 'application/octet-stream' },
              },
              (res) => {
                let text = '';
                res.on('data', (d) => (text += d));
                res.on('end', () => resolve({ status: res.statusCode!, body: text }));
              },
            );
            req.on('error', reject);
            req.end(Buffer.from(bytes));
          });
          expectAnswer(`upload ${JSON.stringify(name)}`, r);
        },
      ),
      { numRuns: 60, seed },
    );
  });
});
