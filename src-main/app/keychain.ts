/**
 * The OS keychain as the desktop app hands it to the credential store: Electron's safeStorage,
 * except where it has no secure store behind it. On Linux without a Secret Service (GNOME
 * Keyring, KWallet) safeStorage falls back to `basic_text`, encrypting with a key written in
 * Electron itself: no keychain at all, so no new password is kept there (what was kept can
 * still be read and forgotten).
 */
import type { Cipher } from '../store/credentials';

/** safeStorage's shape, with Linux's choice of secret store. */
export interface SafeStorage extends Cipher {
  getSelectedStorageBackend?(): string;
}

/** `storage` as the keychain: unavailable when it would encrypt with a key anyone has. */
export function osKeychain(storage: SafeStorage, platform = process.platform): Cipher {
  const plainText = (): boolean =>
    platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text';
  return {
    isEncryptionAvailable: () => storage.isEncryptionAvailable() && !plainText(),
    encryptString: (plain) => storage.encryptString(plain),
    decryptString: (encrypted) => storage.decryptString(encrypted),
  };
}
