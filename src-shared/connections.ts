/**
 * Saved PostgreSQL connections: the user's own, kept in Sluice's data folder outside any
 * project, so that a recipe's `connection: warehouse` finds the server without sluice.yaml
 * naming it. Never a password here: the desktop app keeps it in the OS keychain.
 */
import { z } from 'zod';

/** A connection's name, as recipes and SLUICE_PASSWORD_<NAME> use it. */
export const ConnectionName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,62}$/,
    'a connection name: a letter, then letters, digits, _ or - (63 at most)',
  );

/**
 * TLS to the server, as libpq means it: disable (none: pg's own default without sslmode),
 * require (encrypted, the certificate not checked) or verify-full (encrypted, the certificate
 * and the host name checked). pg 8 alone reads `require` as `verify-full`: connectionUrl asks
 * for libpq's reading.
 */
export const SslMode = z.enum(['disable', 'require', 'verify-full']);
export type SslMode = z.infer<typeof SslMode>;

/** Where a PostgreSQL server is and who to be there. */
export const ConnectionDetails = z.strictObject({
  host: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\s/@?#]+$/, 'a host name or address, without spaces, /, @, ? or #'),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1).max(63),
  user: z.string().min(1).max(63),
  sslmode: SslMode.default('disable'),
});
export type ConnectionDetails = z.infer<typeof ConnectionDetails>;

/** The file in the data folder: version 1, connections by name. */
export const SavedConnectionsFile = z.strictObject({
  version: z.literal(1),
  connections: z.record(ConnectionName, ConnectionDetails),
});
export type SavedConnectionsFile = z.infer<typeof SavedConnectionsFile>;

/** The query of a connection's URL per sslmode: pg takes libpq's `require` only when asked. */
const SSL_QUERY: Record<SslMode, string> = {
  disable: '',
  require: '?uselibpqcompat=true&sslmode=require',
  'verify-full': '?sslmode=verify-full',
};

/**
 * The postgres:// URL of saved details (no password: it travels beside the URL).
 * Example: {host: 'db', port: 5432, database: 'dw', user: 'etl', sslmode: 'disable'} ->
 * postgres://etl@db:5432/dw (sslmode in the query when TLS is asked for).
 */
export function connectionUrl(c: ConnectionDetails): string {
  const host = c.host.includes(':') && !c.host.startsWith('[') ? `[${c.host}]` : c.host;
  const url = `postgres://${encodeURIComponent(c.user)}@${host}:${c.port}/${encodeURIComponent(c.database)}`;
  return url + SSL_QUERY[c.sslmode];
}

/** The environment variable that gives a connection's password: SLUICE_PASSWORD_<NAME>. */
export function passwordVariable(name: string): string {
  return `SLUICE_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
