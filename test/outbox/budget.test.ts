import { afterEach, describe, expect, it } from 'vitest';
import { createRateBudget } from '../../src/core/rate/budget';
import { fakeClock, tempDir } from './helpers';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

describe('rate budget', () => {
  it('keeps a reserve that only interactive calls may use', () => {
    const clock = fakeClock();
    const b = createRateBudget({ clock, limit: 10, reserve: 3 });
    for (let i = 0; i < 7; i++) expect(b.take()).toEqual({ ok: true });
    const denied = b.take();
    expect(denied).toMatchObject({ ok: false, reason: 'budget' });
    for (let i = 0; i < 3; i++) expect(b.take({ interactive: true })).toEqual({ ok: true });
    expect(b.take({ interactive: true })).toMatchObject({ ok: false, reason: 'budget' });
    expect(b.status().used).toBe(10);
  });

  it('frees slots as calls leave the rolling hour', () => {
    const clock = fakeClock();
    const b = createRateBudget({ clock, limit: 3, reserve: 0 });
    const t0 = clock.now();
    b.take();
    clock.advance(10 * 60_000);
    b.take();
    b.take();
    const denied = b.take();
    expect(denied).toEqual({ ok: false, reason: 'budget', retryAt: t0 + 3_600_000 });
    clock.advance(t0 + 3_600_000 - clock.now() - 1);
    expect(b.take().ok).toBe(false);
    clock.advance(1);
    expect(b.take().ok).toBe(true);
    expect(b.take().ok).toBe(false);
  });

  it('remembers the last hour across restarts', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = fakeClock();
    const a = createRateBudget({ clock, dir, key: 'alice', limit: 5, reserve: 0 });
    for (let i = 0; i < 5; i++) a.take();
    const b = createRateBudget({ clock, dir, key: 'alice', limit: 5, reserve: 0 });
    expect(b.status().used).toBe(5);
    expect(b.take().ok).toBe(false);
    // Another token has its own count.
    const c = createRateBudget({ clock, dir, key: 'bob', limit: 5, reserve: 0 });
    expect(c.take().ok).toBe(true);
  });

  it('pauses everything after a 429: Retry-After, else until a slot frees, at least 60 s', () => {
    const clock = fakeClock();
    const b = createRateBudget({ clock, limit: 300, reserve: 20 });
    b.onRateLimited(5_000);
    expect(b.take({ interactive: true })).toEqual({ ok: false, reason: 'rate-limited', retryAt: clock.now() + 5_000 });
    clock.advance(5_000);
    expect(b.take().ok).toBe(true);
    // Without Retry-After, the oldest call leaves the window in an hour: wait for that.
    b.onRateLimited();
    expect(b.status().pausedUntil).toBe(clock.now() + 3_600_000);
    const fresh = createRateBudget({ clock, limit: 300 });
    fresh.onRateLimited();
    expect(fresh.status().pausedUntil).toBe(clock.now() + 60_000);
  });

  it('backs off exponentially with injectable jitter, capped, and resumes when online', () => {
    const clock = fakeClock();
    let r = 0;
    const b = createRateBudget({ clock, random: () => r, backoffBaseMs: 1_000, backoffMaxMs: 8_000 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      b.onTransientFailure();
      delays.push(b.status().backoffUntil - clock.now());
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    r = 1;
    b.onTransientFailure();
    expect(b.status().backoffUntil - clock.now()).toBe(8_000);
    expect(b.take()).toMatchObject({ ok: false, reason: 'backoff' });
    b.notifyOnline();
    expect(b.take().ok).toBe(true);
    b.onTransientFailure();
    expect(b.status().backoffUntil - clock.now()).toBe(1_000); // the count restarted
    b.onSuccess();
    expect(b.status()).toMatchObject({ backoffUntil: 0, consecutiveFailures: 0 });
  });
});
