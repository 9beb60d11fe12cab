import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, type OutboxEvent } from '../../../src/core/outbox/index';
import { createRateBudget } from '../../../src/core/rate/budget';
import { UserError } from '../../../src/core/errors';
import { dates, FakeExist, fakeClock, tempDir, type FakeClock } from './helpers';

const D = '2025-06-01';
let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(opts: { withRead?: boolean; clock?: FakeClock; limit?: number; reserve?: number } = {}) {
  const { dir, cleanup } = tempDir();
  const exist = new FakeExist();
  const clock = opts.clock ?? fakeClock();
  const budget =
    opts.limit !== undefined
      ? createRateBudget({ clock, limit: opts.limit, reserve: opts.reserve ?? 0, random: () => 0.5 })
      : undefined;
  const outbox = await createOutbox({
    dir,
    api: exist.api({ withRead: opts.withRead ?? false }),
    clock,
    random: () => 0.5,
    // These tests are about batching and scheduling; the +0 probe has its own (recovery.test.ts).
    probeWithZeroIncrement: false,
    ...(budget ? { budget } : {}),
  });
  cleanups.push(cleanup, () => outbox.close());
  return { dir, exist, clock, outbox };
}

const inc = (name: string, delta = 1, date = D) => ({ kind: 'increment' as const, name, date, delta });
const set = (name: string, value: number | string, date = D) => ({ kind: 'set' as const, name, date, value });

describe('coalescing and batching', () => {
  it('sends 50 queued increments as one increment call of +50', async () => {
    const { exist, outbox } = await setup();
    for (let i = 0; i < 50; i++) await outbox.enqueue(inc('pages_read'));
    expect(outbox.pending()).toHaveLength(50);
    const report = await outbox.flush();
    expect(exist.writeCalls()).toEqual([
      { endpoint: 'increment', items: [{ name: 'pages_read', date: D, value: 50 }] },
    ]);
    expect(exist.total('pages_read', D)).toBe(50);
    expect(report).toMatchObject({ calls: 1, synced: 50, failed: 0, pending: 0 });
    expect(outbox.pending()).toHaveLength(0);
    expect(outbox.knownTotal('pages_read', D)).toBe(50);
  });

  it('sends 400 totals on 400 dates in 12 calls of at most 35', async () => {
    const { exist, outbox } = await setup();
    const ds = dates(400);
    for (const [i, d] of ds.entries()) await outbox.enqueue(set('weight', 70 + i / 10, d));
    await outbox.flush();
    const calls = exist.writeCalls();
    expect(calls).toHaveLength(12);
    expect(calls.every((c) => c.endpoint === 'update' && c.items.length <= 35)).toBe(true);
    for (const [i, d] of ds.entries()) expect(exist.total('weight', d)).toBeCloseTo(70 + i / 10, 10);
  });

  it('lets a set supersede earlier sets and increments, and adds later increments on top', async () => {
    const { exist, outbox } = await setup();
    await outbox.enqueue(inc('steps', 5));
    await outbox.enqueue(set('steps', 7));
    await outbox.enqueue(set('steps', 100));
    await outbox.enqueue(inc('steps', 3));
    await outbox.enqueue(inc('steps', 2));
    expect(outbox.expected('steps', D)).toMatchObject({ value: 105, known: true, unsynced: 5 });
    await outbox.flush();
    expect(exist.writeCalls()).toEqual([{ endpoint: 'update', items: [{ name: 'steps', date: D, value: 105 }] }]);
    expect(outbox.knownTotal('steps', D)).toBe(105);
    expect(outbox.pending()).toHaveLength(0);
  });

  it('mixes days and attributes in calls of at most 35 objects, increments and totals apart', async () => {
    const { exist, outbox } = await setup();
    const ds = dates(4);
    for (let a = 0; a < 20; a++) for (const d of ds) await outbox.enqueue(inc(`attr_${a}`, a + 1, d));
    for (const d of ds) await outbox.enqueue(set('mood', 7, d));
    await outbox.flush();
    const calls = exist.writeCalls();
    expect(calls.every((c) => c.items.length <= 35)).toBe(true);
    expect(calls.filter((c) => c.endpoint === 'increment').reduce((n, c) => n + c.items.length, 0)).toBe(80);
    expect(calls.filter((c) => c.endpoint === 'update').flatMap((c) => c.items.map((i) => i.name))).toEqual([
      'mood',
      'mood',
      'mood',
      'mood',
    ]);
    expect(calls).toHaveLength(4); // ⌈80/35⌉ increment calls + 1 update call
    const first = calls[0]!.items;
    expect(new Set(first.map((i) => i.date)).size).toBeGreaterThan(1);
    expect(new Set(first.map((i) => i.name)).size).toBeGreaterThan(1);
    for (let a = 0; a < 20; a++) for (const d of ds) expect(exist.total(`attr_${a}`, d)).toBe(a + 1);
  });

  it('refuses bad input with a clear error and queues nothing', async () => {
    const { outbox } = await setup();
    await expect(outbox.enqueue(inc('pages_read', Number.NaN))).rejects.toThrow(UserError);
    await expect(outbox.enqueue(inc('pages read', 1))).rejects.toThrow(/name/);
    await expect(outbox.enqueue(inc('pages_read', 1, '2025-02-30'))).rejects.toThrow(/date/);
    await expect(outbox.enqueue(inc('pages_read', 0))).rejects.toThrow(/zero/);
    expect(outbox.pending()).toHaveLength(0);
  });
});

describe('failures', () => {
  it('puts an item Exist rejects (202) in the failed list with its message, and lands the rest', async () => {
    const { exist, outbox } = await setup();
    exist.reject.set('mood', { error_code: 'validation', error: 'Cannot apply a float to an integer type' });
    const bad = await outbox.enqueue(set('mood', 3.5));
    await outbox.enqueue(set('energy', 4));
    await outbox.enqueue(inc('pages_read', 2));
    const report = await outbox.flush();
    expect(report.failed).toBe(1);
    expect(exist.total('energy', D)).toBe(4);
    expect(exist.total('pages_read', D)).toBe(2);
    const failed = outbox.failed();
    expect(failed.map((f) => [f.id, f.error])).toEqual([
      [bad.id, { code: 'validation', message: 'Cannot apply a float to an integer type' }],
    ]);
    // retry queues it again; discard drops it for good.
    exist.reject.clear();
    expect(await outbox.retry([bad.id])).toEqual([bad.id]);
    expect(outbox.pending().map((p) => p.id)).toEqual([bad.id]);
    exist.reject.set('mood', { error_code: 'validation', error: 'still bad' });
    await outbox.flush();
    expect(outbox.failed()[0]?.error?.message).toBe('still bad');
    expect(await outbox.discard([bad.id])).toEqual([bad.id]);
    expect(outbox.failed()).toHaveLength(0);
  });

  it('re-acquires once on an ownership failure, then retries once', async () => {
    const { exist, outbox } = await setup();
    exist.notOwned.add('pages_read');
    await outbox.enqueue(inc('pages_read', 4));
    await outbox.flush();
    expect(exist.calls.map((c) => c.endpoint)).toEqual(['increment', 'reacquire', 'increment']);
    expect(exist.total('pages_read', D)).toBe(4);
    expect(outbox.failed()).toHaveLength(0);
  });

  it('fails the item with the message when re-acquiring does not help', async () => {
    const { exist, outbox } = await setup();
    exist.notOwned.add('mood');
    exist.reacquirable = false;
    await outbox.enqueue(set('mood', 5));
    await outbox.flush();
    expect(exist.calls.map((c) => c.endpoint)).toEqual(['update', 'reacquire']);
    expect(outbox.failed()[0]?.error).toMatchObject({ code: 'unauthorised' });
    expect(outbox.failed()[0]?.error?.message).toMatch(/does not belong/);
  });

  it('fails every item of a call rejected as a whole (400) with the message', async () => {
    const { exist, outbox } = await setup();
    exist.faults.push({ kind: '400' });
    await outbox.enqueue(set('mood', 5));
    await outbox.enqueue(set('energy', 5));
    await outbox.flush();
    expect(outbox.failed().map((f) => f.error?.message)).toEqual([
      'Exist rejected the call: bad JSON',
      'Exist rejected the call: bad JSON',
    ]);
  });

  it('waits after a 429 with Retry-After, then sends everything', async () => {
    const { exist, outbox, clock } = await setup();
    exist.faults.push({ kind: '429', retryAfterMs: 30_000 });
    await outbox.enqueue(inc('pages_read', 3));
    const r1 = await outbox.flush();
    expect(r1.stopped).toMatchObject({ reason: 'rate-limited', retryAt: clock.now() + 30_000 });
    expect(outbox.pending()).toHaveLength(1);
    clock.advance(29_000);
    const r2 = await outbox.flush();
    expect(r2.stopped?.reason).toBe('rate-limited');
    expect(exist.writeCalls()).toHaveLength(1);
    clock.advance(1_000);
    const r3 = await outbox.flush();
    expect(r3.stopped).toBeUndefined();
    expect(exist.total('pages_read', D)).toBe(3);
    expect(exist.writeCalls()).toHaveLength(2);
  });

  it('waits at least 60 s after a 429 without Retry-After', async () => {
    const { exist, outbox, clock } = await setup();
    exist.faults.push({ kind: '429' });
    await outbox.enqueue(inc('pages_read'));
    const r = await outbox.flush();
    expect(r.stopped?.retryAt).toBeGreaterThanOrEqual(clock.now() + 60_000);
  });

  it('keeps the reserve for interactive flushes', async () => {
    const { exist, outbox } = await setup({ limit: 3, reserve: 2 });
    for (const d of dates(3)) await outbox.enqueue(set('mood', 5, d));
    // One call of three objects: fine in the background.
    await outbox.flush();
    expect(exist.writeCalls()).toHaveLength(1);
    await outbox.enqueue(set('mood', 6), { interactive: true }); // a click (a background row would wait: background-lane.test.ts)
    const bg = await outbox.flush();
    expect(bg.stopped?.reason).toBe('budget');
    expect(exist.writeCalls()).toHaveLength(1);
    const fg = await outbox.flush({ interactive: true });
    expect(fg.stopped).toBeUndefined();
    expect(exist.total('mood', D)).toBe(6);
  });
});

describe('events and auto flush', () => {
  it('reports counts, per-item states, progress and the expected value at once', async () => {
    const { exist, outbox } = await setup();
    exist.totals.set(FakeExist.key('pages_read', D), 10);
    const events: OutboxEvent[] = [];
    outbox.onChange((e) => events.push(e));
    await outbox.enqueue(inc('pages_read', 1));
    expect(events).toContainEqual({ type: 'counts', pending: 1, sending: 0, failed: 0 });
    expect(events).toContainEqual({
      type: 'expected',
      expected: { name: 'pages_read', date: D, value: 1, known: false, unsynced: 1 },
    });
    await outbox.flush();
    expect(events).toContainEqual({
      type: 'expected',
      expected: { name: 'pages_read', date: D, value: 11, known: true, unsynced: 0 },
    });
    expect(events.some((e) => e.type === 'item' && e.item.state === 'sending')).toBe(true);
    expect(events.some((e) => e.type === 'item' && e.item.state === 'synced')).toBe(true);
    expect(events).toContainEqual({ type: 'progress', sent: 1, total: 1 });
    expect(events.some((e) => e.type === 'synced')).toBe(true);
    // With a known total, the next click shows the new total immediately.
    await outbox.enqueue(inc('pages_read', 1));
    expect(outbox.expected('pages_read', D)).toMatchObject({ value: 12, known: true });
    expect(outbox.snapshot().lastSyncAt).not.toBeNull();
  });

  it('flushes by itself after the debounce, and after a backoff ends', async () => {
    const { exist, outbox, clock } = await setup();
    outbox.startAutoFlush({ debounceMs: 500 });
    exist.faults.push({ kind: 'refused' });
    await outbox.enqueue(inc('pages_read', 2));
    expect(exist.writeCalls()).toHaveLength(0);
    clock.advance(500);
    await outbox.flush(); // waits for the automatic one
    expect(exist.writeCalls()).toHaveLength(1);
    expect(outbox.pending()).toHaveLength(1);
    outbox.notifyOnline();
    clock.advance(0);
    await outbox.flush();
    expect(exist.total('pages_read', D)).toBe(2);
    expect(exist.writeCalls()).toHaveLength(2);
  });

  it('trusts the client on whether a failed call was applied: a refused call is resent, not flagged', async () => {
    const { exist, outbox } = await setup();
    exist.faults.push({ kind: 'refused-then-refresh-timeout' });
    await outbox.enqueue(inc('pages_read', 3));
    await outbox.flush();
    outbox.notifyOnline(); // ends the back-off the failure started
    await outbox.flush();
    expect(exist.total('pages_read', D)).toBe(3);
    expect(outbox.snapshot().maybeDoubled).toEqual([]);
  });

  it('waits for a burst of clicks to end, but no longer than the max wait', async () => {
    const { exist, outbox, clock } = await setup();
    outbox.startAutoFlush({ debounceMs: 750, maxWaitMs: 5000 });
    // Clicks 300 ms apart: each one pushes the send back, so none goes out mid-burst…
    for (let i = 0; i < 10; i++) {
      await outbox.enqueue(inc('pages_read', 1));
      clock.advance(300);
      await outbox.idle();
    }
    expect(exist.writeCalls()).toHaveLength(0);
    // …and 750 ms after the last one the burst goes out as one +10.
    clock.advance(450);
    await outbox.idle();
    expect(exist.writeCalls()).toHaveLength(1);
    expect(exist.total('pages_read', D)).toBe(10);
    // A burst that never pauses is still sent within the max wait of its first click.
    for (let t = 0; t < 5000; t += 250) {
      await outbox.enqueue(inc('pages_read', 1));
      clock.advance(250);
      await outbox.idle();
    }
    expect(exist.writeCalls().length).toBe(2);
    clock.advance(1000);
    await outbox.idle();
    expect(exist.total('pages_read', D)).toBe(30);
  });
});
