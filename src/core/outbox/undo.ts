/**
 * Undo and the snapshot, apart from the outbox's composition (index.ts).
 *
 * Undo never overwrites a day another writer may share, except to restore a synced
 * *set* whose previous total is known: a queued item is removed; a sent or synced
 * increment gets an increment of −delta; an increment whose answer was lost (uncertain)
 * gets −delta too, which waits behind the check (recovery.ts), so the pair nets to zero
 * whatever the check finds.
 */
import { assertNever, err, ok, type Result } from '../../shared/result';
import type { Clock } from '../ports';
import type { JournalRecord, RecordOf } from './records';
import { newItemId } from './ids';
import { keyOf, tidy, type Item, type OutboxState } from './state';
import type { ExpectedValue, FlushReport, OutboxOp, OutboxSnapshot, QueuedItem, UndoOutcome } from './types';

export interface UndoContext {
  state: OutboxState;
  clock: Clock;
  commit(rec: JournalRecord): Promise<void>;
  commitEnq(rec: RecordOf<'enq'>): Promise<Item>;
  afterWrite(): void;
  /** Resolves once the item's `enq` record is durable (undefined when it already is). */
  durable(id: string): Promise<void> | undefined;
}

export async function undoItem(ctx: UndoContext, id: string): Promise<Result<UndoOutcome>> {
  const wait = ctx.durable(id);
  if (wait) await wait.catch(() => undefined);
  const it = ctx.state.items.get(id);
  if (!it) return err('not-found', `No queued or recent write with id ${id}.`);
  if (it.undoneBy !== undefined) return err('already-undone', `Write ${id} was already undone (by ${it.undoneBy}).`);
  const enqueueInverse = async (op: OutboxOp, seq?: number): Promise<QueuedItem> => {
    const rec: RecordOf<'enq'> = {
      t: 'enq',
      at: ctx.clock.now(),
      id: newItemId(ctx.state.nextId),
      seq: seq ?? ctx.state.nextSeq,
      op,
      undoOf: id,
    };
    const inv = await ctx.commitEnq(rec);
    ctx.afterWrite();
    return ctx.state.view(inv);
  };
  try {
    switch (it.state) {
      case 'pending': {
        if (it.uncertain !== undefined && it.op.kind === 'increment') {
          // Its lost send may have counted: take it back with an increment of −delta that
          // waits behind the check (never an overwrite of the day, which other writers share).
          const inverse = await enqueueInverse({
            kind: 'increment',
            name: it.op.name,
            date: it.op.date,
            delta: tidy(-it.op.delta),
          });
          return ok({ action: 'inverse-enqueued', id, inverse });
        }
        await ctx.commit({ t: 'remove', at: ctx.clock.now(), ids: [id], why: 'undo' });
        return ok(
          it.maybeDoubled
            ? {
                action: 'removed',
                id,
                note: 'It was sent once before its answer was lost, so it may already have counted.',
              }
            : { action: 'removed', id },
        );
      }
      case 'failed':
        await ctx.commit({ t: 'remove', at: ctx.clock.now(), ids: [id], why: 'undo' });
        return ok({ action: 'removed', id });
      case 'sending':
      case 'synced': {
        if (it.op.kind === 'increment') {
          const inverse = await enqueueInverse({
            kind: 'increment',
            name: it.op.name,
            date: it.op.date,
            delta: tidy(-it.op.delta),
          });
          return ok({ action: 'inverse-enqueued', id, inverse });
        }
        if (it.state === 'sending') return err('busy', 'This total is being sent right now; undo it in a moment.');
        const prev = it.previousTotal;
        if (prev === undefined)
          return err('unknown-previous', 'The total before this one is not known, so it cannot be restored.');
        if (prev === null) return err('was-empty', 'The day had no value before, and Exist cannot clear a value.');
        const k = keyOf(it.op.name, it.op.date);
        if (ctx.state.live.has(k))
          return err('busy', 'Newer writes for this day are still queued; undo once they are sent.');
        if (ctx.state.totals.get(k)?.value !== it.op.value)
          return err('changed', 'The day has changed since this total was set; set the value you want instead.');
        const inverse = await enqueueInverse({ kind: 'set', name: it.op.name, date: it.op.date, value: prev });
        return ok({ action: 'restored', id, inverse });
      }
      default:
        return assertNever(it.state, 'item state');
    }
  } catch (e) {
    return err('outbox-write-failed', (e as Error).message);
  }
}

/** Everything the interface needs in one read. */
export function snapshotOf(state: OutboxState, stopped: FlushReport['stopped'] | null): OutboxSnapshot {
  const all = [...state.items.values()];
  const bySeq = (s: Item['state']): QueuedItem[] =>
    all
      .filter((i) => i.state === s)
      .sort((a, b) => a.seq - b.seq)
      .map((i) => state.view(i));
  const newest = (xs: Item[]): QueuedItem[] => xs.sort((a, b) => b.updatedAt - a.updatedAt).map((i) => state.view(i));
  const keys = new Set<string>([...state.live.keys(), ...state.totals.keys()]);
  const expected: ExpectedValue[] = [];
  for (const k of keys) {
    const ex = state.expected(k);
    if (ex) expected.push(ex);
  }
  return {
    pending: bySeq('pending'),
    sending: bySeq('sending'),
    failed: bySeq('failed'),
    recent: newest(all.filter((i) => i.state === 'synced')).slice(0, 100),
    maybeDoubled: newest(all.filter((i) => i.maybeDoubled)),
    expected,
    lastSyncAt: state.lastSyncAt,
    stopped,
  };
}
