import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/core/outbox/index';
import { FakeExist, fakeClock, tempDir } from './helpers';

const D = '2025-06-01';
let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const inc = (name: string, delta = 1, date = D) => ({ kind: 'increment' as const, name, date, delta });
const set = (name: string, value: number | string, date = D) => ({ kind: 'set' as const, name, date, value });

async function setup(probe = false) {
  const { dir, cleanup } = tempDir();
  const exist = new FakeExist();
  const clock = fakeClock();
  const open = () => createOutbox({ dir, api: exist.api(), clock, random: () => 0.5, probeWithZeroIncrement: probe });
  const outbox = await open();
  cleanups.push(cleanup, () => outbox.close());
  return { exist, outbox, clock, open };
}

describe('undo', () => {
  it('removes a pending operation, durably', async () => {
    const { exist, outbox, open } = await setup();
    const a = await outbox.enqueue(inc('pages_read', 1));
    const b = await outbox.enqueue(inc('pages_read', 1));
    const r = await outbox.undo(b.id);
    expect(r).toEqual({ ok: true, value: { action: 'removed', id: b.id } });
    expect(outbox.pending().map((p) => p.id)).toEqual([a.id]);
    const again = await open(); // reopened without close: the removal is on disk
    cleanups.push(() => again.close());
    expect(again.pending().map((p) => p.id)).toEqual([a.id]);
    await again.flush();
    expect(exist.total('pages_read', D)).toBe(1);
  });

  it('undoes a synced increment with the inverse delta', async () => {
    const { exist, outbox } = await setup();
    const a = await outbox.enqueue(inc('pages_read', 3));
    await outbox.flush();
    const r = await outbox.undo(a.id);
    expect(r.ok && r.value.action).toBe('inverse-enqueued');
    expect(r.ok && r.value.action === 'inverse-enqueued' && r.value.inverse.op).toEqual(inc('pages_read', -3));
    await outbox.flush();
    expect(exist.total('pages_read', D)).toBe(0);
    expect(await outbox.undo(a.id)).toMatchObject({ ok: false, error: { code: 'already-undone' } });
  });

  it('restores the previous total when undoing a synced set', async () => {
    const { exist, outbox } = await setup();
    await outbox.enqueue(set('weight', 80));
    await outbox.flush();
    const s = await outbox.enqueue(set('weight', 82));
    await outbox.flush();
    expect(exist.total('weight', D)).toBe(82);
    const r = await outbox.undo(s.id);
    expect(r.ok && r.value.action).toBe('restored');
    await outbox.flush();
    expect(exist.total('weight', D)).toBe(80);
  });

  it('refuses to undo a synced set whose previous total is unknown, saying why', async () => {
    const { outbox } = await setup();
    await outbox.enqueue(inc('pages_read', 2)); // no known total before: current 2 is learnt
    const s = await outbox.enqueue(set('mood', 4));
    await outbox.flush();
    const r = await outbox.undo(s.id);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/no value before|not known/);
  });

  it('undoes a failed item by removing it, and an unknown id clearly', async () => {
    const { exist, outbox } = await setup();
    exist.reject.set('mood', { error_code: 'validation', error: 'nope' });
    const s = await outbox.enqueue(set('mood', 40));
    await outbox.flush();
    expect(outbox.failed()).toHaveLength(1);
    expect(await outbox.undo(s.id)).toEqual({ ok: true, value: { action: 'removed', id: s.id } });
    expect(outbox.failed()).toHaveLength(0);
    expect(await outbox.undo('o999')).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('undoes an item whose answer was lost with an increment of −delta that waits for the check (never an overwrite)', async () => {
    const { exist, outbox, clock } = await setup(true);
    await outbox.enqueue(inc('pages_read', 5));
    await outbox.flush(); // known total 5
    exist.faults.push({ kind: 'apply-then-timeout' });
    const b = await outbox.enqueue(inc('pages_read', 2));
    await outbox.flush();
    expect(exist.total('pages_read', D)).toBe(7); // applied, answer lost
    const r = await outbox.undo(b.id);
    expect(r.ok && r.value.action).toBe('inverse-enqueued');
    exist.totals.set(FakeExist.key('pages_read', D), 10); // another installation adds 3 meanwhile
    clock.advance(600_000);
    await outbox.flush();
    // The check saw 10 (neither 5 nor 7): flagged; the −2 still goes as an increment, keeping the other +3.
    expect(exist.total('pages_read', D)).toBe(8);
    expect(exist.writeCalls().some((c) => c.endpoint === 'update')).toBe(false);
    expect(outbox.snapshot().maybeDoubled.map((i) => i.flag?.code)).toEqual(['other-writer']);
  });
});
