import { describe, expect, it } from 'vitest';
import {
  createFlushScheduler,
  FLUSH_DEBOUNCE_MS,
  FLUSH_MAX_WAIT_MS,
  type FlushScheduler,
} from '../../../src/core/outbox/flush-scheduler';
import type { FlushReport } from '../../../src/core/outbox/types';
import { fakeClock } from './helpers';

const report = (over: Partial<FlushReport> = {}): FlushReport => ({
  calls: 1,
  objectsSent: 1,
  synced: 1,
  failed: 0,
  pending: 0,
  ...over,
});

function setup() {
  const clock = fakeClock();
  const flushes: { at: number; interactive: boolean }[] = [];
  let pending = 0;
  let next: FlushReport = report();
  // Like the outbox: every flush's report goes back to the scheduler.
  const s: FlushScheduler = createFlushScheduler({
    clock,
    pendingCount: () => pending,
    flush: async ({ interactive }) => {
      flushes.push({ at: clock.now(), interactive });
      s.observe(next, interactive);
      return next;
    },
  });
  const tick = async (ms: number): Promise<void> => {
    clock.advance(ms);
    await Promise.resolve();
    await Promise.resolve();
  };
  return {
    clock,
    s,
    flushes,
    tick,
    setPending: (n: number) => void (pending = n),
    answer: (r: FlushReport) => void (next = r),
  };
}

describe('flush scheduler', () => {
  it('has one set of defaults: 750 ms after the last write, at most 5 s after the first', async () => {
    expect([FLUSH_DEBOUNCE_MS, FLUSH_MAX_WAIT_MS]).toEqual([750, 5000]);
    const { s, flushes, tick, clock } = setup();
    const t0 = clock.now();
    s.start();
    s.afterWrite();
    await tick(749);
    expect(flushes).toEqual([]);
    await tick(1);
    expect(flushes).toEqual([{ at: t0 + 750, interactive: false }]);
    // A burst that never pauses goes out at the max wait.
    const t1 = clock.now();
    for (let i = 0; i < 30; i++) {
      s.afterWrite();
      await tick(200);
    }
    expect(flushes[1]?.at).toBe(t1 + 5000);
  });

  it('does nothing until started, and nothing after stop or close', async () => {
    const { s, flushes, tick, setPending } = setup();
    s.afterWrite();
    await tick(10_000);
    expect(flushes).toHaveLength(0);
    setPending(3);
    s.start({ debounceMs: 100 });
    await tick(100);
    expect(flushes).toHaveLength(1);
    s.stop();
    s.afterWrite();
    s.now();
    await tick(10_000);
    expect(flushes).toHaveLength(1);
    s.start({ debounceMs: 100 });
    s.close();
    s.afterWrite();
    await tick(10_000);
    expect(flushes).toHaveLength(1);
  });

  it('a flush is interactive when a write since the last one was', async () => {
    const { s, flushes, tick } = setup();
    s.start({ debounceMs: 10 });
    s.afterWrite();
    s.afterWrite({ interactive: true });
    await tick(10);
    s.afterWrite();
    await tick(10);
    expect(flushes.map((f) => f.interactive)).toEqual([true, false]);
  });

  it('comes back at retryAt after a stopped flush, and after the debounce while items remain', async () => {
    const { s, flushes, tick, clock, answer, setPending } = setup();
    s.start({ debounceMs: 10 });
    const t0 = clock.now();
    answer(report({ stopped: { reason: 'budget', message: 'x', retryAt: t0 + 60_000 } }));
    s.afterWrite();
    await tick(10);
    answer(report());
    setPending(1);
    await tick(60_000 - 10);
    expect(flushes.map((f) => f.at - t0)).toEqual([10, 60_000]);
    setPending(0);
    await tick(10);
    expect(flushes.map((f) => f.at - t0)).toEqual([10, 60_000, 60_010]);
    await tick(10_000);
    expect(flushes).toHaveLength(3);
  });

  it('now() flushes at once when something is queued; soon() after the debounce', async () => {
    const { s, flushes, tick, setPending, clock } = setup();
    s.start({ debounceMs: 300 });
    const t0 = clock.now();
    s.now();
    await tick(0);
    expect(flushes).toHaveLength(0);
    setPending(1);
    s.afterWrite();
    s.now();
    await tick(0);
    expect(flushes.map((f) => f.at - t0)).toEqual([0]);
    setPending(0);
    s.soon();
    await tick(300);
    expect(flushes.map((f) => f.at - t0)).toEqual([0, 300]);
  });
});
