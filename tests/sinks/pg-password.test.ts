/**
 * The password a connection keeps reaches its server: "Test connection" and a load send it, on
 * the wire, to a fake server that asks for one in clear text (pg 8.23 let a URL without a
 * password override the one passed beside it). The URL's own password still counts, after
 * SLUICE_PASSWORD_<NAME> and the keychain's, as docs/recipes.md says.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresOutput } from '../../src-shared/recipe/pipeline';
import { createSink } from '../../src-main/sinks/index';
import { probePostgres } from '../../src-main/sinks/postgres-probe';
import { PostgresSink } from '../../src-main/sinks/postgres-sink';
import { SinkError } from '../../src-main/sinks/sink';
import { fakePg } from '../helpers/fake-pg';

const output = PostgresOutput.parse({ kind: 'postgres', connection: 'wh', table: 't' });
const fields = [{ name: 'id', type: 'int' as const }];
const ignore = (): void => undefined;

/** Opens a load into `url` with `password` (the connection refuses, having heard it). */
async function openLoad(url: string, password?: string): Promise<void> {
  const sink = new PostgresSink(
    output,
    { url, password, runId: 'r', pipeline: 'p' },
    ignore,
    ignore,
  );
  await sink.open(fields);
}

// pg falls back to PGPASSWORD without a password: none here, so a lost one shows as none.
const saved = { ...process.env };
beforeEach(() => {
  delete process.env.PGPASSWORD;
  delete process.env.SLUICE_PASSWORD_WH;
  delete process.env.SLUICE_PASSWORD_DEFAULT;
});
afterEach(() => {
  for (const k of ['PGPASSWORD', 'SLUICE_PASSWORD_WH', 'SLUICE_PASSWORD_DEFAULT', 'DATABASE_URL'])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('the kept password goes to the server', () => {
  it('Test connection sends it, and with it in hand the server answers', async () => {
    const refusing = await fakePg();
    const r = await probePostgres(
      {
        url: refusing.url(),
        password: 'kept-pw',
        host: '127.0.0.1',
        port: refusing.port,
        database: 'dw',
        user: 'etl',
      },
      10_000,
    );
    expect(r.ok).toBe(false);
    expect(refusing.logins).toEqual([
      { user: 'etl', database: 'dw', password: 'kept-pw', tls: false },
    ]);
    if (!r.ok) expect(r.error).toContain('authentication failed for user "etl"');

    const accepting = await fakePg({ accept: true });
    const ok = await probePostgres(
      {
        url: accepting.url(),
        password: 'kept-pw',
        host: '127.0.0.1',
        port: accepting.port,
        database: 'dw',
        user: 'etl',
      },
      10_000,
    );
    expect(ok).toEqual({ ok: true, version: 'FakePG' });
    expect(accepting.logins[0].password).toBe('kept-pw');
  });

  it('a load sends it', async () => {
    const server = await fakePg();
    const failed = openLoad(server.url(), 'load-pw');
    await expect(failed).rejects.toBeInstanceOf(SinkError);
    await expect(failed).rejects.toThrow(/password authentication failed/);
    expect(server.logins.map((l) => l.password)).toEqual(['load-pw']);
  });

  it("the URL's own password counts when none is given, and one given wins over it", async () => {
    const server = await fakePg();
    const withOwn = `postgres://etl:url-pw@127.0.0.1:${server.port}/dw`;
    await expect(openLoad(withOwn)).rejects.toThrow(SinkError);
    await expect(openLoad(withOwn, 'given-pw')).rejects.toThrow(SinkError);
    expect(server.logins.map((l) => l.password)).toEqual(['url-pw', 'given-pw']);
  });

  it('SLUICE_PASSWORD_<NAME> wins over the keychain, which wins over the URL (then PGPASSWORD)', async () => {
    const server = await fakePg();
    const load = async (name: string, passwords: Record<string, string>): Promise<void> => {
      const sink = createSink(PostgresOutput.parse({ ...output, connection: name }), {
        place: (p) => p,
        defaultDatabase: '',
        connections: { wh: { url: server.url() } },
        passwords,
        runId: 'r',
        pipeline: 'p',
        reject: ignore,
        rejectRecord: ignore,
      });
      await expect(sink.open(fields)).rejects.toThrow(SinkError);
    };
    await load('wh', { wh: 'from-keychain' });
    process.env.SLUICE_PASSWORD_WH = 'from-env';
    await load('wh', { wh: 'from-keychain' });
    // "default" is DATABASE_URL, whose own password stands unless SLUICE_PASSWORD_DEFAULT is set.
    process.env.DATABASE_URL = `postgres://etl:url-pw@127.0.0.1:${server.port}/dw`;
    await load('default', {});
    process.env.SLUICE_PASSWORD_DEFAULT = 'default-env';
    await load('default', {});
    delete process.env.SLUICE_PASSWORD_DEFAULT;
    process.env.DATABASE_URL = server.url();
    process.env.PGPASSWORD = 'pg-env';
    await load('default', {});
    expect(server.logins.map((l) => l.password)).toEqual([
      'from-keychain',
      'from-env',
      'url-pw',
      'default-env',
      'pg-env',
    ]);
  });
});
