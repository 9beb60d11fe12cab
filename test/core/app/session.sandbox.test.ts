/**
 * Two AccountSessions in one data folder, each against its own sandbox: a second account
 * is a second session (its own tokens, client, outbox, budget, owned list), and their
 * outboxes stay apart — each write reaches its own account's Exist and no other.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../../src/core/auth';
import { systemClock } from '../../../src/core/ports';
import { accountDir, accountKey, createAccountSession, type AccountSession } from '../../../src/core/session';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sessionFor(dir: string, sbx: Sandbox, n: number): Promise<AccountSession> {
  const session = createAccountSession({
    dataDir: dir,
    secrets: createFileSecretStore(join(dir, 'secrets.json')),
    secretKey: `exist-account-${n}`,
    ownedPath: join(dir, `owned-${n}.json`),
    clock: systemClock,
    defaultBaseUrl: () => sbx.url,
    whenOutboxLocked: 'fail',
    autoFlush: null,
    onTokenEvent: () => {},
    onOutboxEvent: () => {},
    onOutboxChanged: () => {},
    onOwnedRefreshed: async () => {},
    onHistoryLoaded: () => {},
    rememberOutboxKey: async () => {},
    notify: () => {},
  });
  cleanups.push(() => session.close());
  const t = sbx.issueToken(['media_read', 'media_write']);
  const now = Date.now();
  await session.store.save({
    baseUrl: sbx.url,
    clientId: sbx.clientId,
    clientSecret: sbx.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: t.scope.split(' '),
    expiresAt: now + t.expires_in * 1000,
    obtainedAt: now,
    status: 'connected',
    profile: null,
  });
  await session.tokens.start();
  await session.refreshProfile(true);
  expect((await session.client().acquire([{ template: 'pages_read' }])).failed).toEqual([]);
  await session.owned.refresh();
  // Two sandboxes both call their user "demo": the key tells them apart by server, as two Exist accounts would be.
  await session.outbox.open(accountKey(session.account()!, 'exist'));
  session.outbox.markReady();
  return session;
}

const pagesRead = (sbx: Sandbox, date: string) =>
  sbx.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[date];
const writeCalls = (sbx: Sandbox) =>
  sbx.admin.getState().calls.filter((c) => c.path.startsWith('/api/2/attributes/increment')).length;

describe('a second account is a second session', () => {
  it('keeps two accounts’ tokens, owned lists and outboxes apart in one data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exist-sessions-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sbxA = await startSandbox({ timezone: 'Europe/London' });
    cleanups.push(() => sbxA.close());
    const sbxB = await startSandbox({ timezone: 'Pacific/Kiritimati' });
    cleanups.push(() => sbxB.close());

    const a = await sessionFor(dir, sbxA, 1);
    const b = await sessionFor(dir, sbxB, 2);

    expect(a.account()!.baseUrl).toBe(sbxA.url);
    expect(b.account()!.baseUrl).toBe(sbxB.url);
    expect(a.account()!.accessToken).not.toBe(b.account()!.accessToken);
    expect(a.timezone()).toBe('Europe/London');
    expect(b.timezone()).toBe('Pacific/Kiritimati');
    expect(a.outbox.key()).not.toBe(b.outbox.key());
    expect(a.owned.attributes().map((x) => x.name)).toContain('pages_read');

    const dayA = a.today();
    const dayB = b.today();
    const beforeA = Number(pagesRead(sbxA, dayA) ?? 0);
    const beforeB = Number(pagesRead(sbxB, dayB) ?? 0);

    await a.outbox.require().enqueue({ kind: 'increment', name: 'pages_read', date: dayA, delta: 3 });
    await b.outbox.require().enqueue({ kind: 'increment', name: 'pages_read', date: dayB, delta: 5 });
    await b.outbox.require().enqueue({ kind: 'increment', name: 'pages_read', date: dayB, delta: 5 });
    expect(a.outbox.require().pending()).toHaveLength(1);
    expect(b.outbox.require().pending()).toHaveLength(2);

    // Only A sends: B's writes wait in B's outbox and nothing reaches B's server.
    await a.outbox.require().flush();
    expect(Number(pagesRead(sbxA, dayA))).toBe(beforeA + 3);
    expect(writeCalls(sbxB)).toBe(0);
    expect(b.outbox.require().pending()).toHaveLength(2);

    await b.outbox.require().flush();
    expect(Number(pagesRead(sbxB, dayB))).toBe(beforeB + 10);
    expect(Number(pagesRead(sbxA, dayA))).toBe(beforeA + 3);
    expect(writeCalls(sbxA)).toBe(1);

    // Each account's tokens are stored under its own key: re-read, each is still its own.
    expect((await a.tokens.reload())!.baseUrl).toBe(sbxA.url);
    expect((await b.tokens.reload())!.baseUrl).toBe(sbxB.url);

    // Each account's outbox and budget are in its own folder.
    const dirs = readdirSync(join(dir, 'accounts')).sort();
    expect(dirs).toEqual([a.outbox.key(), b.outbox.key()].sort());
    for (const s of [a, b]) expect(existsSync(join(accountDir(dir, s.outbox.key()!), 'outbox'))).toBe(true);
  });
});
