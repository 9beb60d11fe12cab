/** core/timers: the one chunked timer and the one back-off formula. */
import { describe, expect, it } from 'vitest';
import { exponentialBackoff, MAX_TIMEOUT_MS, setTimeoutAt } from '../../../src/core/timers';
import { createFakeClock } from '../auth/helpers';

const DAY = 24 * 60 * 60_000;

describe('setTimeoutAt (the chunked timer)', () => {
  it('fires once, at the time, a year away, never arming a timer over the chunk', async () => {
    const f = createFakeClock();
    const at = f.now() + 365 * DAY;
    let fired = 0;
    let chunks = 0;
    setTimeoutAt(f.clock, at, () => fired++, { maxChunkMs: 60 * 60_000, onChunk: () => chunks++ });
    await f.advance(365 * DAY - 1);
    expect(fired).toBe(0);
    await f.advance(1);
    expect(fired).toBe(1);
    expect(f.maxDelayRequested()).toBeLessThanOrEqual(60 * 60_000);
    expect(chunks).toBe(365 * 24);
    await f.advance(10 * DAY);
    expect(fired).toBe(1);
    expect(f.pendingTimers()).toBe(0);
  });

  it('caps every timer at 2^31−1 ms by default', async () => {
    const f = createFakeClock();
    let fired = false;
    setTimeoutAt(f.clock, f.now() + 60 * DAY, () => (fired = true));
    await f.advance(60 * DAY);
    expect(fired).toBe(true);
    expect(f.maxDelayRequested()).toBe(MAX_TIMEOUT_MS);
  });

  it('notices a clock jump at the next chunk and fires then when the time has passed', async () => {
    const f = createFakeClock();
    const drifts: number[] = [];
    let fired = false;
    setTimeoutAt(f.clock, f.now() + 10 * DAY, () => (fired = true), {
      maxChunkMs: 60 * 60_000,
      onChunk: (d) => drifts.push(d),
    });
    f.jump(11 * DAY); // the machine slept through the time
    await f.advance(60 * 60_000);
    expect(fired).toBe(true);
    expect(drifts).toEqual([11 * DAY]);
  });

  it('cancels', async () => {
    const f = createFakeClock();
    let fired = false;
    const cancel = setTimeoutAt(f.clock, f.now() + 3 * DAY, () => (fired = true), { maxChunkMs: DAY });
    await f.advance(DAY + 5);
    cancel();
    await f.advance(5 * DAY);
    expect(fired).toBe(false);
    expect(f.pendingTimers()).toBe(0);
  });
});

describe('exponentialBackoff (the back-off formula)', () => {
  it('doubles from the base and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => exponentialBackoff({ attempt, baseMs: 1000, maxMs: 20_000 }));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
    expect(exponentialBackoff({ attempt: 0, baseMs: 1000, maxMs: 20_000 })).toBe(1000);
    expect(exponentialBackoff({ attempt: 10_000, baseMs: 1000, maxMs: 20_000 })).toBe(20_000);
  });

  it('equal jitter stays within [d/2, d]', () => {
    const at = (r: number) => exponentialBackoff({ attempt: 3, baseMs: 1000, maxMs: 60_000, random: () => r });
    expect(at(0)).toBe(2000);
    expect(at(0.5)).toBe(3000);
    expect(at(0.999999)).toBe(4000);
  });
});
