/**
 * # The outbox: durable, coalescing, and never double-counting where the API allows
 *
 * ## Durability
 * Every write is appended to `<dataDir>/outbox/journal.jsonl` and fdatasync'ed before
 * `enqueue` resolves, so an acknowledged click survives kill -9 and power loss. Before a
 * write call goes out, a `send` record naming its items and the day's *known total* is
 * made durable too, and its outcome is a single `result` record. A process that dies
 * mid-call therefore restarts knowing exactly which items were "in the air".
 *
 * ## No double counting, with several writers (policy: recovery.ts)
 * Exist's increment endpoint is not idempotent; its answers carry `current`, the day's
 * new total, which the outbox keeps as the **known total** (also learnt from updates,
 * reads and `+0` probes). Other installations may write the same attributes and days,
 * and Exist may apply a call after its answer was given up, so a lost increment answer
 * is never repaired by an overwrite: the items wait out a grace period, the day is read
 * back (or probed with `+0`), and the delta is re-sent as an increment only when the day
 * proves it missing; a day that matches neither "applied" nor "missing" is flagged with
 * the reason. The cases are written out in recovery.ts and ARCHITECTURE.md. A lost
 * answer of an `update` (a total) is simply resent: updates are idempotent. A 429 or an
 * error raised before anything was sent re-queues items unchanged.
 *
 * ## Coalescing and batching
 * All pending items of one attribute+day become one object: increments sum (50 clicks →
 * +50 via `increment`); a set supersedes earlier pending sets and increments, and later
 * increments are added on top of it (sent as `update` of the sum). A call carries at
 * most 35 objects (MAX_OBJECTS_PER_CALL), mixing days and attributes, oldest first;
 * increments and totals go to their own endpoints.
 *
 * ## Failures
 * Objects Exist rejects (in `failed` of a 202) move to the failed list with Exist's
 * `error_code` and `error`. An `unauthorised` object triggers one `reacquire(name)` and
 * one more try. A whole-call 400/403/404 fails the call's items with the message. A 401
 * stops sending (reconnect needed) without failing anything. Failed items stay until
 * `retry` or `discard`; nothing is dropped silently.
 */
import { join } from 'node:path';
import type { Result } from '../../shared/result';
import { UserError } from '../errors';
import { ensurePrivateDir, serial } from '../fs';
import type { Clock } from '../ports';
import { createRateBudget, type RateBudget } from '../rate/budget';
import { createFlushScheduler, type AutoFlushOptions } from './flush-scheduler';
import { keepDuplicates, newItemId } from './ids';
import { openJournal, takeLock, type Journal } from './journal';
import { opSchema, parseRecord, type JournalRecord, type RecordOf } from './records';
import { graceMs, lostAnswer } from './recovery';
import { newReport, runFlush, type SenderContext } from './sender';
import { keyOf, OutboxState, type Item } from './state';
import { snapshotOf, undoItem } from './undo';
import type {
  ExpectedValue,
  FlushReport,
  OutboxEvent,
  OutboxOp,
  OutboxSnapshot,
  OutboxWriteApi,
  QueuedItem,
  UndoOutcome,
} from './types';

export type * from './types';
export { OutboxLockedError } from './journal';
export { FLUSH_DEBOUNCE_MS, FLUSH_MAX_WAIT_MS, type AutoFlushOptions } from './flush-scheduler';

export interface OutboxOptions {
  /** The app's data directory; the outbox keeps its files in `<dir>/outbox/`. */
  dir: string;
  api: OutboxWriteApi;
  clock: Clock;
  /** Jitter source for backoff (tests inject one). */
  random?: () => number;
  /** Defaults to a 300/hour budget with a 20-call interactive reserve, persisted in the outbox dir. */
  budget?: RateBudget;
  onEvent?: (e: OutboxEvent) => void;
  /** Synced items are kept this long for undo (default 48 h)… */
  keepSyncedMs?: number;
  /** …and at most this many (default 1000). */
  keepSynced?: number;
  /**
   * Without a read scope, learn a day's total with a +0 increment (batched, 35 a call):
   * before the first real increment of an attribute+day, and to check a lost answer
   * (recovery.ts). Default true: it makes write-only tokens exact for one call per flush
   * that meets new days. Where Exist refuses +0 the outbox falls back to "resend and
   * flag". A +0 on an empty day stores 0.
   */
  probeWithZeroIncrement?: boolean;
  /** How long after a lost increment answer the day is checked (default 60 s; keep it above the client's timeout). */
  graceMs?: number;
  /** Compact once this many records were appended since the last compaction (default 5000). */
  compactEvery?: number;
}

export interface Outbox {
  /** Queues a write; resolves once it is durable on disk (never before). Throws UserError on bad input. */
  enqueue(op: OutboxOp, opts?: { interactive?: boolean }): Promise<QueuedItem>;
  /** Sends what is queued, within the rate budget; `interactive` may use the reserve. Never throws. */
  flush(opts?: { interactive?: boolean }): Promise<FlushReport>;
  pending(): QueuedItem[];
  failed(): QueuedItem[];
  snapshot(): OutboxSnapshot;
  undo(id: string): Promise<Result<UndoOutcome>>;
  /** Re-queues failed items (at the end of the queue); returns the ids re-queued. */
  retry(ids: string[]): Promise<string[]>;
  /** Drops failed items for good; returns the ids dropped. */
  discard(ids: string[]): Promise<string[]>;
  /** The day's total as last confirmed by Exist, if known. */
  knownTotal(name: string, date: string): number | string | undefined;
  /** The value the day will have once the queue is sent (see ExpectedValue). */
  expected(name: string, date: string): ExpectedValue | undefined;
  onChange(listener: (e: OutboxEvent) => void): () => void;
  /**
   * Sends on its own: `debounceMs` after the last write of a burst (so clicks coalesce),
   * but no later than `maxWaitMs` after its first; and again when a pause or backoff ends.
   * Scheduling lives in flush-scheduler.ts (defaults FLUSH_DEBOUNCE_MS / FLUSH_MAX_WAIT_MS).
   */
  startAutoFlush(opts?: AutoFlushOptions): void;
  /** Resolves once no flush is in flight (for callers that drive time themselves). */
  idle(): Promise<void>;
  stop(): void;
  /** The network is back: end any backoff and flush now (if auto-flush is on). */
  notifyOnline(): void;
  /** Messages from opening the journal (torn record ignored, damaged lines kept aside). */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

/** Opens (or creates) the outbox in `<dir>/outbox/`, replays its journal and recovers calls cut off by a crash. */
export async function createOutbox(opts: OutboxOptions): Promise<Outbox> {
  const { api, clock } = opts;
  const outDir = join(opts.dir, 'outbox');
  ensurePrivateDir(outDir);
  const releaseLock = takeLock(outDir);
  let journal: Journal;
  const state = new OutboxState();
  let warnings: string[];
  try {
    const opened = await openJournal(outDir, parseRecord, () => clock.now());
    journal = opened.journal;
    warnings = opened.replay.warnings;
    for (const rec of keepDuplicates(opened.replay.records, warnings)) state.apply(rec);
  } catch (e) {
    releaseLock();
    throw e;
  }
  const budget =
    opts.budget ?? createRateBudget({ clock, dir: outDir, ...(opts.random ? { random: opts.random } : {}) });
  const keepSyncedMs = opts.keepSyncedMs ?? 48 * 3_600_000;
  const keepSynced = opts.keepSynced ?? 1000;
  const compactEvery = opts.compactEvery ?? 5000;

  const listeners = new Set<(e: OutboxEvent) => void>();
  if (opts.onEvent) listeners.add(opts.onEvent);
  const durableWaits = new Map<string, Promise<void>>();
  let stopped: FlushReport['stopped'] | null = null;
  let closed = false;
  let compacting = false;

  const emit = (e: OutboxEvent): void => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener must not break the outbox.
      }
    }
  };

  /** Applies a record in memory, emits events, and appends it; resolves when durable. */
  const commit = (rec: JournalRecord, durable = true): Promise<void> => {
    applyAndEmit(state, rec, durable, listeners.size > 0 ? emit : null);
    const p = journal.append(rec);
    maybeCompact();
    return p;
  };

  const maybeCompact = (): void => {
    if (compacting || journal.broken) return;
    if (journal.recordsSinceCompaction < Math.max(compactEvery, state.items.size)) return;
    compacting = true;
    journal
      .compact(() => state.snapshot(clock.now(), clock.now() - keepSyncedMs, keepSynced))
      .catch((e: Error) =>
        emit({ type: 'warning', message: `Outbox compaction failed (the journal is intact): ${e.message}` }),
      )
      .finally(() => {
        compacting = false;
      });
  };

  const commitEnq = async (rec: RecordOf<'enq'>): Promise<Item> => {
    const p = commit(rec, false);
    durableWaits.set(rec.id, p);
    try {
      await p;
    } catch (e) {
      // Not on disk: take it back out so nothing pretends to be queued.
      state.apply({ t: 'remove', at: clock.now(), ids: [rec.id], why: 'undo' });
      emit({ type: 'removed', id: rec.id });
      throw new UserError('outbox-write-failed', (e as Error).message);
    } finally {
      durableWaits.delete(rec.id);
    }
    const it = state.items.get(rec.id);
    if (it) it.durable = true;
    if (!it) throw new Error(`Queued item ${rec.id} vanished.`);
    return it;
  };

  // ---- crash recovery: calls that were in the air when the process died ----
  const inAir = [...state.items.values()].filter((i) => i.state === 'sending');
  if (inAir.length > 0) {
    await commit(lostAnswer(inAir, state, clock.now()));
    warnings = [...warnings, `Recovered ${inAir.length} write(s) whose answer was lost when the app stopped.`];
  }
  if (journal.recordsSinceCompaction > Math.max(1000, 2 * state.items.size)) {
    compacting = true;
    await journal
      .compact(() => state.snapshot(clock.now(), clock.now() - keepSyncedMs, keepSynced))
      .catch((e: Error) => {
        warnings = [...warnings, `Outbox compaction failed (the journal is intact): ${e.message}`];
      });
    compacting = false;
  }

  // ---- sending (sender.ts; the policy for lost answers is in recovery.ts) ----
  const senderCtx: SenderContext = {
    api,
    clock,
    budget,
    state,
    graceMs: graceMs(opts.graceMs),
    probeZero: opts.probeWithZeroIncrement ?? true,
    readForbidden: new Set<string>(),
    probeRefused: new Set<string>(),
    readAhead: new Map(),
    commit: (rec) => commit(rec),
    emit,
    journalBroken: () => journal.broken,
  };

  // ---- flush scheduling (when: flush-scheduler.ts) ----
  const oneFlushAtATime = serial();

  const flush = (o: { interactive?: boolean } = {}): Promise<FlushReport> =>
    oneFlushAtATime(async () => {
      let report: FlushReport;
      try {
        report = await runFlush(senderCtx, o.interactive ?? false);
      } catch (e) {
        report = newReport();
        report.stopped = { reason: 'journal', message: (e as Error).message };
      }
      report.pending = state.counts.pending;
      stopped = report.stopped ?? null;
      if (report.stopped) emit({ type: 'stopped', ...report.stopped });
      scheduler.observe(report, o.interactive ?? false);
      return report;
    });

  const scheduler = createFlushScheduler({
    clock,
    flush,
    pendingCount: () => state.counts.pending,
    budgetStatus: () => budget.status(),
  });

  // ---- the public object ----
  const outbox: Outbox = {
    async enqueue(op, o = {}) {
      if (closed) throw new UserError('outbox-closed', 'The outbox is closed.');
      const parsed = opSchema.safeParse(op);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new UserError(
          'invalid-write',
          `Invalid write: ${i ? `${i.path.join('.') || 'op'} must be ${i.message}` : 'bad input'}.`,
          i?.path.join('.'),
        );
      }
      const rec: RecordOf<'enq'> = {
        t: 'enq',
        at: clock.now(),
        id: newItemId(state.nextId),
        seq: state.nextSeq,
        op: parsed.data,
        ...(o.interactive ? {} : { bg: true as const }),
      };
      const it = await commitEnq(rec);
      scheduler.afterWrite({ interactive: o.interactive ?? false });
      return state.view(it);
    },

    flush,

    pending: () => sortedBySeq('pending').map((i) => state.view(i)),
    failed: () => sortedBySeq('failed').map((i) => state.view(i)),

    snapshot: () => snapshotOf(state, stopped),

    undo: (id) =>
      undoItem(
        {
          state,
          clock,
          commit: (rec) => commit(rec),
          commitEnq,
          afterWrite: () => scheduler.afterWrite(),
          durable: (i) => durableWaits.get(i),
        },
        id,
      ),

    async retry(ids) {
      const items = ids.map((id) => state.items.get(id)).filter((i): i is Item => i?.state === 'failed');
      if (items.length === 0) return [];
      let seq = state.nextSeq;
      await commit({ t: 'retry', at: clock.now(), items: items.map((i) => ({ id: i.id, seq: seq++ })) });
      scheduler.soon();
      return items.map((i) => i.id);
    },

    async discard(ids) {
      const gone = ids.filter((id) => state.items.get(id)?.state === 'failed');
      if (gone.length === 0) return [];
      await commit({ t: 'remove', at: clock.now(), ids: gone, why: 'discard' });
      return gone;
    },

    knownTotal: (name, date) => state.totals.get(keyOf(name, date))?.value,
    expected: (name, date) => state.expected(keyOf(name, date)),

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    startAutoFlush: (o) => scheduler.start(o),

    idle: () => oneFlushAtATime.idle(),

    stop: () => scheduler.stop(),

    notifyOnline() {
      budget.notifyOnline();
      scheduler.now();
    },

    get warnings() {
      return warnings;
    },

    async close() {
      if (closed) return;
      scheduler.close();
      closed = true;
      await oneFlushAtATime.idle();
      await journal.close();
      releaseLock();
    },
  };

  function sortedBySeq(s: Item['state']): Item[] {
    return [...state.items.values()].filter((i) => i.state === s).sort((a, b) => a.seq - b.seq);
  }

  if (opts.onEvent) emit({ type: 'counts', ...state.counts });
  return outbox;
}

/** Applies a record in memory and, with listeners (`emit`), emits what it changed. */
function applyAndEmit(
  state: OutboxState,
  rec: JournalRecord,
  durable: boolean,
  emit: ((e: OutboxEvent) => void) | null,
): void {
  const before = { ...state.counts };
  const keys = new Set<string>();
  // Keys of items removed by this record must be noted before they disappear.
  if (emit && rec.t === 'remove') for (const id of rec.ids) noteKey(state.items.get(id), keys);
  const changed = state.apply(rec, durable);
  if (!emit) return;
  for (const id of changed) {
    const it = state.items.get(id);
    if (it) {
      emit({ type: 'item', item: state.view(it) });
      noteKey(it, keys);
    } else emit({ type: 'removed', id });
  }
  if (rec.t === 'result') for (const t of rec.totals ?? []) keys.add(keyOf(t.name, t.date));
  const c = state.counts;
  if (c.pending !== before.pending || c.sending !== before.sending || c.failed !== before.failed) {
    emit({ type: 'counts', ...c });
  }
  for (const k of keys) {
    const ex = state.expected(k);
    if (ex) emit({ type: 'expected', expected: ex });
  }
}

function noteKey(it: Item | undefined, keys: Set<string>): void {
  if (it) keys.add(keyOf(it.op.name, it.op.date));
}
