/**
 * Where a saved connection's password may go and how it is changed: only to the server it was
 * saved for, changed with its details or not at all, and, where it cannot be kept, what to do.
 */
import { passwordVariable, type ConnectionDetails } from '../../src-shared/connections';
import type { CredentialStore } from '../store/credentials';
import type { ServiceOptions } from './context';
import { ApiFailure } from './errors';

/**
 * Changes the kept password (null forgets it, undefined leaves it), then runs `write` (the
 * details); when writing fails the password is put back as it was. The keychain goes first: a
 * connection pointing at a new server must never be left holding the password of the old one,
 * nor a removed connection leave its password behind for the next one of its name.
 */
export function withSecret(
  keychain: CredentialStore,
  name: string,
  password: string | null | undefined,
  write: () => void,
): void {
  if (password === undefined) return write();
  const before = keychain.entry(name);
  keychain.set(name, password);
  try {
    write();
  } catch (e) {
    try {
      keychain.restore(name, before);
    } catch (r) {
      throw new ApiFailure(
        'conflict',
        `${(e as Error).message}; and the password kept for "${name}" could not be put back as it was (${(r as Error).message}): save or remove "${name}" again`,
      );
    }
    throw e;
  }
}

/** Why a password cannot be kept here, and what to do instead, for each face of Sluice. */
export function noKeychain(face: ServiceOptions['face'], name: string): string {
  const env = passwordVariable(name);
  const desktopOnly = `(a password saved in the desktop app, where the OS keychain keeps it, serves only the desktop app's runs)`;
  switch (face) {
    case 'desktop':
      return `this computer offers no secure OS keychain (on Linux: no Secret Service such as GNOME Keyring or KWallet is running), so the password of "${name}" cannot be kept: set ${env} in the environment Sluice starts in, or start a keyring and restart Sluice`;
    case 'cli':
      return `the command line keeps no passwords, so the password of "${name}" cannot be kept: set ${env} in the environment of the sluice commands that use it ${desktopOnly}`;
    case 'server':
      return `sluice serve keeps no passwords, so the password of "${name}" cannot be kept: set ${env} in the environment sluice serve starts in ${desktopOnly}`;
    default:
      return `no OS keychain here, so the password of "${name}" cannot be kept: set ${env} in the environment Sluice runs in ${desktopOnly}`;
  }
}

const TLS_STRENGTH = { disable: 0, require: 1, 'verify-full': 2 } as const;

/** The same server, database and user as saved, and TLS no weaker: where a kept password may go. */
export function sameLogin(saved: ConnectionDetails, asked: ConnectionDetails): boolean {
  return (
    saved.host.toLowerCase() === asked.host.toLowerCase() &&
    saved.port === asked.port &&
    saved.database === asked.database &&
    saved.user === asked.user &&
    TLS_STRENGTH[asked.sslmode] >= TLS_STRENGTH[saved.sslmode]
  );
}
