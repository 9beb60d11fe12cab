import { beforeEach, describe, expect, it } from 'vitest';
import { resetElectronStub, safeStorage } from '../stubs/electron';
import { resetElectronStoreStub, storeContents } from '../stubs/electron-store';
import { createSecretStore, electronSecretStore } from '../../src/main/adapters/secret-store';
import { UserError } from '../../src/core/errors';

const dir = '/tmp/exist-tray-secrets-test';

beforeEach(() => {
  resetElectronStub();
  resetElectronStoreStub();
});

describe('safeStorage secret store', () => {
  it('encrypts values at rest and reads them back', async () => {
    const s = electronSecretStore(dir, () => false);
    await s.set('access_token', 'abc123');
    const raw = JSON.stringify(storeContents(dir, 'secrets'));
    expect(raw).not.toContain('abc123');
    expect(await s.get('access_token')).toBe('abc123');
    expect(await electronSecretStore(dir, () => false).get('access_token')).toBe('abc123');
    await s.delete('access_token');
    expect(await s.get('access_token')).toBeUndefined();
  });

  it('refuses to store in plain text when encryption is unavailable, with a clear message, and keeps nothing', async () => {
    safeStorage.available = false;
    const s = electronSecretStore(dir, () => false);
    const e = await s.set('client_secret', 's3cret').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('secure-storage-unavailable');
    expect((e as UserError).message).toMatch(/plain text in Settings/);
    expect(JSON.stringify(storeContents(dir, 'secrets') ?? {})).not.toContain('s3cret');
  });

  it("treats Linux's basic_text backend as no encryption", async () => {
    safeStorage.backend = 'basic_text';
    const kv = new Map<string, unknown>();
    const store = (platform: NodeJS.Platform) =>
      createSecretStore({
        kv: { get: (k) => kv.get(k), set: (k, v) => void kv.set(k, v), delete: (k) => void kv.delete(k) },
        crypto: safeStorage,
        platform,
        allowPlaintext: () => false,
      });
    await expect(store('linux').set('k', 'v')).rejects.toThrow(/no secure storage/);
    expect(kv.size).toBe(0);
    await store('darwin').set('k', 'v'); // the backend name only means something on Linux
    expect(await store('darwin').get('k')).toBe('v');
  });

  it('stores plain text only after the user agreed', async () => {
    safeStorage.available = false;
    let agreed = false;
    const s = electronSecretStore(dir, () => agreed);
    await expect(s.set('k', 'v1')).rejects.toThrow();
    agreed = true;
    await s.set('k', 'v1');
    expect(await s.get('k')).toBe('v1');
  });

  it('a secret that no longer decrypts is a readable error, not garbage', async () => {
    const s = electronSecretStore(dir, () => false);
    await s.set('k', 'v');
    const data = storeContents(dir, 'secrets') as { secrets: { k: { data: string } } };
    data.secrets.k.data = Buffer.from('garbled').toString('base64');
    await expect(s.get('k')).rejects.toThrow(/can no longer be decrypted/);
  });
});
