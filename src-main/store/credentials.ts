/**
 * Connection passwords kept for the desktop app, encrypted by the OS keychain: the app hands in
 * Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the Secret Service on Linux) as
 * the cipher. The file holds only ciphertext, is readable by its owner alone, and is replaced
 * atomically. The CLI and the server take passwords from the environment instead.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { dataHome } from './paths';

/** What the OS keychain offers: Electron's safeStorage has exactly this shape. */
export interface Cipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class CredentialError extends Error {}

/** No keychain (the CLI and the HTTP server): nothing can be kept, what is kept can be forgotten. */
export const NO_KEYCHAIN: Cipher = {
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new CredentialError('no OS keychain here');
  },
  decryptString: () => {
    throw new CredentialError(
      'no OS keychain here: the password kept by the desktop app cannot be read',
    );
  },
};

export class CredentialStore {
  constructor(
    private readonly cipher: Cipher,
    readonly path = join(dataHome(), 'credentials.json'),
  ) {}

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
    } catch (e) {
      throw new CredentialError(`${this.path} is not readable JSON: ${(e as Error).message}`);
    }
  }

  /** The password of a named connection, or undefined when none is kept. */
  get(connection: string): string | undefined {
    const kept = this.entry(connection);
    if (kept === undefined) return undefined;
    try {
      return this.cipher.decryptString(Buffer.from(kept, 'base64'));
    } catch (e) {
      throw new CredentialError(
        `the password kept for connection "${connection}" cannot be decrypted (was it saved by another user or machine?): ${(e as Error).message}`,
      );
    }
  }

  /** Is a password kept for this connection (no decryption needed to know). */
  has(connection: string): boolean {
    return this.entry(connection) !== undefined;
  }

  /** What is kept for a connection as stored (ciphertext), to restore() if what follows fails. */
  entry(connection: string): string | undefined {
    const all = this.read();
    return Object.hasOwn(all, connection) ? all[connection] : undefined;
  }

  /** Puts back what entry() gave (undefined: nothing kept). Needs no keychain. */
  restore(connection: string, entry: string | undefined): void {
    const all = this.read();
    if (entry === undefined && !Object.hasOwn(all, connection)) return;
    if (entry === undefined) delete all[connection];
    else all[connection] = entry;
    this.write(all);
  }

  /** Can passwords be kept (and read back): is the OS keychain there. */
  available(): boolean {
    return this.cipher.isEncryptionAvailable();
  }

  /**
   * Keeps (or, with null, forgets) the password of a named connection. Forgetting needs no
   * keychain: the CLI can drop what the desktop app kept.
   */
  set(connection: string, password: string | null): void {
    if (password !== null && !this.cipher.isEncryptionAvailable())
      throw new CredentialError(
        'the OS keychain is not available, so the password cannot be kept: set SLUICE_PASSWORD_<NAME> instead',
      );
    const all = this.read();
    if (password === null && !Object.hasOwn(all, connection)) return;
    if (password === null) delete all[connection];
    else {
      try {
        all[connection] = this.cipher.encryptString(password).toString('base64');
      } catch (e) {
        throw new CredentialError(
          `the OS keychain could not encrypt the password of "${connection}": ${(e as Error).message}`,
        );
      }
    }
    this.write(all);
  }

  /** Replaces the file atomically, owner-only; a failure leaves the old file and says where. */
  private write(all: Record<string, string>): void {
    const tmp = `${this.path}.tmp-${process.pid}`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.path);
    } catch (e) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Not a file of ours (a folder in its way): nothing of ours to remove.
      }
      throw new CredentialError(`cannot write ${this.path}: ${(e as Error).message}`);
    }
  }
}
