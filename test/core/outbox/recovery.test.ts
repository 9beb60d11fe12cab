import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, type Outbox } from '../../../src/core/outbox/index';
import { FakeExist, fakeClock, tempDir, type Fault } from './helpers';

const D = '2025-06-01';
let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const inc = (name: string, delta = 1, date = D) => ({ kind: 'increment' as const, name, date, delta });
const set = (name: string, value: number | string, date = D) => ({ kind: 'set' as const, name, date, value });

async function open(
  dir: string,
  exist: FakeExist,
  opts: { withRead?: boolean; compactEvery?: number; probe?: boolean } = {},
) {
  const clock = fakeClock();
  const outbox = await createOutbox({
    dir,
    probeWithZeroIncrement: opts.probe ?? false,
    api: exist.api({ withRead: opts.withRead ?? false }),
    clock,
    random: () => 0.5,
    ...(opts.compactEvery !== undefined ? { compactEvery: opts.compactEvery } : {}),
  });
  return { outbox, clock };
}

async function setup(opts: { withRead?: boolean; probe?: boolean } = {}) {
  const { dir, cleanup } = tempDir();
  const exist = new FakeExist();
  const { outbox, clock } = await open(dir, exist, opts);
  cleanups.push(cleanup, () => outbox.close());
  return { dir, exist, outbox, clock };
}

/** After a failed flush, move past the backoff and flush again. */
async function recover(outbox: Outbox, clock: ReturnType<typeof fakeClock>) {
  clock.advance(10 * 60_000);
  return outbox.flush();
}

describe('lost increment answers (no double counting)', () => {
  for (const fault of [{ kind: 'apply-then-timeout' }, { kind: 'apply-then-500' }] as Fault[]) {
    it(`with a known total, resolves ${fault.kind} by checking the day after the grace period, never by an overwrite`, async () => {
      const { exist, outbox, clock } = await setup({ probe: true });
      await outbox.enqueue(inc('pages_read', 1));
      await outbox.flush(); // +0 probe (base 0), then +1: the known total is 1
      exist.faults.push(fault);
      await outbox.enqueue(inc('pages_read', 2));
      const r = await outbox.flush();
      expect(r.stopped?.reason).toBe(fault.kind === 'apply-then-500' ? 'server' : 'network');
      expect(exist.total('pages_read', D)).toBe(3); // it was applied
      await outbox.enqueue(inc('pages_read', 4)); // a click meanwhile
      clock.advance(30_000);
      const early = await outbox.flush(); // inside the grace period: nothing goes out for that day
      expect(early.stopped?.reason).toBe('checking');
      expect(exist.total('pages_read', D)).toBe(3);
      await recover(outbox, clock);
      expect(exist.total('pages_read', D)).toBe(7);
      // The check is a +0 probe (3 = base 1 + 2: applied), then the click goes as an increment.
      expect(exist.writeCalls().slice(-2)).toEqual([
        { endpoint: 'increment', items: [{ name: 'pages_read', date: D, value: 0 }] },
        { endpoint: 'increment', items: [{ name: 'pages_read', date: D, value: 4 }] },
      ]);
      expect(exist.writeCalls().some((c) => c.endpoint === 'update')).toBe(false);
      expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
    });
  }

  it('with a known total, is also exact when the lost call was never applied', async () => {
    const { exist, outbox, clock } = await setup();
    await outbox.enqueue(inc('pages_read', 1));
    await outbox.flush();
    exist.faults.push({ kind: 'refused' });
    await outbox.enqueue(inc('pages_read', 2));
    await outbox.flush();
    expect(exist.total('pages_read', D)).toBe(1);
    await recover(outbox, clock);
    expect(exist.total('pages_read', D)).toBe(3);
  });

  it('without a known total but with a read scope, reads first and ends exact', async () => {
    const { exist, outbox, clock } = await setup({ withRead: true });
    exist.totals.set(FakeExist.key('pages_read', D), 10); // written earlier, elsewhere
    exist.faults.push({ kind: 'apply-then-timeout' });
    await outbox.enqueue(inc('pages_read', 5));
    await outbox.flush();
    expect(exist.calls.map((c) => c.endpoint)).toEqual(['read', 'increment']);
    expect(exist.total('pages_read', D)).toBe(15);
    await recover(outbox, clock);
    expect(exist.total('pages_read', D)).toBe(15);
    expect(outbox.pending()).toHaveLength(0);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
  });

  it('reads an empty day as 0', async () => {
    const { exist, outbox, clock } = await setup({ withRead: true });
    exist.faults.push({ kind: 'apply-then-500' });
    await outbox.enqueue(inc('pages_read', 5));
    await outbox.flush();
    await recover(outbox, clock);
    expect(exist.total('pages_read', D)).toBe(5);
  });

  it('with neither, resends and flags the item "may have counted twice"', async () => {
    const { exist, outbox, clock } = await setup();
    exist.faults.push({ kind: 'apply-then-timeout' });
    const item = await outbox.enqueue(inc('pages_read', 5));
    await outbox.flush();
    expect(outbox.pending()[0]).toMatchObject({ id: item.id, maybeDoubled: true });
    await recover(outbox, clock);
    expect(exist.total('pages_read', D)).toBe(10); // the documented fallback: counted twice
    const flagged = outbox.snapshot().maybeDoubled;
    expect(flagged.map((i) => [i.id, i.state])).toEqual([[item.id, 'synced']]);
  });

  it('a 500 that may have counted: the flag says Exist did not confirm it, not that an answer was lost', async () => {
    const { exist, outbox, clock } = await setup();
    exist.faults.push({ kind: 'apply-then-500' });
    await outbox.enqueue(inc('pages_read', 5));
    await outbox.flush();
    await recover(outbox, clock);
    const reason = outbox.snapshot().maybeDoubled[0]?.flag?.message ?? '';
    expect(reason).toMatch(/^Exist did not confirm this increment/);
    expect(reason).not.toMatch(/lost|network/i);
  });

  it('with a write-only token and +0 probing, learns the total first and ends exact', async () => {
    const { exist, outbox, clock } = await setup({ probe: true });
    exist.totals.set(FakeExist.key('pages_read', D), 10);
    exist.faults.push({ kind: 'ok' }, { kind: 'apply-then-timeout' });
    await outbox.enqueue(inc('pages_read', 5));
    await outbox.enqueue(inc('pages_read', 1, '2025-05-31'));
    await outbox.flush();
    expect(exist.writeCalls().map((c) => c.items.map((i) => i.value))).toEqual([
      [0, 0],
      [5, 1],
    ]);
    await recover(outbox, clock);
    expect(exist.total('pages_read', D)).toBe(15);
    expect(exist.total('pages_read', '2025-05-31')).toBe(1);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
  });

  it('falls back to "resend and flag" where Exist refuses a +0 probe', async () => {
    const { exist, outbox, clock } = await setup({ probe: true });
    exist.reject.set('pages_read', { error_code: 'validation', error: 'zero' });
    await outbox.enqueue(inc('pages_read', 5));
    await outbox.flush(); // probe refused; the real write is refused too
    exist.reject.clear();
    await outbox.retry(outbox.failed().map((f) => f.id));
    exist.faults.push({ kind: 'apply-then-timeout' });
    await outbox.flush();
    await recover(outbox, clock);
    expect(exist.writeCalls().map((c) => c.items[0]!.value)).toEqual([0, 5, 5, 5]);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(1);
  });

  it('treats an answer that leaves an object out as lost, and stops instead of looping', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const real = exist.api();
    let omit = false;
    const clock = fakeClock();
    const outbox = await createOutbox({
      dir,
      clock,
      probeWithZeroIncrement: true,
      api: {
        ...real,
        increment: async (items) => {
          const r = await real.increment(items);
          return omit ? { ...r, success: [] } : r;
        },
      },
    });
    cleanups.push(() => outbox.close());
    await outbox.enqueue(inc('pages_read', 1));
    await outbox.flush();
    omit = true;
    await outbox.enqueue(inc('pages_read', 2));
    const r = await outbox.flush();
    expect(r.stopped?.reason).toBe('server');
    expect(exist.writeCalls().map((c) => c.items[0]!.value)).toEqual([0, 1, 2]); // probe, +1, +2 (unanswered)
    omit = false;
    await recover(outbox, clock);
    expect(exist.total('pages_read', D)).toBe(3); // the check (+0 → 3) proved +2 applied: not resent
    expect(exist.writeCalls().map((c) => c.items[0]!.value)).toEqual([0, 1, 2, 0]);
  });

  it('resends a set whose answer was lost (idempotent)', async () => {
    const { exist, outbox, clock } = await setup();
    exist.faults.push({ kind: 'apply-then-timeout' });
    await outbox.enqueue(set('mood', 6));
    await outbox.flush();
    await recover(outbox, clock);
    expect(exist.writeCalls().map((c) => c.endpoint)).toEqual(['update', 'update']);
    expect(exist.total('mood', D)).toBe(6);
    expect(outbox.snapshot().maybeDoubled).toHaveLength(0);
  });
});

describe('journal replay after a crash', () => {
  it('replays pending, failed and synced state when reopened without close', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const a = await open(dir, exist);
    exist.reject.set('mood', { error_code: 'validation', error: 'bad mood' });
    await a.outbox.enqueue(inc('pages_read', 3));
    await a.outbox.enqueue(set('mood', 5));
    await a.outbox.flush();
    const p1 = await a.outbox.enqueue(inc('pages_read', 2));
    const p2 = await a.outbox.enqueue(set('weight', 80.5, '2025-05-31'));
    // "kill": no close; the journal must already hold everything acknowledged.
    const b = await open(dir, exist);
    cleanups.push(() => b.outbox.close());
    expect(b.outbox.pending().map((p) => [p.id, p.op])).toEqual([
      [p1.id, p1.op],
      [p2.id, p2.op],
    ]);
    expect(b.outbox.failed().map((f) => f.error?.message)).toEqual(['bad mood']);
    expect(b.outbox.knownTotal('pages_read', D)).toBe(3);
    const next = await b.outbox.enqueue(inc('pages_read'));
    expect([p1.id, p2.id]).not.toContain(next.id);
    await b.outbox.flush();
    expect(exist.total('pages_read', D)).toBe(6);
    expect(exist.total('weight', '2025-05-31')).toBe(80.5);
  });

  it('ignores a torn last line and keeps every complete record', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const a = await open(dir, exist);
    const x = await a.outbox.enqueue(inc('pages_read', 3));
    const file = join(dir, 'outbox', 'journal.jsonl');
    appendFileSync(file, '{"t":"enq","at":1,"id":"o99","seq":99,"op":{"kind":"incr');
    const b = await open(dir, exist);
    cleanups.push(() => b.outbox.close());
    expect(b.outbox.pending().map((p) => p.id)).toEqual([x.id]);
    expect(b.outbox.warnings.join(' ')).toMatch(/incomplete/);
    // The torn bytes are gone, so new records start on a clean line.
    const y = await b.outbox.enqueue(inc('pages_read', 1));
    const c = await open(dir, exist);
    cleanups.push(() => c.outbox.close());
    expect(c.outbox.pending().map((p) => p.id)).toEqual([x.id, y.id]);
    expect(c.outbox.warnings).toEqual([]);
  });

  it('keeps a .corrupt copy of a damaged journal and every readable record', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const a = await open(dir, exist);
    const x = await a.outbox.enqueue(inc('pages_read', 3));
    const file = join(dir, 'outbox', 'journal.jsonl');
    appendFileSync(file, 'garbage that is not json\n{"t":"nonsense"}\n');
    const y = await a.outbox.enqueue(inc('pages_read', 4));
    const b = await open(dir, exist);
    cleanups.push(() => b.outbox.close());
    expect(b.outbox.pending().map((p) => p.id)).toEqual([x.id, y.id]);
    const copies = readdirSync(join(dir, 'outbox')).filter((f) => f.includes('.corrupt'));
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(dir, 'outbox', copies[0]!), 'utf8')).toContain('garbage that is not json');
  });

  it('recovers a call cut off mid-send: exact with a known total', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const a = await open(dir, exist, { probe: true });
    await a.outbox.enqueue(inc('pages_read', 1));
    await a.outbox.flush();
    exist.faults.push({ kind: 'apply-then-hang' });
    await a.outbox.enqueue(inc('pages_read', 2));
    void a.outbox.flush(); // never answers
    await vi.waitFor(() => expect(exist.total('pages_read', D)).toBe(3)); // the hung call has applied
    const b = await open(dir, exist, { probe: true }); // the process "died" while waiting
    cleanups.push(() => b.outbox.close());
    expect(b.outbox.warnings.join(' ')).toMatch(/Recovered 1/);
    expect((await b.outbox.flush()).stopped?.reason).toBe('checking');
    b.clock.advance(60_000);
    await b.outbox.flush();
    expect(exist.total('pages_read', D)).toBe(3);
    expect(exist.writeCalls().at(-1)).toEqual({
      endpoint: 'increment',
      items: [{ name: 'pages_read', date: D, value: 0 }],
    });
    expect(b.outbox.pending()).toHaveLength(0);
  });

  it('recovers a call cut off mid-send: exact without a known total when probing', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    exist.totals.set(FakeExist.key('pages_read', D), 40);
    const a = await open(dir, exist, { probe: true });
    exist.faults.push({ kind: 'ok' }, { kind: 'apply-then-hang' });
    for (let i = 0; i < 10; i++) await a.outbox.enqueue(inc('pages_read', 1));
    void a.outbox.flush();
    await vi.waitFor(() => expect(exist.total('pages_read', D)).toBe(50)); // the hung call has applied
    const b = await open(dir, exist, { probe: true });
    cleanups.push(() => b.outbox.close());
    b.clock.advance(60_000);
    await b.outbox.flush();
    expect(exist.total('pages_read', D)).toBe(50);
    expect(b.outbox.pending()).toHaveLength(0);
    expect(b.outbox.snapshot().maybeDoubled).toHaveLength(0);
  });

  it('compacts the journal and still replays the same state, fast with 10,000 pending', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const a = await open(dir, exist, { compactEvery: 3000 });
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i += 100) {
      // 100 in flight at a time: they share fsyncs (group commit), so the test stays quick.
      const batch = await Promise.all(
        Array.from({ length: 100 }, (_, j) => a.outbox.enqueue(inc(`a_${(i + j) % 50}`, 1, D))),
      );
      ids.push(...batch.map((b) => b.id));
    }
    await a.outbox.close();
    const lines = readFileSync(join(dir, 'outbox', 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBeLessThan(10_000); // compaction happened
    expect(JSON.parse(lines[0]!).t).toBe('snap');
    const b = await open(dir, exist);
    cleanups.push(() => b.outbox.close());
    expect(b.outbox.pending().map((p) => p.id)).toEqual(ids);
    await b.outbox.flush();
    expect(exist.writeCalls()).toHaveLength(2); // 50 objects: 35 + 15
    expect(exist.total('a_7', D)).toBe(200);
  }, 60_000);

  it('refuses a second live process on the same outbox', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const exist = new FakeExist();
    const a = await open(dir, exist);
    cleanups.push(() => a.outbox.close());
    // Pretend the lock belongs to another live process (our parent).
    writeFileSync(join(dir, 'outbox', 'lock'), String(process.ppid));
    await expect(open(dir, exist)).rejects.toThrow(/Another Exist Tray process/);
  });
});
