/**
 * The OS keychain the saved connections' passwords are kept with: Electron's safeStorage, but
 * only where it really uses one. On Linux without a Secret Service or KWallet, safeStorage falls
 * back to 'basic_text', a key written into Chromium itself that anyone can read, and still says
 * encryption is available; 'unknown' gives no better promise. There Sluice has no keychain: the
 * Connections dialog says passwords cannot be kept, and runs take them from the environment.
 */
import type { SafeStorage } from 'electron';
import { CredentialStore, NO_KEYCHAIN, type Cipher } from '../store/credentials';

/** Linux backends that do not protect what they encrypt. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

/**
 * The cipher for the CredentialStore: safeStorage, or on a Linux with a weak backend one that
 * keeps nothing new. A password kept before can still be read back (and forgotten).
 */
export function keychainCipher(
  safe: Pick<
    SafeStorage,
    'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
  >,
  platform: NodeJS.Platform = process.platform,
): Cipher {
  if (platform !== 'linux' || !WEAK_BACKENDS.has(safe.getSelectedStorageBackend())) return safe;
  return {
    isEncryptionAvailable: () => false,
    encryptString: NO_KEYCHAIN.encryptString,
    decryptString: (b) => safe.decryptString(b),
  };
}

/** The desktop app's store of connection passwords (safeStorage is asked after 'ready'). */
export function desktopKeychain(safe: Parameters<typeof keychainCipher>[0]): CredentialStore {
  return new CredentialStore(keychainCipher(safe));
}
