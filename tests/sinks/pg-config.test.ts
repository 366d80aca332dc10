/**
 * What pg is given for a saved connection: TLS as libpq means each sslmode (pg 8 alone reads
 * `require` as verify-full), and database and user names with spaces, % and the like decoded
 * again, on the wire and wherever a person reads them.
 */
import { describe, expect, it } from 'vitest';
import { connectionUrl, type ConnectionDetails } from '../../src-shared/connections';
import { PostgresOutput } from '../../src-shared/recipe/pipeline';
import { pgConfig, pgLabel, sameDatabase } from '../../src-main/sinks/pg-config';
import { probePostgres } from '../../src-main/sinks/postgres-probe';
import { PostgresSink } from '../../src-main/sinks/postgres-sink';
import { fakePg } from '../helpers/fake-pg';

const base: ConnectionDetails = {
  host: 'db.example',
  port: 5432,
  database: 'dw',
  user: 'etl',
  sslmode: 'disable',
};
const ODD_DB = 'my db/100%#?x';
const ODD_USER = 'ann smith%';

describe('sslmode', () => {
  it('disable: no TLS asked; require: encrypted, the certificate not checked; verify-full: checked', () => {
    const ssl = (sslmode: ConnectionDetails['sslmode']) =>
      pgConfig(connectionUrl({ ...base, sslmode })).ssl;
    expect(ssl('disable')).toBeUndefined();
    expect(ssl('require')).toEqual({ rejectUnauthorized: false });
    // An object without rejectUnauthorized: false is TLS with Node's checks (CA and host name).
    expect(ssl('verify-full')).toEqual({});
    expect(connectionUrl({ ...base, sslmode: 'require' })).toBe(
      'postgres://etl@db.example:5432/dw?uselibpqcompat=true&sslmode=require',
    );
  });

  it('require asks the server for TLS before any password, and says so when it has none', async () => {
    const server = await fakePg();
    const details = { ...base, host: '127.0.0.1', port: server.port, sslmode: 'require' as const };
    const r = await probePostgres({ ...details, url: connectionUrl(details), password: 'pw' });
    expect(r).toEqual({
      ok: false,
      error: `127.0.0.1:${server.port} does not support SSL connections: choose sslmode disable`,
    });
    expect(server.logins).toEqual([]); // refused before the startup: no user, no password sent
  });
});

describe('names with spaces, % and other URL characters', () => {
  const odd = { ...base, database: ODD_DB, user: ODD_USER };

  it('reach pg decoded, and read back decoded', () => {
    const c = pgConfig(connectionUrl(odd));
    expect([c.database, c.user, c.host, c.port]).toEqual([ODD_DB, ODD_USER, 'db.example', 5432]);
    expect(pgLabel(connectionUrl(odd))).toBe(`postgres://db.example:5432/${ODD_DB}`);
    expect(pgLabel(connectionUrl({ ...odd, host: '::1' }))).toBe(`postgres://[::1]:5432/${ODD_DB}`);
  });

  it('go to the server as they are, and a load names its target and its failure decoded', async () => {
    const server = await fakePg();
    const details = { ...odd, host: '127.0.0.1', port: server.port };
    const sink = new PostgresSink(
      PostgresOutput.parse({ kind: 'postgres', schema: 's', table: 't' }),
      { url: connectionUrl(details), password: 'pw', runId: 'r', pipeline: 'p' },
      () => undefined,
      () => undefined,
    );
    const label = `postgres://127.0.0.1:${server.port}/${ODD_DB}`;
    expect(sink.path).toBe(`${label}#s.t`);
    await expect(sink.open([{ name: 'id', type: 'int' }])).rejects.toThrow(
      `cannot connect to PostgreSQL at ${label}: `,
    );
    expect(server.logins).toEqual([
      { user: ODD_USER, database: ODD_DB, password: 'pw', tls: false },
    ]);
  });
});

describe('sameDatabase: whether the engine may write an output in its own session', () => {
  it('is the same host, port, database and user, whatever else the URLs say', () => {
    const a = 'postgres://etl@db:5432/dw';
    expect(sameDatabase(a, 'postgres://etl:secret@db/dw?sslmode=require')).toBe(true);
    expect(sameDatabase(a, 'postgres://etl@db:5432/my%20dw')).toBe(false);
    expect(sameDatabase(a, 'postgres://other@db:5432/dw')).toBe(false);
    expect(sameDatabase(a, 'postgres://etl@db:5433/dw')).toBe(false);
    // The same machine under another name may be another server: it keeps its own session.
    expect(sameDatabase('postgres://etl@127.0.0.1/dw', 'postgres://etl@localhost/dw')).toBe(false);
    expect(sameDatabase(a, 'not a url %')).toBe(false);
  });
});
