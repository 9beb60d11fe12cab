/** The app waits for another process (a `exist-tray sync` from cron) to let go of the outbox. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountDir, accountKey, createAppCore } from '../../../src/core/app';
import { createFileSecretStore, createSecretAccountStore, type StoredAccount } from '../../../src/core/auth';
import type { Clock } from '../../../src/core/ports';
import type { SyncView } from '../../../src/shared/ipc-contract';
import { quietShell, testInfo } from '../../support/app-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function manualClock(): Clock & { fire(): void } {
  let timers: (() => void)[] = [];
  return {
    now: () => Date.now(),
    setTimeout(fn) {
      timers.push(fn);
      return () => (timers = timers.filter((t) => t !== fn));
    },
    fire() {
      const due = timers;
      timers = [];
      for (const t of due) t();
    },
  };
}

const ACCOUNT: StoredAccount = {
  baseUrl: 'http://127.0.0.1:9',
  clientId: 'cid',
  clientSecret: 'secret',
  accessToken: 'a',
  refreshToken: 'r',
  scope: ['media_write'],
  obtainedAt: 0,
  expiresAt: 0,
  status: 'connected',
  profile: null,
};

/** A data folder with a stored account whose outbox is locked by another live process. */
async function lockedDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'exist-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const account: StoredAccount = { ...ACCOUNT, obtainedAt: Date.now(), expiresAt: Date.now() + 86_400_000 };
  const secrets = createFileSecretStore(join(dir, 'secrets.json'));
  await createSecretAccountStore(secrets).save(account);
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  cleanups.push(() => void holder.kill('SIGKILL'));
  const outboxDir = join(accountDir(dir, accountKey(account, 'exist')), 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  writeFileSync(join(outboxDir, 'lock'), String(holder.pid));
  return { dir, secrets, holder };
}

describe('a locked outbox', () => {
  it('with whenOutboxLocked "wait": starts anyway, says why writes wait, and takes over once free', async () => {
    const { dir, secrets, holder } = await lockedDataDir();

    const clock = manualClock();
    const core = createAppCore({
      dataDir: dir,
      secrets,
      notifier: { notify() {} },
      opener: { openExternal: async () => {} },
      clock,
      shell: quietShell(),
      fetch: async () => new Response('{}', { status: 503 }),
      whenOutboxLocked: 'wait',
      autoFlush: false,
      info: testInfo(),
    });
    await core.start();
    const busy: SyncView = await core.invoke['sync:get']({}, { url: 't', trusted: true });
    expect(busy.lastError).toMatchObject({ code: 'outbox-busy' });
    await expect(core.commands.syncNow()).rejects.toThrow(new RegExp(`pid ${holder.pid}`));

    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    clock.fire(); // the retry
    await new Promise((r) => setTimeout(r, 200));
    const free: SyncView = await core.invoke['sync:get']({}, { url: 't', trusted: true });
    expect(free.lastError).toBeNull();
    await core.stop();
  });

  it('with the default ("fail", the CLI): start() rejects with the holder', async () => {
    const { dir, secrets } = await lockedDataDir();
    const core = createAppCore({
      dataDir: dir,
      secrets,
      notifier: { notify() {} },
      opener: { openExternal: async () => {} },
      clock: manualClock(),
      fetch: async () => new Response('{}', { status: 503 }),
      shell: quietShell(),
      autoFlush: false,
      info: testInfo('cli'),
    });
    await expect(core.start()).rejects.toThrow(/pid/);
  });
});
