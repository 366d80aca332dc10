/**
 * "Test connection": connect to a PostgreSQL server, ask `select version()`, and say in words
 * what went wrong when it fails. Bounded: it never waits longer than the timeout given.
 */
import { loadPg } from './pg-driver';
import { pgConfig } from './pg-config';

export interface ProbeTarget {
  url: string;
  password?: string;
  host: string;
  port: number;
  database: string;
  user: string;
}

export type ProbeResult = { ok: true; version: string } | { ok: false; error: string };

/** Connects to `t`, runs `select version()` and closes; at most `timeoutMs` in all. */
export async function probePostgres(t: ProbeTarget, timeoutMs = 10_000): Promise<ProbeResult> {
  // Without a password pg falls back to PGPASSWORD, as a run's load does.
  const client = new (await loadPg()).Client(
    pgConfig(t.url, t.password, { connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs }),
  );
  client.on('error', () => undefined); // a late socket error after a timeout is not a crash
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new ProbeTimeout()), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), deadline]);
    const r = await Promise.race([client.query<{ version: string }>('select version()'), deadline]);
    return { ok: true, version: r.rows[0].version };
  } catch (e) {
    return { ok: false, error: probeMessage(e, t, timeoutMs) };
  } finally {
    clearTimeout(timer);
    void client.end().catch(() => undefined);
  }
}

class ProbeTimeout extends Error {}

/** What a failed connection means for the person at the form, by the error's code. */
export function probeMessage(e: unknown, t: ProbeTarget, timeoutMs: number): string {
  const at = `${t.host}:${t.port}`;
  const err = e as { code?: string; message?: string };
  const seconds = Math.round(timeoutMs / 100) / 10;
  if (e instanceof ProbeTimeout || /timeout/i.test(err.message ?? ''))
    return `no answer from ${at} after ${seconds} s (timeout): is the host right, and does a firewall let the port through?`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${at}: is PostgreSQL running there, on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${t.host} is not known (no address for that name)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${at} cannot be reached from this computer (no route to it)`;
    case '28P01':
    case '28000':
      return `authentication failed for user "${t.user}" at ${at} (${err.message ?? 'refused'}): check the user name and password (a password is ${t.password === undefined ? 'not set' : 'set'})`;
    case '3D000':
      return `database "${t.database}" does not exist at ${at}`;
  }
  if (/password must be a string|SASL/.test(err.message ?? ''))
    return `authentication failed for user "${t.user}" at ${at}: the server asks for a password and none is set`;
  if (/does not support SSL/i.test(err.message ?? ''))
    return `${at} does not support SSL connections: choose sslmode disable`;
  return `cannot connect to ${at}: ${err.message ?? String(e)}`;
}
