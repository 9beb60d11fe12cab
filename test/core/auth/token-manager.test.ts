import { describe, expect, it } from 'vitest';
import { createTokenManager, refreshDueAt, refreshThresholdMs } from '../../../src/core/auth/token-manager';
import type { TokenEvent } from '../../../src/core/auth/token-manager';
import type { TokenResponse } from '../../../src/core/exist/client';
import { ExistError } from '../../../src/core/exist/errors';
import { DAY, YEAR_S, account, createFakeClock, flush, memoryAccountStore } from './helpers';

type Script = (n: number) => Promise<TokenResponse>;

function fakeOAuth(clock: { now(): number }, script?: Script) {
  const calls: { refreshToken: string; at: number }[] = [];
  return {
    calls,
    oauth: {
      refreshTokens: async (a: { refreshToken: string; clientId: string; clientSecret: string }) => {
        calls.push({ refreshToken: a.refreshToken, at: clock.now() });
        const n = calls.length;
        if (script) return script(n);
        return {
          access_token: `access-${n}`,
          refresh_token: `refresh-${n}`,
          token_type: 'Bearer',
          expires_in: YEAR_S,
          scope: 'media_write',
        };
      },
    },
  };
}

describe('threshold', () => {
  it('is 30 days for a year-long token and 10% for short ones', () => {
    expect(refreshThresholdMs({ obtainedAt: 0, expiresAt: YEAR_S * 1000 })).toBe(30 * DAY);
    expect(refreshThresholdMs({ obtainedAt: 0, expiresAt: 60_000 })).toBe(6_000);
    expect(refreshDueAt({ obtainedAt: 0, expiresAt: 60_000 })).toBe(54_000);
    expect(refreshThresholdMs({ obtainedAt: 0, expiresAt: 60_000 }, 1000)).toBe(1000);
  });
});

describe('scheduler', () => {
  it('refreshes a 31535999-second token exactly once, at the threshold, over a whole year', async () => {
    const fc = createFakeClock();
    const start = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: start, expiresAt: start + YEAR_S * 1000 }));
    const { oauth, calls } = fakeOAuth(fc.clock);
    const events: TokenEvent[] = [];
    const m = createTokenManager({ store, oauth, clock: fc.clock, notifier: (e) => events.push(e) });
    await m.start();
    const due = start + YEAR_S * 1000 - 30 * DAY;
    expect(m.nextRefreshAt()).toBe(due);

    await fc.advance(due - start - 60_000); // a minute before the threshold
    expect(calls).toHaveLength(0);
    await fc.advance(2 * 60 * 60 * 1000); // two hours later
    expect(calls).toHaveLength(1);
    expect(calls[0]!.at).toBeGreaterThanOrEqual(due);
    expect(calls[0]!.at).toBeLessThan(due + 60 * 60 * 1000 + 1);
    expect(calls[0]!.refreshToken).toBe('refresh-0');

    await fc.advance(start + 366 * DAY - fc.now()); // through the rest of the year
    expect(calls).toHaveLength(1);
    expect(store.value()!.accessToken).toBe('access-1');
    expect(store.value()!.refreshToken).toBe('refresh-1');
    expect(events).toEqual([{ type: 'refreshed', expiresAt: calls[0]!.at + YEAR_S * 1000 }]);
    // Never a timer beyond setTimeout's 2^31-1 ms limit.
    expect(fc.maxDelayRequested()).toBeLessThanOrEqual(2 ** 31 - 1);
    m.stop();
    expect(fc.pendingTimers()).toBe(0);
  });

  it('refreshes a short token at 90% of its lifetime', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: t0, expiresAt: t0 + 100_000 }));
    const { oauth, calls } = fakeOAuth(fc.clock, async (n) => ({
      access_token: `a${n}`,
      refresh_token: `r${n}`,
      token_type: 'Bearer',
      expires_in: 100,
      scope: '',
    }));
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    await m.start();
    await fc.advance(89_000);
    expect(calls).toHaveLength(0);
    await fc.advance(1_000);
    expect(calls.map((c) => c.at - t0)).toEqual([90_000]);
    // The next one is 90 s after that refresh; empty granted scope keeps the stored scope.
    await fc.advance(90_000);
    expect(calls.map((c) => c.at - t0)).toEqual([90_000, 180_000]);
    expect(store.value()!.scope).toEqual(['media_write']);
    m.stop();
  });

  it('an already-due token is refreshed at start', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(
      account({ obtainedAt: t0 - 340 * DAY, expiresAt: t0 - 340 * DAY + YEAR_S * 1000 }),
    );
    const { oauth, calls } = fakeOAuth(fc.clock);
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    await m.start();
    await flush();
    expect(calls).toHaveLength(1);
    m.stop();
  });

  it('notices a wall-clock jump at the next wake and on checkNow', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: t0, expiresAt: t0 + YEAR_S * 1000 }));
    const { oauth, calls } = fakeOAuth(fc.clock);
    const jumps: number[] = [];
    const m = createTokenManager({ store, oauth, clock: fc.clock, onClockJump: (d) => jumps.push(d) });
    await m.start();
    fc.jump(340 * DAY); // the machine slept for 340 days: timers did not run
    await fc.advance(60 * 60 * 1000);
    expect(calls).toHaveLength(1);
    expect(jumps.length).toBeGreaterThan(0);

    // checkNow after resume refreshes without waiting for a timer.
    fc.jump(340 * DAY);
    await m.checkNow();
    expect(calls).toHaveLength(2);
    m.stop();
  });

  it('resume events trigger a re-check', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: t0, expiresAt: t0 + YEAR_S * 1000 }));
    const { oauth, calls } = fakeOAuth(fc.clock);
    let resume: (() => void) | undefined;
    const m = createTokenManager({
      store,
      oauth,
      clock: fc.clock,
      power: { onResume: (cb) => ((resume = cb), () => (resume = undefined)) },
    });
    await m.start();
    fc.jump(336 * DAY);
    resume!();
    await flush();
    expect(calls).toHaveLength(1);
    m.stop();
    expect(resume).toBeUndefined();
  });
});

describe('failures', () => {
  it('invalid_grant marks the account needs-reconnect, keeps everything else and stops scheduling', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const acc = account({ obtainedAt: t0, expiresAt: t0 + 100_000 });
    const store = memoryAccountStore(acc);
    const { oauth, calls } = fakeOAuth(fc.clock, async () => {
      throw new ExistError('oauth', 'Exist refused the token request: invalid_grant.', {
        status: 400,
        oauthError: 'invalid_grant',
      });
    });
    const events: TokenEvent[] = [];
    const m = createTokenManager({ store, oauth, clock: fc.clock, notifier: (e) => events.push(e) });
    await m.start();
    await fc.advance(95_000);
    expect(calls).toHaveLength(1);
    expect(store.value()).toEqual({ ...acc, status: 'needs-reconnect' });
    expect(events).toEqual([expect.objectContaining({ type: 'refresh-failed', needsReconnect: true })]);
    expect(fc.pendingTimers()).toBe(0);
    await fc.advance(365 * DAY);
    expect(calls).toHaveLength(1);
    await expect(m.getAccessToken()).rejects.toMatchObject({ kind: 'unauthorised' });
    await expect(m.refreshAfterUnauthorised('access-0')).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(calls).toHaveLength(1);
  });

  it('invalid_client also needs a reconnect', async () => {
    const fc = createFakeClock();
    const store = memoryAccountStore(account());
    const { oauth } = fakeOAuth(fc.clock, async () => {
      throw new ExistError('oauth', 'x', { status: 401, oauthError: 'invalid_client' });
    });
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    await expect(m.refreshNow()).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(store.value()!.status).toBe('needs-reconnect');
  });

  it('network failures retry with backoff and then succeed', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: t0, expiresAt: t0 + 1000_000 }));
    const { oauth, calls } = fakeOAuth(fc.clock, async (n) => {
      if (n <= 2) throw new ExistError('network', 'Could not reach Exist (ECONNREFUSED); nothing was sent.');
      return { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 1000, scope: 'media_write' };
    });
    const events: TokenEvent[] = [];
    const m = createTokenManager({
      store,
      oauth,
      clock: fc.clock,
      notifier: (e) => events.push(e),
      retry: { initialMs: 60_000, maxMs: 600_000 },
    });
    await m.start();
    await fc.advance(900_000); // due: first attempt fails
    expect(calls).toHaveLength(1);
    expect(store.value()!.status).toBe('connected');
    await fc.advance(59_000);
    expect(calls).toHaveLength(1);
    await fc.advance(1_000); // +60 s: second attempt fails
    expect(calls).toHaveLength(2);
    await fc.advance(119_000);
    expect(calls).toHaveLength(2);
    await fc.advance(1_000); // +120 s: third succeeds
    expect(calls).toHaveLength(3);
    expect(events.map((e) => [e.type, 'needsReconnect' in e ? e.needsReconnect : null])).toEqual([
      ['refresh-failed', false],
      ['refresh-failed', false],
      ['refreshed', null],
    ]);
    expect(store.value()!.accessToken).toBe('a');
    m.stop();
  });

  it('waits at least as long as a rate limit says', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: t0 - YEAR_S * 1000, expiresAt: t0 + 1000 }));
    const { oauth, calls } = fakeOAuth(fc.clock, async (n) => {
      if (n === 1) throw new ExistError('rate-limited', 'slow', { status: 429, retryAfterMs: 30 * 60_000 });
      return { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: YEAR_S, scope: 'media_write' };
    });
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    await m.start();
    expect(calls).toHaveLength(1);
    await fc.advance(29 * 60_000);
    expect(calls).toHaveLength(1);
    await fc.advance(60_000);
    expect(calls).toHaveLength(2);
    m.stop();
  });
});

describe('TokenProvider', () => {
  it('20 concurrent 401s share one refresh; a late stale caller gets the new token without another', async () => {
    const fc = createFakeClock();
    const store = memoryAccountStore(account());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { oauth, calls } = fakeOAuth(fc.clock, async () => {
      await gate;
      return {
        access_token: 'access-new',
        refresh_token: 'refresh-new',
        token_type: 'Bearer',
        expires_in: YEAR_S,
        scope: 'media_write',
      };
    });
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    const stale = await m.getAccessToken();
    const all = Promise.all(Array.from({ length: 20 }, () => m.refreshAfterUnauthorised(stale)));
    await flush();
    release();
    expect(await all).toEqual(Array(20).fill('access-new'));
    expect(calls).toHaveLength(1);
    expect(await m.refreshAfterUnauthorised(stale)).toBe('access-new');
    expect(calls).toHaveLength(1);
  });

  it('hands out the new token only after it is saved', async () => {
    const fc = createFakeClock();
    const inner = memoryAccountStore(account());
    let releaseSave!: () => void;
    const saveGate = new Promise<void>((r) => (releaseSave = r));
    const order: string[] = [];
    const store = {
      ...inner,
      save: async (a: Parameters<typeof inner.save>[0]) => {
        await saveGate;
        await inner.save(a);
        order.push(`saved ${a.accessToken}`);
      },
    };
    const { oauth } = fakeOAuth(fc.clock);
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    await m.getAccessToken();
    const refreshed = m.refreshNow();
    const got = m.getAccessToken().then((t) => order.push(`used ${t}`));
    await flush();
    expect(order).toEqual([]);
    releaseSave();
    await Promise.all([refreshed, got]);
    expect(order).toEqual(['saved access-1', 'used access-1']);
  });

  it('refreshes an expired token before handing it out, and adopts a pair another process saved', async () => {
    const fc = createFakeClock();
    const t0 = fc.now();
    const store = memoryAccountStore(account({ obtainedAt: t0 - 400 * DAY, expiresAt: t0 - 1 }));
    const { oauth, calls } = fakeOAuth(fc.clock);
    const m = createTokenManager({ store, oauth, clock: fc.clock });
    expect(await m.getAccessToken()).toBe('access-1');
    expect(calls).toHaveLength(1);
    // Another process refreshed and saved: a 401 on our old token adopts theirs.
    await store.save({ ...store.value()!, accessToken: 'other-process', refreshToken: 'other-refresh' });
    expect(await m.refreshAfterUnauthorised('access-1')).toBe('other-process');
    expect(calls).toHaveLength(1);
  });

  it('without an account, asks to connect', async () => {
    const fc = createFakeClock();
    const m = createTokenManager({
      store: memoryAccountStore(null),
      oauth: fakeOAuth(fc.clock).oauth,
      clock: fc.clock,
    });
    await expect(m.getAccessToken()).rejects.toMatchObject({
      kind: 'unauthorised',
      message: 'Not connected to Exist.',
    });
    await m.start();
    expect(fc.pendingTimers()).toBe(0);
  });
});

describe('a refresh racing a disconnect or a new connection', () => {
  const pair: TokenResponse = {
    access_token: 'access-1',
    refresh_token: 'refresh-1',
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'media_write',
  };

  function gatedManager(store: ReturnType<typeof memoryAccountStore>) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fc = createFakeClock();
    const tm = createTokenManager({ store, clock: fc.clock, oauth: { refreshTokens: async () => (await gate, pair) } });
    return { tm, release };
  }

  it('does not bring a disconnected account back', async () => {
    const store = memoryAccountStore(account());
    const { tm, release } = gatedManager(store);
    await tm.reload();
    const refresh = tm.refreshNow();
    await flush();
    await store.clear(); // what account:disconnect does
    await tm.reload();
    release();
    await expect(refresh).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(store.value()).toBeNull();
    expect(tm.current()).toBeNull();
    tm.stop();
  });

  it('does not overwrite an account connected meanwhile', async () => {
    const store = memoryAccountStore(account());
    const { tm, release } = gatedManager(store);
    await tm.reload();
    const refresh = tm.refreshNow();
    await flush();
    const other = account({
      baseUrl: 'http://127.0.0.1:10',
      accessToken: 'other-access',
      refreshToken: 'other-refresh',
    });
    await store.save(other);
    await tm.reload();
    release();
    await expect(refresh).rejects.toThrow(/changed/);
    expect(store.value()?.accessToken).toBe('other-access');
    tm.stop();
  });
});
