import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AccountStoreError,
  createFileAccountStore,
  createFileSecretStore,
  createSecretAccountStore,
} from '../../../src/core/auth/token-store';
import type { StoredAccount } from '../../../src/core/auth/token-store';
import { account, memorySecretStore } from './helpers';

const PROFILE = {
  username: 'demo',
  first_name: 'Demo',
  last_name: 'User',
  avatar: null,
  timezone: 'Europe/London',
  local_time: null,
  imperial_distance: false,
  imperial_weight: true,
  imperial_energy: false,
  imperial_liquid: false,
  imperial_temperature: false,
  trial: false,
  delinquent: false,
};

const isPosix = process.platform !== 'win32';
let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'exist-tray-store-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

describe('file account store', () => {
  it('round-trips an account with owner-only permissions in a new 0700 folder, leaving no temp files', async () => {
    const path = join(dir, 'nested', 'data', 'account.json');
    const store = createFileAccountStore(path);
    expect(await store.load()).toBeNull();
    const a: StoredAccount = { ...account(), profile: PROFILE, profileFetchedAt: 123 };
    await store.save(a);
    expect(await store.load()).toEqual(a);
    if (isPosix) {
      expect(await mode(path)).toBe(0o600);
      expect(await mode(join(dir, 'nested', 'data'))).toBe(0o700);
    }
    expect(await fs.readdir(join(dir, 'nested', 'data'))).toEqual(['account.json']);
    await store.clear();
    expect(await store.load()).toBeNull();
    await store.clear(); // clearing twice is fine
  });

  it('keeps the last of concurrent saves, always a whole file', async () => {
    const path = join(dir, 'account.json');
    const store = createFileAccountStore(path);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.save(account({ accessToken: `access-${i}` }))));
    expect((await store.load())!.accessToken).toBe('access-9');
    expect(await fs.readdir(dir)).toEqual(['account.json']);
  });

  it('sets a corrupt file aside with a clear error and loses nothing', async () => {
    const path = join(dir, 'account.json');
    await fs.writeFile(path, '{"accessToken": "half-writ');
    const store = createFileAccountStore(path, { now: () => 1700000000000 });
    const e = await store.load().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AccountStoreError);
    expect((e as AccountStoreError).code).toBe('corrupt');
    expect((e as AccountStoreError).message).toContain('account.json.corrupt-1700000000000');
    expect(await fs.readFile(`${path}.corrupt-1700000000000`, 'utf8')).toBe('{"accessToken": "half-writ');
    expect(await store.load()).toBeNull();
  });

  it('a well-formed file with a missing field is corrupt too, and the message names the field', async () => {
    const path = join(dir, 'account.json');
    const { refreshToken: _r, ...rest } = account();
    await fs.writeFile(path, JSON.stringify(rest));
    const store = createFileAccountStore(path, { now: () => 1 });
    await expect(store.load()).rejects.toThrow(/refreshToken/);
    expect(await fs.readFile(`${path}.corrupt-1`, 'utf8')).toBe(JSON.stringify(rest));
  });

  it('refuses to save an invalid account and keeps the old file', async () => {
    const path = join(dir, 'account.json');
    const store = createFileAccountStore(path);
    await store.save(account());
    await expect(store.save({ ...account(), accessToken: '' })).rejects.toThrow(TypeError);
    expect((await store.load())!.accessToken).toBe('access-0');
  });
});

describe('secret account store', () => {
  it('stores the account as JSON under one key', async () => {
    const secrets = memorySecretStore();
    const store = createSecretAccountStore(secrets);
    await store.save(account());
    expect([...secrets.data.keys()]).toEqual(['exist-account']);
    expect(JSON.parse(secrets.data.get('exist-account')!).clientSecret).toBe('csecret');
    expect(await store.load()).toEqual(account());
    await store.clear();
    expect(await store.load()).toBeNull();
  });

  it('keeps a corrupt value aside under another key', async () => {
    const secrets = memorySecretStore({ 'exist-account': 'not json at all' });
    const store = createSecretAccountStore(secrets, { now: () => 42 });
    await expect(store.load()).rejects.toMatchObject({ code: 'corrupt', keptAs: 'exist-account.corrupt-42' });
    expect(secrets.data.get('exist-account.corrupt-42')).toBe('not json at all');
    expect(await store.load()).toBeNull();
  });
});

describe('file secret store', () => {
  it('gets, sets and deletes keys in an owner-only file', async () => {
    const path = join(dir, 'secrets', 'secrets.json');
    const s = createFileSecretStore(path);
    expect(await s.get('a')).toBeUndefined();
    await Promise.all([s.set('a', '1'), s.set('b', '2'), s.set('c', '3')]);
    await s.delete('b');
    expect(await s.get('a')).toBe('1');
    expect(await s.get('b')).toBeUndefined();
    expect(await s.get('c')).toBe('3');
    if (isPosix) {
      expect(await mode(path)).toBe(0o600);
      expect(await mode(join(dir, 'secrets'))).toBe(0o700);
    }
    // And it backs an account store.
    const store = createSecretAccountStore(s);
    await store.save(account());
    expect((await createSecretAccountStore(createFileSecretStore(path)).load())!.refreshToken).toBe('refresh-0');
  });

  it('sets a corrupt secrets file aside', async () => {
    const path = join(dir, 'secrets.json');
    await fs.writeFile(path, '["not", "a", "map"]');
    const s = createFileSecretStore(path, { now: () => 7 });
    await expect(s.get('x')).rejects.toMatchObject({ code: 'corrupt' });
    expect(await fs.readFile(`${path}.corrupt-7`, 'utf8')).toBe('["not", "a", "map"]');
    await s.set('x', 'y');
    expect(await s.get('x')).toBe('y');
  });
});
