/**
 * One data folder, the app and the CLI used alternately (issue 12). The app's secrets.json
 * is produced by the real `conf` (electron-store's base, which runs under plain Node) with
 * the options electron-store passes, so the on-disk format is the real one — not the
 * in-memory stub. The CLI runs as real processes.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app';
import {
  checkAppSecretsFile,
  createSecretAccountStore,
  migratePlainSecrets,
  type StoredAccount,
} from '../../../src/core/auth';
import { systemClock, type SecretStore } from '../../../src/core/ports';
import { createSecretStore, type SafeStorageLike } from '../../../src/main/adapters/secret-store';
import type { AccountView } from '../../../src/shared/ipc-contract';
import type { Sandbox } from '../../../src/sandbox';
import { runCliProcess, cleanEnv } from '../../cli/helpers';
import { connectDataDir, removeDir, startWriteSandbox, tempDataDir } from '../../cli/write-helpers';
import { quietShell, testInfo } from '../../support/app-core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** safeStorage stand-in: reversible, so the stored blob is not the plain text. */
const fakeSafeStorage: SafeStorageLike = {
  isAsyncEncryptionAvailable: async () => true,
  encryptStringAsync: async (s) => Buffer.from([...s].reverse().join(''), 'utf8'),
  decryptStringAsync: async (b) => ({ result: [...b.toString('utf8')].reverse().join(''), shouldReEncrypt: false }),
};

/** The app's secret store exactly as electronSecretStore builds it, on the real conf file. */
function appSecrets(dataDir: string): SecretStore {
  const warning = checkAppSecretsFile(dataDir);
  const conf = new Conf<Record<string, unknown>>({
    configName: 'secrets',
    cwd: dataDir,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    projectVersion: '0.0.0',
  });
  const store = createSecretStore({
    kv: { get: (k) => conf.get(k), set: (k, v) => conf.set(k, v), delete: (k) => conf.delete(k) },
    crypto: fakeSafeStorage,
    platform: 'darwin',
    allowPlaintext: () => false,
  });
  return { ...store, warnings: warning ? [warning] : [] };
}

async function appCore(dataDir: string, url: string): Promise<AppCore & { notes: string[] }> {
  const notes: string[] = [];
  const core = createAppCore({
    dataDir,
    secrets: appSecrets(dataDir),
    notifier: { notify: (n) => void notes.push(`${n.title}: ${n.body}`) },
    opener: { openExternal: async () => {} },
    clock: systemClock,
    shell: quietShell(),
    existUrl: url,
    whenOutboxLocked: 'wait',
    autoFlush: false,
    info: testInfo(),
  });
  await core.start();
  return Object.assign(core, { notes });
}

const appStatus = async (core: AppCore): Promise<string> =>
  ((await core.invoke['account:get']({}, { url: 't', trusted: true })) as AccountView).status;

async function connectApp(sandbox: Sandbox, dataDir: string): Promise<void> {
  const t = sandbox.issueToken(['media_write']);
  const now = Date.now();
  const account: StoredAccount = {
    baseUrl: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: ['media_write'],
    expiresAt: now + t.expires_in * 1000,
    obtainedAt: now,
    status: 'connected',
    profile: null,
  };
  await createSecretAccountStore(appSecrets(dataDir)).save(account);
}

const cliStatus = async (dir: string, url: string): Promise<string> => {
  const r = await runCliProcess(['--data-dir', dir, '--exist-url', url, 'status'], cleanEnv());
  expect(r.stderr).not.toMatch(/corrupt|could not be read/);
  return r.stdout;
};

describe('the app and the CLI in one data folder', () => {
  it.each(['app first', 'CLI first'])(
    '%s, then the other, then both again: both stay connected',
    async (order) => {
      const sandbox = await startWriteSandbox();
      const dir = tempDataDir();
      cleanups.push(
        () => sandbox.close(),
        () => removeDir(dir),
      );
      await connectApp(sandbox, dir);
      await connectDataDir(sandbox, dir, ['media_write']);
      const confFile = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: object };
      expect(Object.keys(confFile)).toEqual(['secrets']); // electron-store's format, nothing else

      const app = async () => {
        const core = await appCore(dir, sandbox.url);
        expect(await appStatus(core)).toBe('connected');
        expect(core.notes).toEqual([]);
        await core.stop();
      };
      const cli = async () => expect(await cliStatus(dir, sandbox.url)).toMatch(/^Account: +connected as /m);
      const steps = order === 'app first' ? [app, cli, cli, app, cli] : [cli, app, cli, app, cli];
      for (const step of steps) await step();

      // While the app runs (holding the outbox), the CLI's account commands still work.
      const running = await appCore(dir, sandbox.url);
      await cli();
      expect(await appStatus(running)).toBe('connected');
      await running.stop();
      expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toMatch(/access|refresh/i); // only the app's blobs
      expect(statSync(join(dir, 'cli-secrets.json')).mode & 0o777).toBe(0o600);
    },
    120_000,
  );
});

describe('older and damaged secrets files', () => {
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'exist-secrets-'));
    cleanups.push(() => rmSync(d, { recursive: true, force: true }));
    return d;
  };

  it('an older CLI’s secrets.json (flat map) is moved to cli-secrets.json, nothing lost', () => {
    const d = dir();
    writeFileSync(join(d, 'secrets.json'), JSON.stringify({ 'exist-account': '{"a":1}', 'exist-client': 'c' }));
    chmodSync(join(d, 'secrets.json'), 0o644);
    expect(migratePlainSecrets(d)).toMatch(/moved/);
    expect(existsSync(join(d, 'secrets.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(d, 'cli-secrets.json'), 'utf8'))).toEqual({
      'exist-account': '{"a":1}',
      'exist-client': 'c',
    });
    expect(statSync(join(d, 'cli-secrets.json')).mode & 0o777).toBe(0o600);
    expect(migratePlainSecrets(d)).toBeNull(); // once
  });

  it('a mixed file (the app wrote into an older CLI’s file): the CLI’s entries are copied, the app’s file stays', () => {
    const d = dir();
    const mixed = { secrets: { 'exist-account': { v: 1, enc: 'plain', data: 'x' } }, 'exist-account': '{"cli":1}' };
    writeFileSync(join(d, 'secrets.json'), JSON.stringify(mixed));
    migratePlainSecrets(d);
    expect(JSON.parse(readFileSync(join(d, 'cli-secrets.json'), 'utf8'))).toEqual({ 'exist-account': '{"cli":1}' });
    expect(JSON.parse(readFileSync(join(d, 'secrets.json'), 'utf8'))).toEqual(mixed);
  });

  it('a damaged secrets.json does not stop the app: set aside once, named in a notice', async () => {
    const sandbox = await startWriteSandbox();
    cleanups.push(() => sandbox.close());
    const d = dir();
    writeFileSync(join(d, 'secrets.json'), '{"secrets": {"exist-acc');
    const core = await appCore(d, sandbox.url);
    expect(await appStatus(core)).toBe('disconnected');
    expect(core.notes).toEqual([
      expect.stringMatching(
        /secrets\.json\) could not be read \(not JSON\); it was kept as .*secrets\.json\.corrupt-\d+/,
      ),
    ]);
    await core.stop();
    const again = await appCore(d, sandbox.url);
    expect(again.notes).toEqual([]); // once
    await again.stop();
  });

  it('a damaged cli-secrets.json: the CLI says so in one line on stderr, once', async () => {
    const d = dir();
    writeFileSync(join(d, 'cli-secrets.json'), 'garbage');
    const r = await runCliProcess(['--data-dir', d, 'status'], cleanEnv());
    expect(r.stderr.split('\n').filter((l) => /cli-secrets\.json\) could not be read/.test(l))).toHaveLength(1);
    const again = await runCliProcess(['--data-dir', d, 'status'], cleanEnv());
    expect(again.stderr).not.toMatch(/could not be read/);
  }, 60_000);
});
