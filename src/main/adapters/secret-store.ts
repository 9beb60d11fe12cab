/**
 * Tokens and the client secret at rest: encrypted with Electron's safeStorage (Keychain,
 * DPAPI, libsecret/kwallet) inside an electron-store file. Where the OS offers no real
 * encryption (safeStorage unavailable, or Linux's `basic_text` fallback, which is only
 * obfuscation), secrets are refused unless the user agreed to plain text in Settings.
 */
import ElectronStore from 'electron-store';
import { safeStorage } from 'electron';
import { checkAppSecretsFile } from '../../core/auth/secrets-files';
import { UserError } from '../../core/errors';
import type { SecretStore } from '../../core/ports';

/** The bits of safeStorage we use (async API: the sync one is deprecated in Electron 45). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  getSelectedStorageBackend?(): string;
  encryptStringAsync(plain: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** A persistent key/value map (electron-store in the app, a Map in tests). */
export interface KeyValue {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** How one secret is stored: encrypted, or plain text with the user's consent. */
type StoredSecret = { v: 1; enc: 'safe-storage'; data: string } | { v: 1; enc: 'plain'; data: string };

export interface SecretStoreDeps {
  kv: KeyValue;
  crypto: SafeStorageLike;
  platform: NodeJS.Platform;
  /** `Settings.allowPlaintextSecrets`. */
  allowPlaintext(): boolean;
}

export const PLAINTEXT_REFUSED_MESSAGE =
  'This computer offers no secure storage for secrets (no keychain or secret service was found), so Exist Tray will not save your Exist tokens or client secret. ' +
  'Install and unlock a keyring (e.g. GNOME Keyring or KWallet) and restart the app, or allow storing secrets in plain text in Settings → General.';

/** Whether safeStorage really encrypts here. */
export async function encryptionAvailable(crypto: SafeStorageLike, platform: NodeJS.Platform): Promise<boolean> {
  if (!(await crypto.isAsyncEncryptionAvailable())) return false;
  if (platform === 'linux' && crypto.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

const isStored = (v: unknown): v is StoredSecret =>
  typeof v === 'object' &&
  v !== null &&
  (v as StoredSecret).v === 1 &&
  typeof (v as StoredSecret).data === 'string' &&
  ((v as StoredSecret).enc === 'safe-storage' || (v as StoredSecret).enc === 'plain');

export function createSecretStore(deps: SecretStoreDeps): SecretStore {
  const keyOf = (key: string) => `secrets.${key}`;
  return {
    async get(key) {
      const stored = deps.kv.get(keyOf(key));
      if (!isStored(stored)) return undefined;
      if (stored.enc === 'plain') return stored.data;
      try {
        const { result, shouldReEncrypt } = await deps.crypto.decryptStringAsync(Buffer.from(stored.data, 'base64'));
        if (shouldReEncrypt) {
          const again = await deps.crypto.encryptStringAsync(result);
          deps.kv.set(keyOf(key), { v: 1, enc: 'safe-storage', data: again.toString('base64') } satisfies StoredSecret);
        }
        return result;
      } catch {
        throw new UserError(
          'secret-unreadable',
          'A saved secret can no longer be decrypted (the keyring changed or is locked). Unlock your keyring, or reconnect your Exist account.',
        );
      }
    },
    async set(key, value) {
      if (await encryptionAvailable(deps.crypto, deps.platform)) {
        const data = (await deps.crypto.encryptStringAsync(value)).toString('base64');
        deps.kv.set(keyOf(key), { v: 1, enc: 'safe-storage', data } satisfies StoredSecret);
        return;
      }
      if (!deps.allowPlaintext()) throw new UserError('secure-storage-unavailable', PLAINTEXT_REFUSED_MESSAGE);
      deps.kv.set(keyOf(key), { v: 1, enc: 'plain', data: value } satisfies StoredSecret);
    },
    async delete(key) {
      deps.kv.delete(keyOf(key));
    },
  };
}

/**
 * The app's secret store: `secrets.json` in the data folder (the app's alone; the CLI keeps
 * `cli-secrets.json`), values encrypted with safeStorage. A damaged file is set aside first
 * (core/auth/secrets-files.ts), so the app starts and says so in a notice.
 */
export function electronSecretStore(dataDir: string, allowPlaintext: () => boolean): SecretStore {
  const damaged = checkAppSecretsFile(dataDir);
  const store = new ElectronStore<Record<string, unknown>>({
    name: 'secrets',
    cwd: dataDir,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  });
  const secrets = createSecretStore({
    kv: {
      get: (k) => store.get(k),
      set: (k, v) => store.set(k, v),
      delete: (k) => store.delete(k),
    },
    crypto: safeStorage,
    platform: process.platform,
    allowPlaintext,
  });
  return { ...secrets, warnings: damaged ? [damaged] : [] };
}
