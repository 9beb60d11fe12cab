import { afterEach, describe, expect, it } from 'vitest';
import { createRateBudget } from '../../../src/core/rate/budget';
import { probingBackoff } from '../../../src/core/timers/backoff';
import { fakeClock, tempDir } from '../outbox/helpers';

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

  it('pauses everything after a 429: as long as Retry-After says, else probing 1, 2, 4 … minutes', () => {
    const clock = fakeClock(Date.UTC(2025, 5, 1, 12, 0, 0));
    const b = createRateBudget({ clock, limit: 300, reserve: 20 });
    b.onRateLimited(5_000);
    expect(b.take({ interactive: true })).toEqual({ ok: false, reason: 'rate-limited', retryAt: clock.now() + 5_000 });
    clock.advance(5_000);
    expect(b.take().ok).toBe(true);
    // Without Retry-After: short probes (the old code paused until the oldest call left the hour).
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      b.onRateLimited();
      waits.push(b.status().pausedUntil - clock.now());
      clock.advance(waits.at(-1)!);
    }
    expect(waits).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(b.status().rateLimitStreak).toBe(4);
    b.onSuccess();
    expect(b.status().rateLimitStreak).toBe(0);
  });

  it('never probes past the next hour boundary, where Exist’s window resets', () => {
    const clock = fakeClock(Date.UTC(2025, 5, 1, 12, 58, 30));
    const b = createRateBudget({ clock });
    for (let i = 0; i < 3; i++) b.onRateLimited(); // 1, then 2, then 4 minutes — capped at 13:00
    expect(b.status().pausedUntil).toBe(Date.UTC(2025, 5, 1, 13, 0, 0));
    expect(probingBackoff(1, Date.UTC(2025, 5, 1, 12, 10))).toBe(60_000);
    expect(probingBackoff(7, Date.UTC(2025, 5, 1, 12, 10))).toBe(50 * 60_000);
  });

  it('counts every request the client reports, using the slot the outbox claimed, and takes back what the server did not count', () => {
    const clock = fakeClock();
    const b = createRateBudget({ clock, limit: 300, reserve: 0 });
    expect(b.take().ok).toBe(true); // the outbox claims a slot…
    b.meter.onRequest().settle(true); // …and its request uses it: 1, not 2
    b.meter.onRequest().settle(true); // a read of the owned list, outside the outbox
    const refused = b.meter.onRequest();
    refused.settle(false); // answered 401 (or 429, or never sent)
    expect(b.status().used).toBe(2);
    clock.advance(60_000);
    b.meter.onRequest().settle(true); // no claim left: recorded as a new call
    expect(b.status().used).toBe(3);
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
