/**
 * Token refresh against the sandbox over real HTTP. Time is a fake clock shared by the
 * sandbox (`now`) and the token manager, so a 60-second token needs no waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index';
import type { Sandbox } from '../../../src/sandbox/index';
import { createTokenManager } from '../../../src/core/auth/token-manager';
import type { TokenEvent } from '../../../src/core/auth/token-manager';
import type { StoredAccount } from '../../../src/core/auth/token-store';
import { createExistClient, staticTokenProvider } from '../../../src/core/exist/client';
import { createFakeClock, memoryAccountStore } from './helpers';

let sbx: Sandbox | undefined;
afterEach(async () => {
  await sbx?.close();
  sbx = undefined;
});

function accountFrom(
  s: Sandbox,
  t: { access_token: string; refresh_token: string; expires_in: number; scope: string },
  now: number,
): StoredAccount {
  return {
    baseUrl: s.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: t.scope.split(' '),
    obtainedAt: now,
    expiresAt: now + t.expires_in * 1000,
    status: 'connected',
    profile: null,
  };
}

const tokenCalls = (s: Sandbox) => s.admin.getState().calls.filter((c) => c.path.startsWith('/oauth2/access_token'));

function nextEvent(events: TokenEvent[]): Promise<TokenEvent> {
  const seen = events.length;
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => {
      if (events.length > seen) return resolve(events[seen]!);
      if (Date.now() > deadline) return reject(new Error('no token event'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

describe('refresh against the sandbox', () => {
  it('a 60-second token is refreshed on time and the old token is refused afterwards', async () => {
    const fc = createFakeClock(Date.UTC(2024, 4, 1, 12));
    sbx = await startSandbox({ tokenTtlSeconds: 60, now: fc.now });
    const t0 = fc.now();
    const first = sbx.issueToken(['media_write'], { ttlSeconds: 60 });
    const store = memoryAccountStore(accountFrom(sbx, first, t0));
    const client = createExistClient({ baseUrl: sbx.url });
    const events: TokenEvent[] = [];
    const m = createTokenManager({ store, oauth: client, clock: fc.clock, notifier: (e) => events.push(e) });
    await m.start();

    await fc.advance(53_000); // threshold is 10% of 60 s: due at 54 s
    expect(tokenCalls(sbx)).toHaveLength(0);
    const refreshed = nextEvent(events);
    await fc.advance(2_000);
    const ev = await refreshed;
    expect(ev.type).toBe('refreshed');
    const calls = tokenCalls(sbx);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.at - t0).toBeGreaterThanOrEqual(54_000);
    expect(calls[0]!.at - t0).toBeLessThan(60_000); // before the old token expired

    const saved = store.value()!;
    expect(saved.accessToken).not.toBe(first.access_token);
    expect(saved.refreshToken).not.toBe(first.refresh_token);
    const old = createExistClient({ baseUrl: sbx.url, auth: staticTokenProvider(first.access_token) });
    await expect(old.getProfile()).rejects.toMatchObject({ kind: 'unauthorised' });
    // The new token works, including after the old one's expiry time.
    await fc.advance(10_000);
    const fresh = createExistClient({ baseUrl: sbx.url, auth: m });
    await expect(fresh.getProfile()).resolves.toMatchObject({ username: 'demo' });
    // And the old refresh token is dead too.
    await expect(
      client.refreshTokens({
        refreshToken: first.refresh_token,
        clientId: sbx.clientId,
        clientSecret: sbx.clientSecret,
      }),
    ).rejects.toMatchObject({
      kind: 'oauth',
      details: { oauthError: 'invalid_grant' },
    });
    m.stop();
  });

  it('20 parallel calls that meet a 401 cause exactly one refresh, and all succeed', async () => {
    sbx = await startSandbox({});
    const t = sbx.issueToken(['media_write']);
    const store = memoryAccountStore(accountFrom(sbx, t, Date.now()));
    const base = createExistClient({ baseUrl: sbx.url });
    const m = createTokenManager({ store, oauth: base, clock: createFakeClock(Date.now()).clock });
    const client = base.withAuth(m);
    await expect(client.getProfile()).resolves.toMatchObject({ username: 'demo' });
    sbx.admin.expireAllTokens();
    const before = tokenCalls(sbx).length;
    const results = await Promise.all(Array.from({ length: 20 }, () => client.getProfile()));
    expect(results.every((p) => p.username === 'demo')).toBe(true);
    expect(tokenCalls(sbx).length - before).toBe(1);
    const unauthorised = sbx.admin
      .getState()
      .calls.filter((c) => c.path === '/api/2/accounts/profile/' && c.status === 401);
    expect(unauthorised.length).toBeGreaterThan(0);
    expect(store.saves).toHaveLength(1);
  });

  it('a dead refresh token moves the account to needs-reconnect and keeps the record', async () => {
    sbx = await startSandbox({});
    const t = sbx.issueToken(['media_write']);
    const client = createExistClient({ baseUrl: sbx.url });
    // Someone else used the refresh token: ours is now stale.
    await client.refreshTokens({
      refreshToken: t.refresh_token,
      clientId: sbx.clientId,
      clientSecret: sbx.clientSecret,
    });
    const acc = accountFrom(sbx, t, Date.now());
    const store = memoryAccountStore(acc);
    const events: TokenEvent[] = [];
    const m = createTokenManager({
      store,
      oauth: client,
      clock: createFakeClock(Date.now()).clock,
      notifier: (e) => events.push(e),
    });
    await expect(m.refreshNow()).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(store.value()).toEqual({ ...acc, status: 'needs-reconnect' });
    expect(events).toEqual([expect.objectContaining({ type: 'refresh-failed', needsReconnect: true })]);
  });
});
