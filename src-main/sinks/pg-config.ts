/**
 * The one way Sluice turns a postgres:// URL and the password kept beside it into pg's config.
 * pg itself, given `connectionString` and `password` together, lets the URL win: 8.23 assigns
 * the parsed URL over the config, and a URL without a password parses to `password: ''`, so the
 * kept password never reached the server (pg fell back to PGPASSWORD). Here the URL is parsed
 * first (by pg's own parser) and the password set after it.
 */
import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/** What a caller adds to the server and the login: timeouts. */
export type PgOptions = Pick<
  pg.ClientConfig,
  'connectionTimeoutMillis' | 'statement_timeout' | 'query_timeout' | 'application_name'
>;

/**
 * pg's config for `url`: a password given wins over the URL's own; with neither, pg falls back
 * to PGPASSWORD. TLS is as the URL's sslmode says (see connectionUrl for libpq's `require`).
 *
 * @example new pg.Client(pgConfig('postgres://etl@db:5432/dw', 'secret', { query_timeout: 5000 }))
 */
export function pgConfig(url: string, password?: string, options: PgOptions = {}): pg.ClientConfig {
  const { password: own, ...parsed } = parseIntoClientConfig(url);
  const database = databaseOf(url);
  const kept = password || (typeof own === 'string' && own) || undefined;
  return {
    ...parsed,
    ...(database !== undefined && { database }),
    ...options,
    ...(kept !== undefined && { password: kept }),
  };
}

/**
 * Where a URL points, for people: postgres://host:port/database, names decoded, without the
 * user, a password or options. Example: postgres://etl@db:5432/my%20dw -> postgres://db:5432/my dw
 */
/** Where a load writes, as a run's report names it: "postgres://host:5432/db#schema.table". */
export function tableLabel(url: string, o: { schema: string; table: string }): string {
  return `${pgLabel(url)}#${o.schema}.${o.table}`;
}

export function pgLabel(url: string): string {
  try {
    const c = pgConfig(url);
    const host = c.host?.includes(':') ? `[${c.host}]` : (c.host ?? '');
    return `postgres://${host}${c.port ? `:${c.port}` : ''}/${c.database ?? ''}`;
  } catch {
    return url.replace(/^(postgres(ql)?:\/\/)([^@]*@)?/, '$1');
  }
}

/**
 * The database of a URL, decoded as a URL component: pg's parser uses decodeURI, which leaves
 * %2F, %23, %3F and the like encoded in a database name. Undefined: leave it to pg's parser.
 */
function databaseOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!/^postgres(ql)?:$/.test(u.protocol)) return undefined;
    const path = u.pathname.slice(1);
    return path ? decodeURIComponent(path) : undefined;
  } catch {
    return undefined; // not a URL new URL reads, or a bare % in it: pg's parser decides
  }
}

/**
 * Whether two connections reach the same database as the same login: host (as written), port,
 * database and user. Only then can one session write what the other's query made; another
 * login may hold other rights, so it keeps a session of its own.
 */
export function sameDatabase(a: string, b: string): boolean {
  let x: pg.ClientConfig, y: pg.ClientConfig;
  try {
    [x, y] = [pgConfig(a), pgConfig(b)];
  } catch {
    return false; // a URL pg cannot read: its own load says so
  }
  return (
    (x.host ?? '') === (y.host ?? '') &&
    Number(x.port ?? 5432) === Number(y.port ?? 5432) &&
    (x.database ?? '') === (y.database ?? '') &&
    (x.user ?? '') === (y.user ?? '')
  );
}
