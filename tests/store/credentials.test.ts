/**
 * Keychain-kept connection passwords. Electron's safeStorage cannot run here (no Electron
 * binary), so an AES-GCM cipher with a per-test key stands in for the OS keychain.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CredentialError,
  CredentialStore,
  NO_KEYCHAIN,
  type Cipher,
} from '../../src-main/store/credentials';
import { connectionFor } from '../../src-main/sinks/index';
import { tempDir } from '../helpers/tmp';

function aesCipher(key = randomBytes(32), available = true): Cipher {
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(b) {
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('credential store', () => {
  it('keeps passwords encrypted in an owner-only file and gives them back', () => {
    const path = join(tempDir(), 'credentials.json');
    const store = new CredentialStore(aesCipher(), path);
    expect(store.get('warehouse')).toBeUndefined();
    store.set('warehouse', 'pä$$ word');
    store.set('default', 'x');
    expect(store.get('warehouse')).toBe('pä$$ word');
    expect(readFileSync(path, 'utf8')).not.toContain('word');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    store.set('warehouse', null);
    expect(store.get('warehouse')).toBeUndefined();
    expect(store.get('default')).toBe('x');
  });

  it('says why when the keychain is missing or the file cannot be read or decrypted', () => {
    const path = join(tempDir(), 'credentials.json');
    expect(() =>
      new CredentialStore(aesCipher(randomBytes(32), false), path).set('a', 'b'),
    ).toThrow(/OS keychain is not available.*SLUICE_PASSWORD_<NAME>/);
    new CredentialStore(aesCipher(), path).set('a', 'b');
    expect(() => new CredentialStore(aesCipher(), path).get('a')).toThrow(
      /connection "a" cannot be decrypted/,
    );
    writeFileSync(path, '{oops');
    expect(() => new CredentialStore(aesCipher(), path).get('a')).toThrow(CredentialError);
  });

  it('tells whether a password is kept, and forgets one, without a keychain', () => {
    const path = join(tempDir(), 'credentials.json');
    new CredentialStore(aesCipher(), path).set('warehouse', 'pw');
    const bare = new CredentialStore(NO_KEYCHAIN, path);
    expect(bare.available()).toBe(false);
    expect(bare.has('warehouse')).toBe(true);
    expect(() => bare.set('warehouse', 'new')).toThrow(/SLUICE_PASSWORD_<NAME>/);
    bare.set('warehouse', null);
    expect(bare.has('warehouse')).toBe(false);
    bare.set('never-kept', null); // nothing to forget: no file rewritten, no error
  });

  it('a kept password reaches the connection; the environment variable wins over it', () => {
    const ctx = {
      connections: { warehouse: { url: 'postgres://loader@db:5432/a' } },
      passwords: { warehouse: 'from-keychain' },
    };
    expect(connectionFor('warehouse', ctx).password).toBe('from-keychain');
    process.env.SLUICE_PASSWORD_WAREHOUSE = 'from-env';
    try {
      expect(connectionFor('warehouse', ctx).password).toBe('from-env');
    } finally {
      delete process.env.SLUICE_PASSWORD_WAREHOUSE;
    }
  });
});
