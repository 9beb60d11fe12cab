/**
 * The batched day read (issue 19): the bases of a chunk's first increments, and the checks
 * of lost answers, come from ONE with-values read (`readDays`) instead of one read per
 * attribute — and stay exact: only what the answer names is taken, the rest is read one
 * by one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, type Outbox } from '../../../src/core/outbox/index';
import { readWindows } from '../../../src/core/outbox/observe';
import { READ_AHEAD_MAX_AGE_MS } from '../../../src/core/outbox/sender';
import type { OutboxWriteApi } from '../../../src/core/outbox/types';
import { dates, FakeExist, fakeClock, tempDir } from './helpers';

const D = '2025-06-01';
const TEN = Array.from({ length: 10 }, (_, i) => `a${i}`);
let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const inc = (name: string, delta = 1, date = D) => ({ kind: 'increment' as const, name, date, delta });

async function setup(opts: { wrap?: (api: OutboxWriteApi) => OutboxWriteApi; readAlso?: string[] } = {}) {
  const { dir, cleanup } = tempDir();
  const exist = new FakeExist();
  const clock = fakeClock();
  const api = exist.api({ withRead: true, batchRead: true, ...(opts.readAlso ? { readAlso: opts.readAlso } : {}) });
  const outbox = await createOutbox({
    dir,
    probeWithZeroIncrement: false,
    api: opts.wrap ? opts.wrap(api) : api,
    clock,
    random: () => 0.5,
  });
  cleanups.push(cleanup, () => outbox.close());
  return { exist, outbox, clock };
}

const endpoints = (exist: FakeExist): string[] => exist.calls.map((c) => c.endpoint);

async function recover(outbox: Outbox, clock: ReturnType<typeof fakeClock>) {
  clock.advance(10 * 60_000);
  return outbox.flush();
}

describe('one with-values read per chunk', () => {
  it('learns the bases of 10 attributes’ first increments with one read, then sends one call', async () => {
    const { exist, outbox } = await setup();
    for (const [i, name] of TEN.entries()) exist.totals.set(FakeExist.key(name, D), i * 10); // earlier writes
    for (const name of TEN) await outbox.enqueue(inc(name, 1));
    const r = await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'increment']);
    expect(r.calls).toBe(2);
    expect(exist.calls[0]!.items.map((i) => i.name)).toEqual(TEN);
    for (const [i, name] of TEN.entries()) {
      expect(exist.total(name, D)).toBe(i * 10 + 1);
      expect(outbox.knownTotal(name, D)).toBe(i * 10 + 1);
    }
  });

  it('a lost answer is judged against the batched base, and its check is one batched read too', async () => {
    const { exist, outbox, clock } = await setup();
    exist.totals.set(FakeExist.key('a0', D), 10);
    exist.totals.set(FakeExist.key('a1', D), 20);
    exist.faults.push({ kind: 'apply-then-timeout' });
    await outbox.enqueue(inc('a0', 5));
    await outbox.enqueue(inc('a1', 7));
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'increment']);
    await recover(outbox, clock);
    // The check: one read for both days (15 = 10 + 5 and 27 = 20 + 7: applied), nothing re-sent.
    expect(endpoints(exist)).toEqual(['read-days', 'increment', 'read-days']);
    expect(exist.total('a0', D)).toBe(15);
    expect(exist.total('a1', D)).toBe(27);
    expect(outbox.pending()).toHaveLength(0);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
  });

  it('reads one by one what the batched answer leaves out, and stays exact', async () => {
    const { exist, outbox, clock } = await setup();
    exist.totals.set(FakeExist.key('a0', D), 10);
    exist.totals.set(FakeExist.key('a1', D), 20);
    exist.batchOmits.add('a1');
    exist.faults.push({ kind: 'apply-then-500' });
    await outbox.enqueue(inc('a0', 1));
    await outbox.enqueue(inc('a1', 1));
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'read', 'increment']);
    expect(exist.calls[1]!.items[0]!.name).toBe('a1');
    await recover(outbox, clock);
    expect(exist.total('a0', D)).toBe(11);
    expect(exist.total('a1', D)).toBe(21);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
  });

  it('falls back to one read per attribute when Exist refuses the batched read as a whole', async () => {
    const { exist, outbox } = await setup();
    exist.readFaults.push({ kind: '400' });
    await outbox.enqueue(inc('a0', 1));
    await outbox.enqueue(inc('a1', 1));
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'read', 'read', 'increment']);
    expect(exist.total('a0', D)).toBe(1);
  });

  it('a batched read that cannot reach Exist stops the flush; nothing is sent without its base', async () => {
    const { exist, outbox, clock } = await setup();
    exist.readFaults.push({ kind: 'refused' });
    await outbox.enqueue(inc('a0', 1));
    const r = await outbox.flush();
    expect(r.stopped?.reason).toBe('network');
    expect(endpoints(exist)).toEqual(['read-days']);
    await recover(outbox, clock);
    expect(endpoints(exist)).toEqual(['read-days', 'read-days', 'increment']);
    expect(exist.total('a0', D)).toBe(1);
  });

  it('takes a day named twice with two values as unknown (reads it one by one)', async () => {
    const { exist, outbox } = await setup({
      wrap: (api) => ({
        ...api,
        readDays: async (n, d, days) => [...(await api.readDays!(n, d, days)), { name: 'a0', date: D, value: 99 }],
      }),
    });
    exist.totals.set(FakeExist.key('a0', D), 4);
    await outbox.enqueue(inc('a0', 1));
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'read', 'increment']);
    expect(outbox.knownTotal('a0', D)).toBe(5);
  });
});

describe('reading ahead the attributes the app writes (readAlso)', () => {
  it('reads their day in the same call, so their first click later needs no read', async () => {
    const { exist, outbox, clock } = await setup({ readAlso: TEN });
    for (const [i, name] of TEN.entries()) exist.totals.set(FakeExist.key(name, D), i);
    await outbox.enqueue(inc('a3', 1));
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'increment']);
    expect(new Set(exist.calls[0]!.items.map((i) => i.name))).toEqual(new Set(TEN));
    // Not a known total (nothing shows or undoes from it): only the base of a first increment soon.
    expect(outbox.knownTotal('a7', D)).toBeUndefined();
    for (const name of ['a7', 'a9']) await outbox.enqueue(inc(name, 2));
    exist.faults.push({ kind: 'apply-then-timeout' });
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'increment', 'increment']);
    // Its answer lost: judged against the bases read ahead (7 + 2, 9 + 2 → applied), exact.
    clock.advance(10 * 60_000);
    await outbox.flush();
    expect(exist.total('a7', D)).toBe(9);
    expect(exist.total('a9', D)).toBe(11);
    expect(outbox.pending()).toHaveLength(0);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
  });

  it('never spends a call of its own, and skips days already known or queued', async () => {
    const { exist, outbox } = await setup({ readAlso: ['a0', 'a1', 'a2'] });
    await outbox.enqueue(inc('a0', 1));
    await outbox.flush(); // reads a0 (and a1, a2 alongside)
    exist.totals.set(FakeExist.key('a1', D), 50); // another writer, after our read
    await outbox.enqueue(inc('a0', 1));
    await outbox.flush(); // a0's total is known: no read at all
    expect(endpoints(exist)).toEqual(['read-days', 'increment', 'increment']);
    // A day of another date: only that date's unknown days are read, a0 (known for D) is not asked for D.
    await outbox.enqueue(inc('a0', 1, '2025-05-31'));
    await outbox.flush();
    const last = exist.calls.filter((c) => c.endpoint === 'read-days').at(-1)!;
    expect(new Set(last.items.map((i) => `${i.name} ${i.date}`))).toEqual(
      new Set(['a0 2025-05-31', 'a1 2025-05-31', 'a2 2025-05-31']),
    );
  });

  it('a day read ahead longer ago than READ_AHEAD_MAX_AGE_MS is read again', async () => {
    const { exist, outbox, clock } = await setup({ readAlso: ['a0', 'a1'] });
    await outbox.enqueue(inc('a0', 1));
    await outbox.flush();
    clock.advance(READ_AHEAD_MAX_AGE_MS + 1);
    exist.totals.set(FakeExist.key('a1', D), 30);
    await outbox.enqueue(inc('a1', 1));
    await outbox.flush();
    expect(endpoints(exist)).toEqual(['read-days', 'increment', 'read-days', 'increment']);
    expect(outbox.knownTotal('a1', D)).toBe(31);
  });

  it('a day read ahead that another writer changes before our lost first click is flagged, never doubled', async () => {
    const { exist, outbox, clock } = await setup({ readAlso: ['a0', 'a1'] });
    await outbox.enqueue(inc('a0', 1));
    await outbox.flush(); // a1's total read ahead: empty (0)
    exist.totals.set(FakeExist.key('a1', D), 4); // another installation adds 4
    exist.faults.push({ kind: 'apply-then-timeout' });
    await outbox.enqueue(inc('a1', 1));
    await outbox.flush();
    await recover(outbox, clock);
    expect(exist.total('a1', D)).toBe(5); // applied once
    expect(outbox.snapshot().maybeDoubled.map((i) => i.flag?.code)).toEqual(['other-writer']);
    expect(exist.writeCalls().filter((c) => c.items.some((i) => i.name === 'a1' && i.value === 1))).toHaveLength(1);
  });
});

describe('read windows (the reference: days ≤ 31 a call)', () => {
  it('puts days up to 31 apart and up to 35 attributes in one call', () => {
    const days = dates(31, '2025-05-02'); // 2025-05-02 … 2025-06-01
    const w = readWindows(days.map((date) => ({ name: 'a0', date })));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ names: ['a0'], dateMax: D, days: 31 });
    const many = readWindows(Array.from({ length: 35 }, (_, i) => ({ name: `n${i}`, date: D })));
    expect(many).toHaveLength(1);
    expect(many[0]!.names).toHaveLength(35);
  });

  it('splits at 32 days and at 36 attributes', () => {
    expect(readWindows(dates(32, '2025-05-01').map((date) => ({ name: 'a0', date })))).toHaveLength(2);
    expect(readWindows(Array.from({ length: 36 }, (_, i) => ({ name: `n${i}`, date: D })))).toHaveLength(2);
  });

  it('a 40-day backlog: each chunk’s read stays within 31 days and every day is covered', async () => {
    const { exist, outbox } = await setup();
    const days = dates(40, '2025-04-23');
    for (const date of days) await outbox.enqueue(inc('a0', 1, date));
    await outbox.flush();
    const reads = exist.calls.filter((c) => c.endpoint === 'read-days');
    // Chunk 1 (35 days) needs 2 reads (31 + 4 days), chunk 2 (5 days) 1.
    expect(endpoints(exist)).toEqual(['read-days', 'read-days', 'increment', 'read-days', 'increment']);
    for (const c of reads) expect(new Set(c.items.map((i) => i.date)).size).toBeLessThanOrEqual(31);
    const covered = new Set(reads.flatMap((c) => c.items.map((i) => i.date)));
    for (const date of days) expect(covered.has(date)).toBe(true);
    expect(exist.calls.filter((c) => c.endpoint === 'read')).toHaveLength(0);
  });
});
