import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/core/outbox/index';
import { createRateBudget } from '../../../src/core/rate/budget';
import {
  afterClickFlush,
  clickFlushAt,
  initialPacerState,
  PACER_DEFAULTS as P,
  pacedBudget,
} from '../../../src/core/rate/pacer';
import { FakeExist, tempDir } from '../outbox/helpers';
import { prng, randInt, virtualClock } from '../../reliability/harness';
import { percentile, SimDriver } from './sim';

const HOUR = 3_600_000;
const D = '2025-06-01';
const TEN = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'];

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(opts: { pacing?: false; withRead?: boolean; batchRead?: boolean; readAlso?: string[] } = {}) {
  const { dir, cleanup } = tempDir();
  const exist = new FakeExist();
  const clock = virtualClock(Date.UTC(2025, 5, 1, 9));
  const budget = pacedBudget(createRateBudget({ clock, random: () => 0.5 }), clock);
  const outbox = await createOutbox({
    dir,
    api: exist.api({
      withRead: opts.withRead ?? false,
      batchRead: opts.batchRead ?? false,
      ...(opts.readAlso ? { readAlso: opts.readAlso } : {}),
    }),
    clock,
    budget,
    random: () => 0.5,
    // The subject is pacing: the write-only +0 probe (one call per new attribute-day, issue 13) is off here.
    probeWithZeroIncrement: false,
  });
  outbox.startAutoFlush(opts.pacing === false ? { pacing: false } : {});
  cleanups.push(cleanup, () => outbox.close());
  return { exist, clock, outbox, budget, sim: new SimDriver(outbox, clock) };
}

describe('the click pacer (pure)', () => {
  const burst = (now: number, callsLeft = 300) => ({ now, burstStart: now, lastWriteAt: now, callsLeft });

  it('sends a quiet click after the debounce, and keeps doing so for clicks far apart', () => {
    let s = initialPacerState();
    for (let t = 0; t < 10 * HOUR; t += 5 * 60_000) {
      expect(clickFlushAt(P, s, burst(t))).toBe(t + P.debounceMs);
      s = afterClickFlush(P, s, t + P.debounceMs);
    }
  });

  it('meters quick sends, and never holds a burst past the ceiling', () => {
    let s = initialPacerState();
    const at: number[] = [];
    for (let t = 0; t < HOUR;) {
      const due = clickFlushAt(P, s, burst(t));
      expect(due - t).toBeLessThanOrEqual(P.ceilingMs);
      at.push(due);
      s = afterClickFlush(P, s, due);
      t = due + 1_000; // a click a second after each send: as busy as it gets
    }
    // The first quickBurst + 1 go after the debounce; after that, each waits the full ceiling.
    const waits = at.map((x, i) => x - (i === 0 ? 0 : at[i - 1]! + 1_000));
    expect(waits.slice(0, P.quickBurst + 1)).toEqual(Array(P.quickBurst + 1).fill(P.debounceMs));
    expect(new Set(waits.slice(P.quickBurst + 1))).toEqual(new Set([P.ceilingMs]));
  });

  it('with few calls left in the hour, every burst waits the ceiling', () => {
    const s = initialPacerState();
    expect(clickFlushAt(P, s, burst(0, P.clickReserve + 1))).toBe(P.debounceMs);
    expect(clickFlushAt(P, s, burst(0, P.clickReserve))).toBe(P.ceilingMs);
  });
});

describe('the paced budget', () => {
  it('lets background calls fill the hour only up to limit − clickReserve; clicks pass', () => {
    const clock = virtualClock(0);
    const b = pacedBudget(createRateBudget({ clock }), clock);
    let bg = 0;
    while (b.take().ok) bg++;
    expect(bg).toBe(300 - P.clickReserve);
    const refused = b.take();
    expect(refused).toEqual({ ok: false, reason: 'budget', retryAt: HOUR });
    for (let i = 0; i < P.clickReserve; i++) expect(b.take({ interactive: true }).ok).toBe(true);
    expect(b.take({ interactive: true }).ok).toBe(false);
    clock.advanceTo(HOUR);
    expect(b.take().ok).toBe(true);
  });
});

describe('a paced hour through the real outbox (simulated time)', () => {
  it('1,000 clicks on 10 attributes in an hour: ≤ 60 calls, every click in Exist, none waits past the ceiling', async () => {
    const { exist, clock, sim } = await setup();
    const rand = prng(19);
    const t0 = clock.now();
    const times = Array.from({ length: 1000 }, () => Math.floor(rand() * HOUR)).sort((a, b) => a - b);
    const want = new Map<string, number>();
    for (const t of times) {
      const name = TEN[randInt(rand, 0, 9)]!;
      want.set(name, (want.get(name) ?? 0) + 1);
      await sim.write({ kind: 'increment', name, date: D, delta: 1 }, t0 + t, true);
    }
    await sim.drain();
    for (const [name, n] of want) expect(exist.total(name, D)).toBe(n);
    expect(exist.calls.length).toBeLessThanOrEqual(60);
    const lags = sim.clickLags();
    expect(Math.max(...lags)).toBeLessThanOrEqual(P.ceilingMs);
    expect(percentile(lags, 95)).toBeLessThanOrEqual(60_000);
  });

  it('the same hour with a read scope: the bases come from batched reads, still ≤ 60 calls, exact', async () => {
    // As the app wires it: the attributes it writes are read alongside (session/index.ts).
    const { exist, clock, sim } = await setup({ withRead: true, batchRead: true, readAlso: TEN });
    const rand = prng(19);
    const t0 = clock.now();
    const times = Array.from({ length: 1000 }, () => Math.floor(rand() * HOUR)).sort((a, b) => a - b);
    const want = new Map<string, number>();
    for (const name of TEN) exist.totals.set(`${name}|${D}`, 5); // logged earlier today, elsewhere
    for (const t of times) {
      const name = TEN[randInt(rand, 0, 9)]!;
      want.set(name, (want.get(name) ?? 0) + 1);
      await sim.write({ kind: 'increment', name, date: D, delta: 1 }, t0 + t, true);
    }
    await sim.drain();
    for (const [name, n] of want) expect(exist.total(name, D)).toBe(5 + n);
    const reads = exist.calls.filter((c) => c.endpoint === 'read' || c.endpoint === 'read-days');
    // One with-values read for all ten days (the first click's, and the rest read alongside).
    expect(reads.map((c) => c.endpoint)).toEqual(['read-days']);
    console.log(
      'DEBUG',
      exist.calls.length,
      reads.length,
      reads.map((c) => new Set(c.items.map((i) => i.name)).size),
    );
    expect(exist.calls.length).toBeLessThanOrEqual(60);
    expect(percentile(sim.clickLags(), 95)).toBeLessThanOrEqual(60_000);
  });

  it('100 rapid clicks go as one call, 750 ms after the last', async () => {
    const { exist, clock, sim } = await setup();
    const rand = prng(7);
    let t = clock.now();
    for (let i = 0; i < 100; i++) {
      await sim.write({ kind: 'increment', name: 'a0', date: D, delta: 1 }, t, true);
      t += randInt(rand, 80, 250);
    }
    const last = Math.max(...sim.queuedAt.values());
    await sim.drain();
    expect(exist.writeCalls()).toHaveLength(1);
    expect(exist.total('a0', D)).toBe(100);
    expect(Math.max(...sim.syncedAt.values())).toBe(last + P.debounceMs);
  });

  it('a quiet user sees each click in Exist within a second', async () => {
    const { exist, clock, sim } = await setup();
    const t0 = clock.now();
    for (let i = 0; i < 20; i++)
      await sim.write({ kind: 'increment', name: 'a0', date: D, delta: 1 }, t0 + i * 4 * 60_000, true);
    await sim.drain();
    expect(exist.total('a0', D)).toBe(20);
    expect(Math.max(...sim.clickLags())).toBeLessThanOrEqual(1_000);
  });

  it('a 2,000-row import drains in the background while clicks keep their pace', async () => {
    const { exist, clock, sim, outbox } = await setup();
    const t0 = clock.now();
    const days = Array.from({ length: 2000 }, (_, i) => new Date(Date.UTC(2019, 0, 1) + i * 86_400_000));
    await Promise.all(
      days.map((d, i) => outbox.enqueue({ kind: 'set', name: 'a9', date: d.toISOString().slice(0, 10), value: i })),
    );
    void outbox.flush(); // as the import does
    for (let i = 0; i < 300; i++)
      await sim.write({ kind: 'increment', name: 'a0', date: D, delta: 1 }, t0 + i * 12_000, true);
    await sim.drain();
    expect(exist.total('a0', D)).toBe(300);
    expect(exist.total('a9', '2019-01-01')).toBe(0);
    expect(outbox.pending()).toHaveLength(0);
    expect(Math.max(...sim.clickLags())).toBeLessThanOrEqual(P.ceilingMs);
    expect(exist.writeCalls().filter((c) => c.endpoint === 'update')).toHaveLength(Math.ceil(2000 / 35));
  });

  it('without pacing the same hour costs a call per click burst (the test can fail)', async () => {
    const { exist, clock, sim } = await setup({ pacing: false });
    const t0 = clock.now();
    for (let i = 0; i < 200; i++)
      await sim.write({ kind: 'increment', name: 'a0', date: D, delta: 1 }, t0 + i * 18_000, true);
    await sim.drain();
    expect(exist.calls.length).toBe(200);
  });
});
