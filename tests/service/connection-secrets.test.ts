/**
 * What becomes of a kept password: "Test connection" sends it only to the server it was saved
 * for (fake servers that ask for a password record what arrives); a save or removal that fails
 * half-way (a keychain that throws, a connections.json that cannot be written) leaves neither a
 * connection without its password change nor a password without its connection; and where no
 * password can be kept, the message says what to do in that face of Sluice.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName, Params, Result } from '../../src-shared/api/contract';
import type { ServiceOptions } from '../../src-main/service/context';
import { connectionHandlers } from '../../src-main/service/handlers/connections';
import { CredentialStore, type Cipher } from '../../src-main/store/credentials';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { fakePg, type FakePg } from '../helpers/fake-pg';
import { tempDir } from '../helpers/tmp';

/** Reversible and marked, like tests/service/connections.test.ts's; `fail` breaks encryption. */
const cipher = (o: { available?: boolean; fail?: boolean } = {}): Cipher => ({
  isEncryptionAvailable: () => o.available ?? true,
  encryptString: (plain) => {
    if (o.fail) throw new Error('the keychain is locked');
    return Buffer.from(`pw:${plain}`).reverse();
  },
  decryptString: (b) => Buffer.from(b).reverse().toString().slice(3),
});

let home = '';
beforeEach(() => {
  home = tempDir();
  process.env.SLUICE_HOME = home;
  delete process.env.SLUICE_PASSWORD_WH;
  delete process.env.PGPASSWORD;
});

const keychainAt = (c: Cipher = cipher()): CredentialStore =>
  new CredentialStore(c, join(home, 'credentials.json'));

function service(opts: Pick<ServiceOptions, 'keychain' | 'face'>) {
  const dispatch = createDispatcher(
    connectionHandlers({
      opts: { ...opts, manageConnections: true },
      project: { project: { connections: {} } },
    }),
  );
  return async <M extends MethodName>(m: M, p: Params<M>) =>
    (await dispatch(m, p)) as ApiResult<Result<M>>;
}

const savedFile = (): string => readFileSync(join(home, 'connections.json'), 'utf8');
/** The next atomic write of `file` fails: a folder stands where its temporary file goes. */
const blockWrites = (file: string): void => {
  mkdirSync(join(home, `${file}.tmp-${process.pid}`), { recursive: true });
};

describe('Test connection sends a kept password only to the saved server', () => {
  let saved: FakePg;
  let call: ReturnType<typeof service>;
  const passwordsAt = (s: FakePg) => s.logins.map((l) => l.password);

  beforeEach(async () => {
    saved = await fakePg();
    call = service({ keychain: keychainAt() });
    const r = await call('connections.save', {
      name: 'wh',
      host: '127.0.0.1',
      port: saved.port,
      database: 'dw',
      user: 'etl',
      password: 'kept-pw',
    });
    expect(r.ok).toBe(true);
  });

  it('the saved details, given again as the form does, get it', async () => {
    await call('connections.test', { name: 'wh' });
    await call('connections.test', { name: 'wh', host: '127.0.0.1', port: saved.port });
    expect(passwordsAt(saved)).toEqual(['kept-pw', 'kept-pw']);
  });

  it('another host, port, database, user or a weaker TLS do not, nor does the environment', async () => {
    const other = await fakePg({ host: '127.0.0.2' });
    const elsewhere = await fakePg();
    process.env.SLUICE_PASSWORD_WH = 'env-pw';
    const tests: Params<'connections.test'>[] = [
      { name: 'wh', host: '127.0.0.2', port: other.port },
      { name: 'wh', port: elsewhere.port },
      { name: 'wh', database: 'other' },
      { name: 'wh', user: 'mallory' },
    ];
    for (const t of tests) {
      const r = await call('connections.test', t);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.ok).toBe(false);
      expect(r.value.error).toContain(
        'the password kept for wh goes only to its saved server, database and user',
      );
    }
    // Each server heard the login and an empty password (pg's when it has none).
    expect([...passwordsAt(other), ...passwordsAt(elsewhere), ...passwordsAt(saved)]).toEqual([
      '',
      '',
      '',
      '',
    ]);
    // With the same details the environment's password (which wins over the keychain's) goes.
    await call('connections.test', { name: 'wh' });
    expect(passwordsAt(saved).at(-1)).toBe('env-pw');
  });

  it('a TLS weaker than saved does not get it', async () => {
    const tls = await fakePg();
    ok(
      await call('connections.save', {
        name: 'wh',
        host: '127.0.0.1',
        port: tls.port,
        database: 'dw',
        user: 'etl',
        sslmode: 'require',
      }),
    );
    await call('connections.test', { name: 'wh', sslmode: 'disable' });
    expect(passwordsAt(tls)).toEqual(['']);
  });

  it('a password typed in the request goes wherever the request says', async () => {
    const other = await fakePg();
    await call('connections.test', { name: 'wh', port: other.port, password: 'typed' });
    expect(passwordsAt(other)).toEqual(['typed']);
  });
});

/** The value of an answer that must be ok. */
function ok<T>(r: ApiResult<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('a save or removal that fails half-way leaves both stores as they were', () => {
  const details = { host: 'db.example', port: 5432, database: 'dw', user: 'etl' };

  it('a keychain that cannot encrypt: no connection is saved without its password', async () => {
    const call = service({ keychain: keychainAt(cipher({ fail: true })) });
    const r = await call('connections.save', { name: 'wh', ...details, password: 'pw' });
    expect(r.ok ? 'saved' : r.error).toEqual({
      code: 'conflict',
      message: expect.stringContaining('could not encrypt the password of "wh"'),
    });
    expect(() => savedFile()).toThrow(/ENOENT/);
  });

  it('an edit to another server whose password cannot be kept changes neither', async () => {
    ok(
      await service({ keychain: keychainAt() })('connections.save', {
        name: 'wh',
        ...details,
        password: 'old',
      }),
    );
    const before = savedFile();
    blockWrites('credentials.json');
    const call = service({ keychain: keychainAt() });
    const r = await call('connections.save', {
      name: 'wh',
      ...details,
      host: 'elsewhere.example',
      password: 'new',
    });
    expect(r.ok || r.error.message).toMatch(/^cannot write .*credentials\.json/);
    expect(savedFile()).toBe(before); // still db.example: the old password stays with it
    expect(keychainAt().get('wh')).toBe('old');
  });

  it('details that cannot be written: the new password is not kept, the old one is back', async () => {
    const call = service({ keychain: keychainAt() });
    ok(await call('connections.save', { name: 'wh', ...details, password: 'old' }));
    const before = savedFile();
    blockWrites('connections.json');
    const edit = await call('connections.save', { name: 'wh', ...details, password: 'new' });
    expect(edit.ok || edit.error).toEqual({
      code: 'conflict',
      message: expect.stringMatching(/^cannot write .*connections\.json/),
    });
    expect(keychainAt().get('wh')).toBe('old');
    const added = await call('connections.save', { name: 'new1', ...details, password: 'x' });
    expect(added.ok).toBe(false);
    expect(keychainAt().has('new1')).toBe(false);
    expect(savedFile()).toBe(before);
  });

  it('a removal whose password cannot be forgotten keeps the connection', async () => {
    const call = service({ keychain: keychainAt() });
    ok(await call('connections.save', { name: 'wh', ...details, password: 'pw' }));
    blockWrites('credentials.json');
    const r = await call('connections.remove', { name: 'wh' });
    expect(r.ok || r.error.message).toMatch(/^cannot write .*credentials\.json/);
    expect(JSON.parse(savedFile()).connections).toHaveProperty('wh');
    expect(keychainAt().get('wh')).toBe('pw');
  });

  it('a removal whose details cannot be written keeps the password', async () => {
    const call = service({ keychain: keychainAt() });
    ok(await call('connections.save', { name: 'wh', ...details, password: 'pw' }));
    blockWrites('connections.json');
    const r = await call('connections.remove', { name: 'wh' });
    expect(r.ok || r.error.message).toMatch(/^cannot write .*connections\.json/);
    expect(JSON.parse(savedFile()).connections).toHaveProperty('wh');
    expect(keychainAt().get('wh')).toBe('pw');
  });

  it('a new connection does not inherit a password left behind under its name', async () => {
    keychainAt().set('wh', 'orphan');
    ok(await service({ keychain: keychainAt() })('connections.save', { name: 'wh', ...details }));
    expect(keychainAt().has('wh')).toBe(false);
  });
});

describe('where no password can be kept, the message says what to do there', () => {
  const save = (opts: Pick<ServiceOptions, 'keychain' | 'face'>) =>
    service(opts)('connections.save', {
      name: 'wh',
      host: 'db.example',
      database: 'dw',
      user: 'etl',
      password: 'pw',
    });
  const messageOf = async (opts: Pick<ServiceOptions, 'keychain' | 'face'>) => {
    const r = await save(opts);
    if (r.ok) throw new Error('saved a password without a keychain');
    expect(r.error.code).toBe('bad_request');
    return r.error.message;
  };

  it('the desktop app without a secure keychain: set the variable, or start a keyring', async () => {
    const m = await messageOf({
      face: 'desktop',
      keychain: keychainAt(cipher({ available: false })),
    });
    expect(m).toBe(
      'this computer offers no secure OS keychain (on Linux: no Secret Service such as GNOME Keyring or KWallet is running), so the password of "wh" cannot be kept: set SLUICE_PASSWORD_WH in the environment Sluice starts in, or start a keyring and restart Sluice',
    );
    expect(m).not.toContain('desktop app');
  });

  it('the command line and sluice serve: set the variable; the desktop app keeps its own', async () => {
    expect(await messageOf({ face: 'cli' })).toMatch(
      /^the command line keeps no passwords, .*: set SLUICE_PASSWORD_WH in the environment of the sluice commands that use it \(a password saved in the desktop app, .* serves only the desktop app's runs\)$/,
    );
    expect(await messageOf({ face: 'server' })).toMatch(
      /^sluice serve keeps no passwords, .*: set SLUICE_PASSWORD_WH in the environment sluice serve starts in \(/,
    );
    expect(() => savedFile()).toThrow(/ENOENT/); // refused before anything was written
  });
});
