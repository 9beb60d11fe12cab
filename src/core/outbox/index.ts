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
 * ## No double counting (policy)
 * Exist's increment endpoint is not idempotent; its answers carry `current`, the day's
 * new total. The outbox keeps that as the **known total** of the attribute and day
 * (also learnt from successful updates and from reads). The outbox assumes it is the
 * only writer of the attributes it owns (Exist lets only the owning client write them).
 *
 * 1. **Known total exists** when an increment's answer is lost (timeout, network error
 *    after sending, 5xx, an answer that does not mention the object, or a crash while
 *    the call was in the air): the delta is *not* resent. The items go back to the queue
 *    carrying the known total from before the call as their base, and the next send is
 *    an idempotent `update` of *base + every pending delta* (later clicks included).
 *    Whether or not the lost call was applied, the day ends exactly right.
 * 2. **No known total, but a read scope** (`readDayValue` available): before the first
 *    increment of an attribute and day, the outbox reads the day's value (null = 0) and
 *    keeps it as the known total, so case 1 covers every later loss. (Reading only
 *    *after* a loss cannot work: without the value from before, a read cannot tell
 *    whether the delta was applied.) Increments, not updates, remain the normal path so
 *    each answer refreshes the known total.
 *    Optional extension (`probeWithZeroIncrement`): with a write-only token, a `+0`
 *    increment (batched, 35 days/attributes a call) changes nothing and answers
 *    `current`, giving a known total the same way; a lost +0 answer is harmless.
 * 3. **Neither** (write-only token): the delta is resent, and the items are flagged
 *    `maybeDoubled` ("may have counted twice"), kept visible in `snapshot().maybeDoubled`
 *    even after they sync, so the interface can tell the user to check the day.
 *
 * A lost answer of an `update` (a total) is simply resent: updates are idempotent. A 429
 * or an error raised before anything was sent (`maybeApplied` false) re-queues items
 * unchanged. Cases 1 and 2 never double-count; case 3 can only double-count when the
 * network truly lost an answer, and says so.
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
import { MAX_OBJECTS_PER_CALL } from '../../shared/domain';
import { assertNever, err, ok, type Result } from '../../shared/result';
import { UserError } from '../errors';
import { isExistError } from '../exist/errors';
import { ensurePrivateDir } from '../fs';
import type { Clock } from '../ports';
import { createRateBudget, type RateBudget } from '../rate/budget';
import { createFlushScheduler, type AutoFlushOptions } from './flush-scheduler';
import { keepDuplicates, newItemId } from './ids';
import { openJournal, takeLock, type Journal } from './journal';
import { opSchema, parseRecord, type JournalRecord, type RecordOf } from './records';
import { keyOf, OutboxState, tidy, type Item, type PlannedObject } from './state';
import type {
  ExpectedValue,
  FlushReport,
  OutboxEvent,
  OutboxOp,
  OutboxSnapshot,
  OutboxWriteApi,
  QueuedItem,
  StopReason,
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
   * Without a read scope, learn an unknown day's total with a +0 increment before the
   * first real one (default false: it costs a call per new attribute+day, and Exist does
   * not document +0). Where Exist refuses +0 the outbox falls back to "resend and flag".
   * A +0 on an empty day stores 0.
   */
  probeWithZeroIncrement?: boolean;
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
  /** Names whose reads were refused (no read scope) this session. */
  const readForbidden = new Set<string>();
  /** Names for which a +0 increment did not give a total this session. */
  const probeRefused = new Set<string>();
  const probeZero = opts.probeWithZeroIncrement ?? false;
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
    const before = { ...state.counts };
    const keys = new Set<string>();
    if (listeners.size > 0) {
      // Keys of items removed by this record must be noted before they disappear.
      if (rec.t === 'remove') for (const id of rec.ids) noteKey(state.items.get(id), keys);
    }
    const changed = state.apply(rec, durable);
    if (listeners.size > 0) {
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
    await commit(lostAnswer(inAir));
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

  // ---- sending ----

  const newReport = (): FlushReport => ({ calls: 0, objectsSent: 0, synced: 0, failed: 0, pending: 0 });

  const runFlush = async (interactive: boolean): Promise<FlushReport> => {
    const report = newReport();
    const stop = (reason: StopReason, message: string, retryAt?: number): FlushReport => {
      report.stopped = retryAt === undefined ? { reason, message } : { reason, message, retryAt };
      return report;
    };
    const countOutcome = (rec: RecordOf<'result'>): void => {
      report.synced += rec.synced?.length ?? 0;
      report.failed += (rec.failed ?? []).reduce((n, f) => n + f.ids.length, 0);
    };
    let total = 0;
    let sent = 0;
    for (;;) {
      if (journal.broken) return stop('journal', journal.broken.message);
      const planned = state.plan();
      // Local outcomes first: increments on a text total cannot be sent; +0 needs no call.
      const local: RecordOf<'result'> = { t: 'result', at: clock.now(), synced: [], failed: [] };
      for (const o of planned) {
        if (o.invalid.length > 0) {
          local.failed!.push({ ids: o.invalid, code: 'invalid', message: 'Cannot add a number to a text value.' });
        }
        if (o.endpoint === 'increment' && o.value === 0 && o.ids.length > 0) local.synced!.push(...o.ids);
      }
      if (local.failed!.length > 0 || local.synced!.length > 0) {
        countOutcome(local);
        await commit(local);
        continue;
      }
      const sendable = planned.filter((o) => o.ids.length > 0);
      if (sendable.length === 0) break;
      if (total === 0) total = sendable.length;
      else total = Math.max(total, sent + sendable.length);
      const endpoint = sendable[0]!.endpoint;
      const chunk = sendable.filter((o) => o.endpoint === endpoint).slice(0, MAX_OBJECTS_PER_CALL);

      // Case 2 of the policy: learn the day's total before its first increment.
      if (endpoint === 'increment' && api.readDayValue) {
        for (const o of chunk) {
          if (o.base !== null || readForbidden.has(o.name)) continue;
          if (api.canRead?.(o.name) === false) {
            readForbidden.add(o.name);
            continue;
          }
          const slot = budget.take({ interactive });
          if (!slot.ok) return stop(slot.reason, blockMessage(slot.reason), slot.retryAt);
          report.calls++;
          let v: number | string | null;
          try {
            v = await api.readDayValue(o.name, o.date);
            budget.onSuccess();
          } catch (e) {
            if (isExistError(e) && (e.kind === 'forbidden' || e.kind === 'not-found' || e.kind === 'bad-request')) {
              // No read scope (or no readable value): fall back to case 3 for this attribute.
              readForbidden.add(o.name);
              continue;
            }
            return stopForError(e, stop);
          }
          const base = v === null ? 0 : typeof v === 'number' && Number.isFinite(v) ? v : null;
          if (base !== null) {
            o.base = base;
            await commit({ t: 'result', at: clock.now(), totals: [{ name: o.name, date: o.date, value: base }] });
          }
        }
      }

      // Case 2 without a read scope: a +0 increment changes nothing and answers `current`.
      const unknown =
        endpoint === 'increment' && probeZero ? chunk.filter((o) => o.base === null && !probeRefused.has(o.name)) : [];
      if (unknown.length > 0) {
        const probeSlot = budget.take({ interactive });
        if (!probeSlot.ok) return stop(probeSlot.reason, blockMessage(probeSlot.reason), probeSlot.retryAt);
        report.calls++;
        let ans;
        try {
          ans = await api.increment(unknown.map((o) => ({ name: o.name, value: 0, date: o.date })));
          budget.onSuccess();
        } catch (e) {
          // Nothing to undo: a +0 counted twice is still +0.
          if (!isWholeCallRejection(e)) return stopForError(e, stop);
          for (const o of unknown) probeRefused.add(o.name);
          ans = { success: [], failed: [] };
        }
        const learnt: NonNullable<RecordOf<'result'>['totals']> = [];
        const answered = new Set<string>();
        for (const a of Array.isArray(ans?.success) ? ans.success : []) {
          const o = unknown.find((u) => u.name === a?.name && u.date === a?.date);
          if (!o || typeof a.current !== 'number' || !Number.isFinite(a.current)) continue;
          o.base = a.current;
          answered.add(o.key);
          learnt.push({ name: o.name, date: o.date, value: a.current });
        }
        // Refused or no `current`: no probing for that attribute this session. An ownership
        // failure is left to the real write, which re-acquires; the next probe may then work.
        const notOwned = new Set(
          (Array.isArray(ans?.failed) ? ans.failed : [])
            .filter((f) => f?.error_code === 'unauthorised')
            .map((f) => f.name),
        );
        for (const o of unknown) if (!answered.has(o.key) && !notOwned.has(o.name)) probeRefused.add(o.name);
        if (learnt.length > 0) await commit({ t: 'result', at: clock.now(), totals: learnt });
      }

      const slot = budget.take({ interactive });
      if (!slot.ok) return stop(slot.reason, blockMessage(slot.reason), slot.retryAt);
      await commit({ t: 'send', at: clock.now(), endpoint, objs: chunk.map((o) => ({ ids: o.ids, base: o.base })) });
      report.calls++;
      report.objectsSent += chunk.length;
      let res;
      try {
        res =
          endpoint === 'increment'
            ? await api.increment(chunk.map((o) => ({ name: o.name, value: o.value as number, date: o.date })))
            : await api.update(chunk.map((o) => ({ name: o.name, value: o.value, date: o.date })));
      } catch (e) {
        const rec = callFailure(e, chunk, endpoint);
        countOutcome(rec);
        await commit(rec);
        if (!isWholeCallRejection(e)) return stopForError(e, stop);
        sent += chunk.length;
        emit({ type: 'progress', sent, total });
        continue;
      }
      budget.onSuccess();
      const { rec, unauthorised, unanswered } = callResult(res, chunk, endpoint);
      countOutcome(rec);
      await commit(rec);
      if (unanswered > 0) {
        // Resending at once could loop on a server that keeps leaving objects out.
        budget.onTransientFailure();
        const retryAt = budget.status().backoffUntil || undefined;
        return stop('network', `Exist's answer did not mention ${unanswered} value(s); will try again.`, retryAt);
      }
      if (unauthorised.length > 0) {
        const again = await reacquireOnce(unauthorised, interactive, report);
        countOutcome(again);
        await commit(again);
      }
      sent += chunk.length;
      emit({ type: 'progress', sent, total });
      if ((rec.synced?.length ?? 0) > 0) emit({ type: 'synced', at: clock.now() });
    }
    return report;
  };

  /** One re-acquire per name, then the items go back to the queue once (or fail). */
  const reacquireOnce = async (
    objs: { o: PlannedObject; message: string }[],
    interactive: boolean,
    report: FlushReport,
  ): Promise<RecordOf<'result'>> => {
    const rec: RecordOf<'result'> = { t: 'result', at: clock.now(), failed: [], pend: [] };
    const byName = new Map<string, boolean | null>();
    for (const { o, message } of objs) {
      if (!byName.has(o.name)) {
        const slot = budget.take({ interactive });
        if (!slot.ok) byName.set(o.name, null);
        else {
          report.calls++;
          try {
            byName.set(o.name, await api.reacquire!(o.name));
          } catch {
            byName.set(o.name, null);
          }
        }
      }
      const got = byName.get(o.name);
      if (got === true) rec.pend!.push({ ids: o.ids, reacquired: true });
      else if (got === false)
        rec.failed!.push({
          ids: o.ids,
          code: 'unauthorised',
          message: `${message} (re-acquiring the attribute did not help)`,
        });
      // null: could not ask now; the items stay queued and the next flush asks again.
    }
    rec.at = clock.now();
    return rec;
  };

  const callResult = (
    res: Awaited<ReturnType<OutboxWriteApi['update']>>,
    chunk: PlannedObject[],
    endpoint: 'increment' | 'update',
  ): { rec: RecordOf<'result'>; unauthorised: { o: PlannedObject; message: string }[]; unanswered: number } => {
    const byKey = new Map(chunk.map((o) => [o.key, o]));
    const seen = new Set<string>();
    const rec: RecordOf<'result'> = { t: 'result', at: clock.now(), synced: [], totals: [], failed: [], pend: [] };
    const unauthorised: { o: PlannedObject; message: string }[] = [];
    for (const s of Array.isArray(res?.success) ? res.success : []) {
      const o = byKey.get(keyOf(String(s?.name), String(s?.date)));
      if (!o || seen.has(o.key)) continue;
      seen.add(o.key);
      rec.synced!.push(...o.ids);
      const value =
        endpoint === 'update'
          ? o.value
          : typeof s.current === 'number' && Number.isFinite(s.current)
            ? s.current
            : null;
      rec.totals!.push({ name: o.name, date: o.date, value });
    }
    for (const f of Array.isArray(res?.failed) ? res.failed : []) {
      const o = byKey.get(keyOf(String(f?.name), String(f?.date)));
      if (!o || seen.has(o.key)) continue;
      seen.add(o.key);
      const code = typeof f.error_code === 'string' ? f.error_code : 'unknown';
      const message = typeof f.error === 'string' && f.error !== '' ? f.error : `Exist rejected the value (${code}).`;
      const items = o.ids.map((id) => state.items.get(id)).filter((i): i is Item => i !== undefined);
      if (code === 'unauthorised' && api.reacquire && !items.every((i) => i.reacquired)) {
        // Exist says it did not apply it: safe to queue again unchanged, after re-acquiring.
        rec.pend!.push({ ids: o.ids });
        unauthorised.push({ o, message });
      } else rec.failed!.push({ ids: o.ids, code, message });
    }
    const missing = chunk.filter((o) => !seen.has(o.key));
    if (missing.length > 0) {
      // The answer does not say what happened to these: treat as a lost answer.
      const lost = lostAnswer(missing.flatMap((o) => o.ids.map((id) => state.items.get(id)!).filter(Boolean)));
      rec.pend!.push(...(lost.pend ?? []));
    }
    return { rec, unauthorised, unanswered: missing.length };
  };

  const callFailure = (e: unknown, chunk: PlannedObject[], endpoint: 'increment' | 'update'): RecordOf<'result'> => {
    const ids = chunk.flatMap((o) => o.ids);
    const at = clock.now();
    if (isWholeCallRejection(e)) {
      const ex = e as { kind: string; message: string };
      return { t: 'result', at, failed: [{ ids, code: ex.kind, message: ex.message }] };
    }
    if (mayHaveApplied(e)) {
      return endpoint === 'update' ? { t: 'result', at, pend: [{ ids }] } : lostAnswer(itemsOf(ids));
    }
    return { t: 'result', at, pend: [{ ids }] };
  };

  const itemsOf = (ids: string[]): Item[] =>
    ids.map((id) => state.items.get(id)).filter((i): i is Item => i !== undefined);

  /** Lost answers per policy: updates resend; increments recover from the known total, or are flagged. */
  function lostAnswer(items: Item[]): RecordOf<'result'> {
    const pend: NonNullable<RecordOf<'result'>['pend']> = [];
    const groups = new Map<string, Item[]>();
    for (const it of items) {
      const k = keyOf(it.op.name, it.op.date);
      const g = groups.get(k);
      if (g) g.push(it);
      else groups.set(k, [it]);
    }
    for (const g of groups.values()) {
      const ids = g.map((i) => i.id);
      const sent = g[0]!.sent;
      const recovering = g.some((i) => i.recoverBase !== undefined);
      if (!sent || sent.endpoint === 'update' || recovering) pend.push({ ids });
      else if (typeof sent.base === 'number') pend.push({ ids, recoverBase: sent.base });
      else pend.push({ ids, maybeDoubled: true });
    }
    return { t: 'result', at: clock.now(), pend };
  }

  const stopForError = (
    e: unknown,
    stop: (reason: StopReason, message: string, retryAt?: number) => FlushReport,
  ): FlushReport => {
    const message = e instanceof Error ? e.message : String(e);
    if (isExistError(e)) {
      switch (e.kind) {
        case 'rate-limited':
          budget.onRateLimited(e.details.retryAfterMs);
          return stop('rate-limited', blockMessage('rate-limited'), budget.status().pausedUntil || undefined);
        case 'unauthorised':
        case 'oauth':
          return stop('auth', `Exist refused the token; reconnect to send the queued writes. (${message})`);
        case 'network':
        case 'timeout':
        case 'server':
        case 'bad-response':
        case 'bad-request':
        case 'forbidden':
        case 'not-found':
          break;
        default:
          assertNever(e.kind, 'Exist error kind');
      }
    }
    budget.onTransientFailure();
    return stop(
      'network',
      `Could not reach Exist; will retry. (${message})`,
      budget.status().backoffUntil || undefined,
    );
  };

  // ---- flush scheduling (when: flush-scheduler.ts) ----
  let chain: Promise<unknown> = Promise.resolve();

  const flush = (o: { interactive?: boolean } = {}): Promise<FlushReport> => {
    const p = chain.then(async () => {
      let report: FlushReport;
      try {
        report = await runFlush(o.interactive ?? false);
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
    chain = p.catch(() => undefined);
    return p;
  };

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
      };
      const it = await commitEnq(rec);
      scheduler.afterWrite({ interactive: o.interactive ?? false });
      return state.view(it);
    },

    flush,

    pending: () => sortedBySeq('pending').map((i) => state.view(i)),
    failed: () => sortedBySeq('failed').map((i) => state.view(i)),

    snapshot() {
      const all = [...state.items.values()];
      const bySeq = (s: Item['state']): QueuedItem[] =>
        all
          .filter((i) => i.state === s)
          .sort((a, b) => a.seq - b.seq)
          .map((i) => state.view(i));
      const newest = (xs: Item[]): QueuedItem[] =>
        xs.sort((a, b) => b.updatedAt - a.updatedAt).map((i) => state.view(i));
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
    },

    async undo(id) {
      const wait = durableWaits.get(id);
      if (wait) await wait.catch(() => undefined);
      const it = state.items.get(id);
      if (!it) return err('not-found', `No queued or recent write with id ${id}.`);
      if (it.undoneBy !== undefined)
        return err('already-undone', `Write ${id} was already undone (by ${it.undoneBy}).`);
      const enqueueInverse = async (op: OutboxOp, seq?: number): Promise<QueuedItem> => {
        const rec: RecordOf<'enq'> = {
          t: 'enq',
          at: clock.now(),
          id: newItemId(state.nextId),
          seq: seq ?? state.nextSeq,
          op,
          undoOf: id,
        };
        const inv = await commitEnq(rec);
        scheduler.afterWrite();
        return state.view(inv);
      };
      try {
        switch (it.state) {
          case 'pending': {
            if (it.recoverBase !== undefined) {
              const others = (state.live.get(keyOf(it.op.name, it.op.date)) ?? []).filter(
                (i) => i !== it && i.recoverBase !== undefined,
              );
              if (others.length === 0) {
                // Its lost send may have counted: pin the day back to the known total, in its place.
                await enqueueInverse(
                  { kind: 'set', name: it.op.name, date: it.op.date, value: it.recoverBase },
                  it.seq,
                );
              }
            }
            await commit({ t: 'remove', at: clock.now(), ids: [id], why: 'undo' });
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
            await commit({ t: 'remove', at: clock.now(), ids: [id], why: 'undo' });
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
            if (state.live.has(k))
              return err('busy', 'Newer writes for this day are still queued; undo once they are sent.');
            if (state.totals.get(k)?.value !== it.op.value)
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
    },

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

    idle() {
      return chain.then(() => undefined);
    },

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
      await chain;
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

function noteKey(it: Item | undefined, keys: Set<string>): void {
  if (it) keys.add(keyOf(it.op.name, it.op.date));
}

/** The server rejected the whole call without applying it: fail its items with the message. */
function isWholeCallRejection(e: unknown): boolean {
  return isExistError(e) && (e.kind === 'bad-request' || e.kind === 'forbidden' || e.kind === 'not-found');
}

/**
 * Whether a failed call may have been applied. The client knows best (a 401 answered
 * before a failed refresh was not applied, though the refresh timed out); anything
 * that is not an Exist error is treated as possibly applied.
 */
function mayHaveApplied(e: unknown): boolean {
  if (!isExistError(e)) return true;
  switch (e.kind) {
    case 'timeout':
    case 'server':
    case 'bad-response':
    case 'network':
      return e.maybeApplied;
    case 'rate-limited':
    case 'unauthorised':
    case 'forbidden':
    case 'bad-request':
    case 'not-found':
    case 'oauth':
      return false;
    default:
      return assertNever(e.kind, 'Exist error kind');
  }
}

function blockMessage(reason: 'rate-limited' | 'budget' | 'backoff'): string {
  switch (reason) {
    case 'rate-limited':
      return 'Exist asked us to slow down (rate limit); the writes will go when it allows.';
    case 'budget':
      return 'Holding writes back to stay within Exist’s 300 calls an hour.';
    case 'backoff':
      return 'Waiting before trying Exist again after a network or server error.';
    default:
      return assertNever(reason, 'block reason');
  }
}
