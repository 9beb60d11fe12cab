/**
 * The background lane (issue 19): rows queued by jobs and imports (`bg`, enqueued without
 * `interactive`) go after interactive ones (clicks), and a call of background rows only
 * never spends the click reserve — even inside a click's flush.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/core/outbox/index';
import { recordSchema } from '../../../src/core/outbox/records';
import { OutboxState } from '../../../src/core/outbox/state';
import { createRateBudget, type RateBudget } from '../../../src/core/rate/budget';
import { pacedBudget, PACER_DEFAULTS } from '../../../src/core/rate/pacer';
import { dates, FakeExist, fakeClock, tempDir } from './helpers';

const D = '2025-06-01';
let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const click = { kind: 'increment' as const, name: 'pages_read', date: D, delta: 1 };
const rows = (n: number) =>
  dates(n, '2019-01-01').map((date, i) => ({ kind: 'set' as const, name: 'steps', date, value: i }));

/** A budget that records how each call slot was asked for. */
function recording(inner: RateBudget): RateBudget & { asked: boolean[] } {
  const asked: boolean[] = [];
  return {
    ...inner,
    asked,
    take(opts = {}) {
      asked.push(opts.interactive ?? false);
      return inner.take(opts);
    },
  };
}

async function setup(opts: { budget?: (clock: ReturnType<typeof fakeClock>) => RateBudget; dir?: string } = {}) {
  const t = opts.dir ? { dir: opts.dir, cleanup: () => {} } : tempDir();
  const exist = new FakeExist();
  const clock = fakeClock();
  const budget = opts.budget?.(clock);
  const outbox = await createOutbox({
    dir: t.dir,
    api: exist.api(),
    clock,
    random: () => 0.5,
    probeWithZeroIncrement: false,
    ...(budget ? { budget } : {}),
  });
  cleanups.push(t.cleanup, () => outbox.close());
  return { exist, clock, outbox, dir: t.dir, budget };
}

describe('the background lane', () => {
  it('with 2,000 import rows queued and one click, the click is in the first call', async () => {
    const { exist, outbox } = await setup();
    await Promise.all(rows(2000).map((op) => outbox.enqueue(op))); // an import: background
    await outbox.enqueue(click, { interactive: true });
    await outbox.flush({ interactive: true });
    const first = exist.writeCalls()[0]!;
    expect(first.endpoint).toBe('increment');
    expect(first.items).toEqual([{ name: 'pages_read', date: D, value: 1 }]);
    expect(exist.total('pages_read', D)).toBe(1);
    expect(exist.total('steps', '2019-01-01')).toBe(0);
  });

  it('a click’s flush takes the click budget only for calls holding a click', async () => {
    const { exist, outbox, budget } = await setup({
      budget: (clock) => recording(createRateBudget({ clock, random: () => 0.5 })),
    });
    await Promise.all(rows(70).map((op) => outbox.enqueue(op)));
    await outbox.enqueue(click, { interactive: true });
    await outbox.flush({ interactive: true });
    expect(exist.writeCalls().map((c) => c.items.length)).toEqual([1, 35, 35]);
    expect((budget as ReturnType<typeof recording>).asked).toEqual([true, false, false]);
  });

  it('a re-acquire for a call of background rows only is taken as background too, even in a click’s flush', async () => {
    const { exist, outbox, budget } = await setup({
      budget: (clock) => recording(createRateBudget({ clock, random: () => 0.5 })),
    });
    exist.notOwned.add('steps'); // the import's rows come back "not owned", then are re-acquired
    await Promise.all(rows(3).map((op) => outbox.enqueue(op)));
    await outbox.enqueue(click, { interactive: true });
    await outbox.flush({ interactive: true });
    expect(exist.writeCalls().map((c) => c.endpoint)).toEqual(['increment', 'update', 'update']);
    expect(exist.calls.filter((c) => c.endpoint === 'reacquire')).toHaveLength(1);
    // click call, import call, its re-acquire, the import call again: only the first is the click's
    expect((budget as ReturnType<typeof recording>).asked).toEqual([true, false, false, false]);
    expect(exist.total('steps', '2019-01-03')).toBe(2);
  });

  it('when background work has used its share of the hour, the click still goes and the import waits', async () => {
    const { exist, outbox, clock, budget } = await setup({
      budget: (clock) => pacedBudget(createRateBudget({ clock, random: () => 0.5 }), clock),
    });
    const backgroundShare = 300 - PACER_DEFAULTS.clickReserve;
    for (let i = 0; i < backgroundShare; i++) expect(budget!.take({}).ok).toBe(true);
    await Promise.all(rows(100).map((op) => outbox.enqueue(op)));
    await outbox.enqueue(click, { interactive: true });
    const r = await outbox.flush({ interactive: true });
    expect(exist.writeCalls()).toHaveLength(1);
    expect(exist.total('pages_read', D)).toBe(1);
    expect(r.stopped?.reason).toBe('budget');
    expect(outbox.pending()).toHaveLength(100);
    // The hour rolls on: the import drains in the background.
    clock.advance(3_600_000);
    await outbox.flush();
    expect(outbox.pending()).toHaveLength(0);
    expect(exist.writeCalls()).toHaveLength(1 + Math.ceil(100 / 35));
  });

  it('background rows ride free in a click’s call when there is room', async () => {
    const { exist, outbox, budget } = await setup({
      budget: (clock) => recording(createRateBudget({ clock, random: () => 0.5 })),
    });
    await Promise.all(rows(10).map((op) => outbox.enqueue(op)));
    await outbox.enqueue({ kind: 'set', name: 'mood', date: D, value: 7 }, { interactive: true });
    await outbox.flush({ interactive: true });
    expect(exist.writeCalls()).toHaveLength(1);
    expect(exist.writeCalls()[0]!.items[0]).toEqual({ name: 'mood', date: D, value: 7 });
    expect(exist.writeCalls()[0]!.items).toHaveLength(11);
    expect((budget as ReturnType<typeof recording>).asked).toEqual([true]);
  });

  it('keeps the lane across a restart (journal replay)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = fakeClock();
    const exist = new FakeExist();
    const open = () => createOutbox({ dir, api: exist.api(), clock, random: () => 0.5, probeWithZeroIncrement: false });
    const a = await open();
    await Promise.all(rows(40).map((op) => a.enqueue(op)));
    await a.enqueue(click, { interactive: true });
    await a.close();
    const b = await open();
    await b.flush({ interactive: true });
    await b.close();
    expect(exist.writeCalls()[0]!.items).toEqual([{ name: 'pages_read', date: D, value: 1 }]);
  });

  it('keeps the lane in a compaction snapshot (written, parsed, replayed)', () => {
    const a = new OutboxState();
    rows(3).forEach((op, i) => a.apply({ t: 'enq', at: 0, id: `o${i + 1}`, seq: i + 1, op, bg: true }));
    a.apply({ t: 'enq', at: 0, id: 'o4', seq: 4, op: click });
    const snap = recordSchema.parse(JSON.parse(JSON.stringify(a.snapshot(0, 0, 0))));
    const b = new OutboxState();
    b.apply(snap);
    expect(b.plan().map((o) => [o.name, o.interactive])).toEqual([
      ['pages_read', true],
      ['steps', false],
      ['steps', false],
      ['steps', false],
    ]);
  });
});
