/**
 * The API's connection methods: the user's saved PostgreSQL connections (details in the data
 * folder, passwords in the OS keychain only), and "Test connection".
 */
import {
  connectionUrl,
  ConnectionDetails,
  passwordVariable,
} from '../../../src-shared/connections';
import type { Result } from '../../../src-shared/api/contract';
import {
  readSavedConnections,
  SavedConnectionsError,
  writeSavedConnections,
} from '../../io/saved-connections';
import { probePostgres } from '../../sinks/postgres-probe';
import { noKeychain, sameLogin, withSecret } from '../connection-passwords';
import { CredentialError, CredentialStore, NO_KEYCHAIN } from '../../store/credentials';
import type { Handlers, ServiceOptions } from '../context';
import { ApiFailure } from '../errors';

/**
 * The keychain a service was given, else one that keeps nothing (and can still tell and forget
 * what the desktop app kept); `password` reads a kept password where it can be decrypted.
 */
export function keychainOf(opts: Pick<ServiceOptions, 'keychain'>): {
  store: CredentialStore;
  password(name: string): string | undefined;
} {
  const store = opts.keychain ?? new CredentialStore(NO_KEYCHAIN);
  return {
    store,
    password: (name) => (store.available() && store.has(name) ? store.get(name) : undefined),
  };
}

/**
 * What the connection methods need: the service's options, and the open project's connections
 * (to say which saved one shadows one of sluice.yaml). The CLI passes a project without any.
 */
export interface ConnectionsContext {
  readonly opts: Pick<ServiceOptions, 'keychain' | 'manageConnections' | 'face'>;
  readonly project: { readonly project: { readonly connections: Record<string, unknown> } };
}
type Ctx = ConnectionsContext;

export function connectionHandlers(
  ctx: Ctx,
): Pick<
  Handlers,
  'connections.list' | 'connections.save' | 'connections.remove' | 'connections.test'
> {
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof SavedConnectionsError || e instanceof CredentialError)
        throw new ApiFailure('conflict', e.message);
      throw e;
    }
  };
  const manage = (what: string): void => {
    if (ctx.opts.manageConnections !== true)
      throw new ApiFailure(
        'forbidden',
        `${what} is turned off here: it makes this computer connect where asked. Use the desktop app or the sluice connections command, or start sluice serve with --allow-connections`,
      );
  };

  return {
    'connections.list': async () =>
      guard(() => {
        const keychain = keychainOf(ctx.opts).store;
        const saved = readSavedConnections();
        return {
          connections: Object.keys(saved)
            .sort()
            .map((name) => infoOf(ctx, name, saved[name], keychain)),
          keychain: keychain.available(),
        };
      }),

    'connections.save': async ({ name, password, exists, ...fields }) => {
      manage('Saving a connection');
      return guard(() => {
        const keychain = keychainOf(ctx.opts).store;
        const saved = readSavedConnections();
        const had = Object.hasOwn(saved, name);
        if (exists === true && !had)
          throw new ApiFailure('not_found', `there is no saved connection named "${name}"`);
        if (exists === false && had)
          throw new ApiFailure(
            'conflict',
            `a connection named "${name}" is saved already: edit it, or choose another name`,
          );
        // Refused before anything is written, so a failed save leaves no half of itself.
        if (typeof password === 'string' && !keychain.available())
          throw new ApiFailure('bad_request', noKeychain(ctx.opts.face, name));
        const details = ConnectionDetails.parse(fields);
        // A new connection never inherits a password left kept under its name (by a removal
        // that failed half-way, or connections.json edited by hand).
        const secret = password !== undefined ? password : had ? undefined : null;
        withSecret(keychain, name, secret, () =>
          writeSavedConnections({ ...saved, [name]: details }),
        );
        return infoOf(ctx, name, details, keychain);
      });
    },

    'connections.remove': async ({ name }) => {
      manage('Removing a connection');
      return guard(() => {
        const saved = readSavedConnections();
        if (!Object.hasOwn(saved, name))
          throw new ApiFailure('not_found', `there is no saved connection named "${name}"`);
        const rest = { ...saved };
        delete rest[name];
        const keychain = keychainOf(ctx.opts).store;
        const kept = keychain.has(name);
        withSecret(keychain, name, null, () => writeSavedConnections(rest));
        return { name, password_forgotten: kept };
      });
    },

    'connections.test': async ({ timeout_s, ...p }) => {
      manage('Testing a connection');
      const { details, password, withheld } = guard(() => testTarget(ctx, p));
      const target = `${details.user}@${details.host}:${details.port}/${details.database}`;
      const r = await probePostgres(
        { ...details, url: connectionUrl(details), password },
        timeout_s * 1000,
      );
      if (r.ok) return { ok: true, version: r.version, error: null, target };
      const why =
        withheld && /^authentication failed/.test(r.error)
          ? ` (the password kept for ${p.name} goes only to its saved server, database and user: type the password to test other details)`
          : '';
      return { ok: false, version: null, error: r.error + why, target };
    },
  };
}

/**
 * What to connect to: a saved connection, with any details the form gives instead. A password
 * given is sent; the one kept for the name (SLUICE_PASSWORD_<NAME>, the keychain) only to the
 * server it was saved for, else whoever may test could send it to a server of their own.
 * `withheld`: a kept password was not sent because the details differ.
 */
function testTarget(
  ctx: Ctx,
  p: Omit<Parameters<Handlers['connections.test']>[0], 'timeout_s'>,
): { details: ConnectionDetails; password?: string; withheld: boolean } {
  const { name, password, ...given } = p;
  const fields = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  let saved: ConnectionDetails | undefined;
  if (name !== undefined) {
    const all = readSavedConnections();
    if (Object.hasOwn(all, name)) saved = all[name];
    else if (!('host' in fields))
      throw new ApiFailure('not_found', `there is no saved connection named "${name}"`);
  }
  const r = ConnectionDetails.safeParse({ ...saved, ...fields });
  if (!r.success)
    throw new ApiFailure(
      'bad_request',
      `name a saved connection, or give host, database and user: ${r.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  if (password !== undefined || name === undefined || saved === undefined)
    return { details: r.data, password, withheld: false };
  if (!sameLogin(saved, r.data)) return { details: r.data, withheld: true };
  const kept = process.env[passwordVariable(name)] ?? keychainOf(ctx.opts).password(name);
  return { details: r.data, password: kept, withheld: false };
}

function infoOf(
  ctx: Ctx,
  name: string,
  c: ConnectionDetails,
  keychain: CredentialStore,
): Result<'connections.list'>['connections'][number] {
  const env = passwordVariable(name);
  return {
    name,
    ...c,
    url: connectionUrl(c),
    password_kept: keychain.has(name),
    password_env: env,
    password_env_set: process.env[env] !== undefined,
    shadows_project: Object.hasOwn(ctx.project.project.connections, name),
  };
}
