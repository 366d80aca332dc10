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
  readonly opts: Pick<ServiceOptions, 'keychain' | 'manageConnections'>;
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
          throw new ApiFailure(
            'bad_request',
            `no OS keychain here, so the password of "${name}" cannot be kept: set ${passwordVariable(name)} in the environment of Sluice instead (or save it from the desktop app)`,
          );
        const details = ConnectionDetails.parse(fields);
        writeSavedConnections({ ...saved, [name]: details });
        if (password !== undefined) keychain.set(name, password);
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
        writeSavedConnections(rest);
        const keychain = keychainOf(ctx.opts).store;
        const kept = keychain.has(name);
        keychain.set(name, null);
        return { name, password_forgotten: kept };
      });
    },

    'connections.test': async ({ timeout_s, ...p }) => {
      manage('Testing a connection');
      const { details, password } = guard(() => testTarget(ctx, p));
      const target = `${details.user}@${details.host}:${details.port}/${details.database}`;
      const r = await probePostgres(
        { ...details, url: connectionUrl(details), password },
        timeout_s * 1000,
      );
      return r.ok
        ? { ok: true, version: r.version, error: null, target }
        : { ok: false, version: null, error: r.error, target };
    },
  };
}

/** What to connect to: a saved connection, with any details the form gives instead. */
function testTarget(
  ctx: Ctx,
  p: Omit<Parameters<Handlers['connections.test']>[0], 'timeout_s'>,
): { details: ConnectionDetails; password?: string } {
  const { name, password, ...given } = p;
  const fields = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  let base: Partial<ConnectionDetails> = {};
  if (name !== undefined) {
    const saved = readSavedConnections();
    if (Object.hasOwn(saved, name)) base = saved[name];
    else if (!('host' in fields))
      throw new ApiFailure('not_found', `there is no saved connection named "${name}"`);
  }
  const r = ConnectionDetails.safeParse({ ...base, ...fields });
  if (!r.success)
    throw new ApiFailure(
      'bad_request',
      `name a saved connection, or give host, database and user: ${r.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  const kept =
    name === undefined
      ? undefined
      : (process.env[passwordVariable(name)] ?? keychainOf(ctx.opts).password(name));
  return { details: r.data, password: password ?? kept };
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
