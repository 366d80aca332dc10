/**
 * Saved connections through the service, against the real PostgreSQL of this machine: the
 * details in the data folder, passwords only in the keychain (a fake reversible cipher stands
 * in for safeStorage), "Test connection" with its clear errors, and runs that load into a saved
 * connection, named by a recipe or chosen as the run's target.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { keychainOf } from '../../src-main/service/handlers/connections';
import { CredentialStore, type Cipher } from '../../src-main/store/credentials';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import type { ApiResult, MethodName, Params, Result } from '../../src-shared/api/contract';
import { DATABASE_URL, query, testSchema } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const home = tempDir();
process.env.SLUICE_HOME = home;
const pgUrl = new URL(DATABASE_URL);
const LOCAL = {
  host: pgUrl.hostname,
  port: Number(pgUrl.port || 5432),
  database: pgUrl.pathname.slice(1),
  user: decodeURIComponent(pgUrl.username),
};

/** Reversible, and never the password's own bytes: enough to see what lands on disk. */
const fakeKeychain = (available = true, mask = 0x5a): Cipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ mask)),
  decryptString: (b) => {
    const text = Buffer.from([...b].map((x) => x ^ mask)).toString('utf8');
    // A real keychain refuses what another one encrypted; this one sees it by its marker.
    if (!text.startsWith('pw:')) throw new Error('not encrypted by this keychain');
    return text.slice(3);
  },
});
/** What the desktop app would store: the fake cipher above reads only its own. */
const secret = (pw: string): string => `pw:${pw}`;

const schema = testSchema();
const services: SluiceService[] = [];

async function open(
  dir: string,
  opts: Parameters<typeof SluiceService.open>[1] = {},
): Promise<{
  svc: SluiceService;
  call: <M extends MethodName>(m: M, p: Params<M>) => Promise<ApiResult<Result<M>>>;
}> {
  const svc = await SluiceService.open(dir, opts);
  services.push(svc);
  const dispatch = createDispatcher(svc.handlers);
  return {
    svc,
    call: async <M extends MethodName>(m: M, p: Params<M>) =>
      (await dispatch(m, p)) as ApiResult<Result<M>>,
  };
}

/** The value of an answer that must be ok. */
function ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

let project = '';
let silent: Server;
let silentPort = 0;

beforeAll(async () => {
  project = makeProject(
    {
      load: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: postgres, connection: warehouse, schema: ${schema}, table: loaded, mode: full}\n`,
    },
    {
      name: 'conns',
      smallCsv: 'id,v\n1,10\n2,20\n3,30\n',
      // The project's own "warehouse" points nowhere: the saved one of that name must win.
      settings: 'connections:\n  warehouse: {url: "postgres://nobody@127.0.0.1:1/none"}\n',
    },
  );
  // A server that accepts connections and never answers: what a timeout looks like.
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});

afterAll(async () => {
  for (const s of services) await s.close();
  silent?.close();
});

describe('connections with a keychain (the desktop app)', () => {
  const keychain = new CredentialStore(fakeKeychain(), join(home, 'credentials.json'));

  it('saves details in the data folder and the password only encrypted in the keychain', async () => {
    const { call } = await open(project, { keychain, manageConnections: true });
    const saved = ok(
      await call('connections.save', {
        name: 'warehouse',
        ...LOCAL,
        password: secret('hunter2-secret'),
        exists: false,
      }),
    );
    expect(saved).toMatchObject({
      name: 'warehouse',
      password_kept: true,
      shadows_project: true,
      url: `postgres://${LOCAL.user}@${LOCAL.host}:${LOCAL.port}/${LOCAL.database}`,
    });
    const details = readFileSync(join(home, 'connections.json'), 'utf8');
    const secrets = readFileSync(join(home, 'credentials.json'), 'utf8');
    expect(details).not.toContain('hunter2');
    expect(JSON.parse(details)).toEqual({
      version: 1,
      connections: { warehouse: { ...LOCAL, sslmode: 'disable' } },
    });
    expect(secrets).not.toContain('hunter2');
    expect(keychain.get('warehouse')).toBe('hunter2-secret');
    expect(keychainOf({ keychain }).password('warehouse')).toBe('hunter2-secret');

    const list = ok(await call('connections.list', {}));
    expect(list.keychain).toBe(true);
    expect(list.connections).toHaveLength(1);
    expect(list.connections[0]).toMatchObject({ name: 'warehouse', password_kept: true });
    expect(JSON.stringify(list)).not.toContain('hunter2');
  });

  it('an edit without a password keeps the kept one; null forgets it', async () => {
    const { call } = await open(project, { keychain, manageConnections: true });
    const again = await call('connections.save', { name: 'warehouse', ...LOCAL, exists: false });
    expect(again.ok || again.error.code).toBe('conflict');
    ok(
      await call('connections.save', {
        name: 'warehouse',
        ...LOCAL,
        port: LOCAL.port,
        exists: true,
      }),
    );
    expect(keychain.get('warehouse')).toBe('hunter2-secret');
    ok(await call('connections.save', { name: 'spare', ...LOCAL, password: secret('x') }));
    const forgot = ok(await call('connections.save', { name: 'spare', ...LOCAL, password: null }));
    expect(forgot.password_kept).toBe(false);
    expect(keychain.has('spare')).toBe(false);
    ok(await call('connections.save', { name: 'spare', ...LOCAL, password: secret('y') }));
    expect(ok(await call('connections.remove', { name: 'spare' }))).toEqual({
      name: 'spare',
      password_forgotten: true,
    });
    expect(keychain.has('spare')).toBe(false);
    const gone = await call('connections.remove', { name: 'spare' });
    expect(gone.ok || gone.error.code).toBe('not_found');
  });
});

describe('Test connection, against the real server', () => {
  it('a saved connection answers the server version', async () => {
    const { call } = await open(project, { manageConnections: true });
    const r = ok(await call('connections.test', { name: 'warehouse' }));
    expect(r.ok).toBe(true);
    expect(r.version).toMatch(/^PostgreSQL \d+/);
    expect(r.error).toBeNull();
  });

  it('unsaved details from the form answer too', async () => {
    const { call } = await open(project, { manageConnections: true });
    const r = ok(await call('connections.test', { ...LOCAL }));
    expect(r.version).toMatch(/^PostgreSQL \d+/);
  });

  it('a closed port: nothing is listening at host:port', async () => {
    const { call } = await open(project, { manageConnections: true });
    const r = ok(await call('connections.test', { ...LOCAL, port: 1 }));
    expect(r).toMatchObject({ ok: false, version: null });
    expect(r.error).toBe(
      `nothing is listening at ${LOCAL.host}:1: is PostgreSQL running there, on that port?`,
    );
  });

  it('a database that does not exist, and a user who does not', async () => {
    const { call } = await open(project, { manageConnections: true });
    const db = ok(
      await call('connections.test', { name: 'warehouse', database: 'no_such_db_sluice' }),
    );
    expect(db.error).toBe(
      `database "no_such_db_sluice" does not exist at ${LOCAL.host}:${LOCAL.port}`,
    );
    const user = ok(await call('connections.test', { ...LOCAL, user: 'no_such_user_sluice' }));
    expect(user.error).toMatch(/^authentication failed for user "no_such_user_sluice" at /);
  });

  it('a server that never answers: a timeout after N s, not a hang', async () => {
    const { call } = await open(project, { manageConnections: true });
    const t0 = Date.now();
    const r = ok(await call('connections.test', { ...LOCAL, port: silentPort, timeout_s: 1 }));
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.error).toBe(
      `no answer from ${LOCAL.host}:${silentPort} after 1 s (timeout): is the host right, and does a firewall let the port through?`,
    );
  });
});

describe('without a keychain (the CLI, the HTTP server)', () => {
  it('refuses to keep a password, telling the user to use SLUICE_PASSWORD_<NAME>; the rest works', async () => {
    const { call } = await open(project, { manageConnections: true });
    const before = readFileSync(join(home, 'connections.json'), 'utf8');
    const r = await call('connections.save', { name: 'other', ...LOCAL, password: 'pw' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad_request');
    expect(r.error.message).toContain('set SLUICE_PASSWORD_OTHER in the environment');
    expect(readFileSync(join(home, 'connections.json'), 'utf8')).toBe(before); // nothing half-saved
    const list = ok(await call('connections.list', {}));
    expect(list.keychain).toBe(false);
    // What the desktop app kept is still known (and could be forgotten), never read.
    expect(list.connections.find((c) => c.name === 'warehouse')?.password_kept).toBe(true);
    ok(await call('connections.save', { name: 'other', ...LOCAL }));
    ok(await call('connections.remove', { name: 'other' }));
  });

  it('without manageConnections (sluice serve by default) only the list is served', async () => {
    const { call } = await open(project);
    expect(ok(await call('connections.list', {})).connections.length).toBeGreaterThan(0);
    for (const [m, p] of [
      ['connections.save', { name: 'x', ...LOCAL }],
      ['connections.remove', { name: 'warehouse' }],
      ['connections.test', { name: 'warehouse' }],
    ] as const) {
      const r = await call(m, p as never);
      expect(r.ok ? 'ok' : r.error.code, m).toBe('forbidden');
      if (!r.ok) expect(r.error.message).toContain('--allow-connections');
    }
  });
});

describe('runs load into saved connections', () => {
  async function finished(svc: SluiceService, runId: string): Promise<string> {
    await svc.idle();
    const r = await createDispatcher(svc.handlers)('runs.get', { run_id: runId });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as Result<'runs.get'>).run.status;
  }

  it("a recipe's connection: warehouse finds the saved one (it wins over sluice.yaml's)", async () => {
    const { svc, call } = await open(project);
    const { run_id } = ok(await call('runs.start', { pipelines: ['load'] }));
    expect(await finished(svc, run_id)).toBe('succeeded');
    const rows = await query<{ id: string; v: string }>(
      `select id, v from "${schema}".loaded order by id`,
    );
    expect(rows.map((r) => [String(r.id), String(r.v)])).toEqual([
      ['1', '10'],
      ['2', '20'],
      ['3', '30'],
    ]);
  });

  it('a kept password that cannot be read fails only the runs that load into its connection', async () => {
    // Kept by another keychain (another user or machine): this one cannot decrypt it.
    const path = join(tempDir(), 'credentials.json');
    const keychain = new CredentialStore(fakeKeychain(), path);
    const { svc, call } = await open(project, { keychain, manageConnections: true });
    ok(await call('connections.save', { name: 'other', ...LOCAL }));
    new CredentialStore(fakeKeychain(true, 0x33), path).set('other', secret('theirs'));
    const { run_id } = ok(await call('runs.start', { pipelines: ['load'] }));
    expect(await finished(svc, run_id)).toBe('succeeded');
    // A run that loads into it says why it cannot start.
    const lite = makeProject(
      { lite: 'source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: t}\n' },
      { name: 'lite', smallCsv: 'id\n1\n' },
    );
    const other = await open(lite, { keychain });
    const r = await other.call('runs.start', { connection: 'other' });
    expect(r.ok ? 'started' : r.error).toEqual({
      code: 'conflict',
      message: expect.stringMatching(/password kept for connection "other" cannot be decrypted/),
    });
    ok(await call('connections.remove', { name: 'other' }));
  });

  it('a run targeted at a saved connection sends its SQLite loads there', async () => {
    const dir = makeProject(
      {
        lite: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: ${schema}_lite, mode: full}\n`,
      },
      { name: 'targeted', smallCsv: 'id\n7\n8\n' },
    );
    const { svc, call } = await open(dir);
    const bad = await call('runs.start', { target: 'sqlite', connection: 'warehouse' });
    expect(bad.ok || bad.error.code).toBe('bad_request');
    const { run_id } = ok(
      await call('runs.start', { target: 'postgres', connection: 'warehouse' }),
    );
    try {
      expect(await finished(svc, run_id)).toBe('succeeded');
      const rows = await query<{ n: string }>(`select count(*) as n from sluice."${schema}_lite"`);
      expect(Number(rows[0].n)).toBe(2);
    } finally {
      await query(`drop table if exists sluice."${schema}_lite"`);
    }
  });
});
