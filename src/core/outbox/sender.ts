/**
 * # The sender: one flush, from the queue to Exist and back to the journal
 *
 * Each round of the loop, in this order:
 * 1. **Check** uncertain days whose grace period is over (recovery.ts, observe.ts).
 * 2. **Plan**: one object per attribute+day (state.ts), local outcomes first (an increment
 *    on a text total fails; a net +0 needs no call). Interactive objects (clicks) come
 *    before background ones (jobs, imports): a call holding only background objects takes
 *    its budget slot as background, even in a click's flush (the background lane).
 * 3. **Learn the base** of increment objects with no known total (observe.ts), so a lost
 *    answer can later be judged.
 * 4. **Send** at most 35 objects (increments and totals to their own endpoints): a `send`
 *    record is made durable first, then the call, then one `result` record matched to the
 *    objects by their echoed (name, date) (answers.ts) — never by position.
 *
 * A budget block, 429, 401 or network error stops the flush with a reason and the time to
 * come back; a whole-call 400/403/404 fails that call's items and goes on. When only
 * uncertain days are left the flush stops with `checking` at the end of their grace.
 */
import { MAX_OBJECTS_PER_CALL } from '../../shared/domain';
import { assertNever } from '../../shared/result';
import { isExistError } from '../exist/errors';
import type { Clock } from '../ports';
import type { RateBudget } from '../rate/budget';
import { clockTime } from '../sync-state';
import { matchAnswer } from './answers';
import { isWholeCallRejection, observeTotals, type Halt, type ObserveContext } from './observe';
import type { JournalRecord, RecordOf } from './records';
import { lostAnswer, repairFlag, resolve, unverifiable } from './recovery';
import { keyOf, tidy, type Item, type OutboxState, type PlannedObject } from './state';
import type { FlushReport, OutboxEvent, OutboxWriteApi, ReacquireRefusal, StopReason } from './types';

export interface SenderContext extends ObserveContext {
  api: OutboxWriteApi;
  clock: Clock;
  budget: RateBudget;
  state: OutboxState;
  graceMs: number;
  /** Day totals read ahead (see READ_AHEAD_MAX_AGE_MS), by keyOf(name, date); in memory only. */
  readAhead: Map<string, { value: number | string | null; at: number }>;
  commit(rec: JournalRecord): Promise<void>;
  emit(e: OutboxEvent): void;
  journalBroken(): Error | null;
}

type Result = RecordOf<'result'>;
type Stop = (reason: StopReason, message: string, retryAt?: number) => FlushReport;

export const newReport = (): FlushReport => ({ calls: 0, objectsSent: 0, synced: 0, failed: 0, pending: 0 });

/** One flush: sends what it can and reports why it stopped, if it did. */
export async function runFlush(ctx: SenderContext, interactive: boolean): Promise<FlushReport> {
  const report = newReport();
  const stop: Stop = (reason, message, retryAt) => {
    report.stopped = retryAt === undefined ? { reason, message } : { reason, message, retryAt };
    return report;
  };
  const progress = { sent: 0, total: 0 };
  for (;;) {
    const broken = ctx.journalBroken();
    if (broken) return stop('journal', broken.message);
    const halted = await checkDue(ctx, interactive, report);
    if (halted) return haltToStop(ctx, halted, stop);
    if (await settleLocally(ctx, report)) continue;
    const sendable = ctx.state.plan().filter((o) => o.ids.length > 0);
    if (sendable.length === 0) break;
    progress.total = Math.max(progress.total, progress.sent + sendable.length);
    const endpoint = sendable[0]!.endpoint;
    const chunk = sendable.filter((o) => o.endpoint === endpoint).slice(0, MAX_OBJECTS_PER_CALL);
    // The lane of this call and of every call it leads to (reads, a re-acquire): background rows
    // may ride in a click's call, but a call of background rows only never spends the click
    // reserve (the background lane, rate/pacer.ts).
    const lane = interactive && chunk.some((o) => o.interactive);
    if (endpoint === 'increment') {
      const h = await learnBases(ctx, chunk, lane, report);
      if (h) return haltToStop(ctx, h, stop);
    }
    const outcome = await sendChunk(ctx, chunk, endpoint, lane, report);
    if (outcome) return outcome(stop);
    progress.sent += chunk.length;
    ctx.emit({ type: 'progress', sent: progress.sent, total: progress.total });
  }
  return checkingStop(ctx, stop) ?? report;
}

/** Step 2: outcomes that need no call. Returns true when it committed something. */
async function settleLocally(ctx: SenderContext, report: FlushReport): Promise<boolean> {
  const local: Result = { t: 'result', at: ctx.clock.now(), synced: [], failed: [] };
  for (const o of ctx.state.plan()) {
    if (o.invalid.length > 0)
      local.failed!.push({ ids: o.invalid, code: 'invalid', message: 'Cannot add a number to a text value.' });
    if (o.endpoint === 'increment' && o.value === 0 && o.ids.length > 0) local.synced!.push(...o.ids);
  }
  if (local.failed!.length === 0 && local.synced!.length === 0) return false;
  countOutcome(report, local);
  await ctx.commit(local);
  return true;
}

/** Step 1: checks every uncertain day whose grace is over. */
async function checkDue(ctx: SenderContext, interactive: boolean, report: FlushReport): Promise<Halt | null> {
  const now = ctx.clock.now();
  const due = ctx.state.uncertainGroups().filter((g) => g.at + ctx.graceMs <= now);
  if (due.length === 0) return null;
  const seen = await observeTotals(ctx, due, interactive);
  report.calls += seen.calls;
  for (const g of due) {
    const at = ctx.clock.now();
    if (seen.values.has(g.key)) await commitCounted(ctx, report, resolve(g, seen.values.get(g.key)!, at));
    // No read, no probe: nothing can tell, so re-send flagged (a halted flush tries again later).
    else if (!seen.halt) await commitCounted(ctx, report, unverifiable(g, at));
  }
  return seen.halt ?? null;
}

/** Step 3: the day's total before the first increment, so a lost answer can be judged. */
async function learnBases(
  ctx: SenderContext,
  chunk: PlannedObject[],
  interactive: boolean,
  report: FlushReport,
): Promise<Halt | null> {
  const now = ctx.clock.now();
  const totals: NonNullable<Result['totals']> = [];
  const useBase = (o: PlannedObject, v: number | string | null): void => {
    const base = v === null ? 0 : typeof v === 'number' ? v : null;
    if (base === null) return;
    o.base = base;
    totals.push({ name: o.name, date: o.date, value: base });
  };
  // Days read ahead a moment ago need no read of their own.
  for (const o of chunk) {
    const ahead = ctx.readAhead.get(o.key);
    ctx.readAhead.delete(o.key);
    if (o.base === null && ahead && now - ahead.at <= READ_AHEAD_MAX_AGE_MS) useBase(o, ahead.value);
  }
  const unknown = chunk.filter((o) => o.base === null);
  if (unknown.length === 0) return commitTotals(ctx, totals);
  const ahead = readAheadTargets(ctx, unknown);
  const seen = await observeTotals(ctx, unknown, interactive, ahead);
  report.calls += seen.calls;
  for (const o of unknown) if (seen.values.has(o.key)) useBase(o, seen.values.get(o.key)!);
  for (const t of ahead) {
    const k = keyOf(t.name, t.date);
    if (seen.values.has(k)) ctx.readAhead.set(k, { value: seen.values.get(k)!, at: now });
  }
  await commitTotals(ctx, totals);
  return seen.halt ?? null;
}

async function commitTotals(ctx: SenderContext, totals: NonNullable<Result['totals']>): Promise<null> {
  if (totals.length > 0) await ctx.commit({ t: 'result', at: ctx.clock.now(), totals });
  return null;
}

/**
 * Reading ahead (issue 19): with a chunk's batched read goes the newest day of the chunk for
 * each attribute the app writes (`readAlso`) that has no known total, nothing queued and no
 * recent read-ahead — so when its first click comes, its base is already there and needs
 * no read of its own (the 1,000-click hour: one read instead of four). Those values stay in
 * memory only and for at most `READ_AHEAD_MAX_AGE_MS`: they are not known totals (no
 * display or undo reads them), only bases for a first increment. A base a few minutes old
 * is judged as any known total is: if another writer changed the day before our first
 * increment and that answer is lost, the check flags the day (recovery.ts), never
 * re-sends blindly.
 */
export const READ_AHEAD_MAX_AGE_MS = 10 * 60_000;

function readAheadTargets(ctx: SenderContext, unknown: PlannedObject[]): { name: string; date: string }[] {
  const names = ctx.api.readAlso?.() ?? [];
  if (names.length === 0) return [];
  const now = ctx.clock.now();
  for (const [k, a] of ctx.readAhead) if (now - a.at > READ_AHEAD_MAX_AGE_MS) ctx.readAhead.delete(k);
  const date = unknown.reduce((d, o) => (o.date > d ? o.date : d), unknown[0]!.date);
  const out: { name: string; date: string }[] = [];
  for (const name of new Set(names)) {
    const k = keyOf(name, date);
    if (!ctx.state.totals.has(k) && !ctx.state.live.has(k) && !ctx.readAhead.has(k)) out.push({ name, date });
  }
  return out;
}

/** Step 4: one write call. Returns a stop to report, or null to go on. */
async function sendChunk(
  ctx: SenderContext,
  chunk: PlannedObject[],
  endpoint: 'increment' | 'update',
  interactive: boolean,
  report: FlushReport,
): Promise<((stop: Stop) => FlushReport) | null> {
  const slot = ctx.budget.take({ interactive });
  if (!slot.ok) return (stop) => stop(slot.reason, blockMessage(slot.reason, slot.retryAt), slot.retryAt);
  await ctx.commit({
    t: 'send',
    at: ctx.clock.now(),
    endpoint,
    objs: chunk.map((o) => ({ ids: o.ids, base: o.base })),
  });
  report.calls++;
  report.objectsSent += chunk.length;
  let res: Awaited<ReturnType<OutboxWriteApi['update']>>;
  try {
    const objs = chunk.map((o) => ({ name: o.name, value: o.value, date: o.date }));
    res =
      endpoint === 'increment'
        ? await ctx.api.increment(objs as { name: string; value: number; date: string }[])
        : await ctx.api.update(objs);
  } catch (e) {
    await commitCounted(ctx, report, callFailure(ctx, e, chunk, endpoint));
    return isWholeCallRejection(e) ? null : (stop) => stopForError(ctx, e, stop);
  }
  ctx.budget.onSuccess();
  return afterAnswer(ctx, res, chunk, endpoint, interactive, report);
}

async function afterAnswer(
  ctx: SenderContext,
  res: Awaited<ReturnType<OutboxWriteApi['update']>>,
  chunk: PlannedObject[],
  endpoint: 'increment' | 'update',
  interactive: boolean,
  report: FlushReport,
): Promise<((stop: Stop) => FlushReport) | null> {
  const { rec, unauthorised, unanswered } = callResult(ctx, res, chunk, endpoint);
  await commitCounted(ctx, report, rec);
  if (unauthorised.length > 0)
    await commitCounted(ctx, report, await reacquireOnce(ctx, unauthorised, interactive, report));
  if ((rec.synced?.length ?? 0) > 0) ctx.emit({ type: 'synced', at: ctx.clock.now() });
  if (unanswered === 0) return null;
  // Resending at once could loop on a server that keeps leaving objects out.
  ctx.budget.onTransientFailure();
  const retryAt = ctx.budget.status().backoffUntil || undefined;
  return (stop) =>
    stop('server', `Exist's answer did not account for ${unanswered} value(s); will check them.`, retryAt);
}

type Unauthorised = { o: PlannedObject; message: string };

/** The result record of an answered call (see answers.ts for the matching rule). */
function callResult(
  ctx: SenderContext,
  res: Awaited<ReturnType<OutboxWriteApi['update']>>,
  chunk: PlannedObject[],
  endpoint: 'increment' | 'update',
): { rec: Result; unauthorised: Unauthorised[]; unanswered: number } {
  const at = ctx.clock.now();
  const rec: Result = { t: 'result', at, synced: [], totals: [], failed: [], pend: [], flagged: [] };
  const unauthorised: Unauthorised[] = [];
  const m = matchAnswer(chunk, res?.success, res?.failed);
  for (const { o, echo } of m.success) {
    rec.synced!.push(...o.ids);
    const current = typeof echo.current === 'number' && Number.isFinite(echo.current) ? echo.current : null;
    rec.totals!.push({ name: o.name, date: o.date, value: endpoint === 'update' ? o.value : current });
    if (endpoint === 'increment' && current !== null) checkRepaired(ctx, o, current, rec);
  }
  for (const { o, echo } of m.failed) {
    const code = typeof echo.error_code === 'string' ? echo.error_code : 'unknown';
    const message =
      typeof echo.error === 'string' && echo.error !== '' ? echo.error : `Exist rejected the value (${code}).`;
    const items = itemsOf(ctx.state, o.ids);
    if (code === 'unauthorised' && ctx.api.reacquire && !items.every((i) => i.reacquired)) {
      // Exist says it did not apply it: safe to queue again unchanged, after re-acquiring.
      rec.pend!.push({ ids: o.ids });
      unauthorised.push({ o, message });
    } else rec.failed!.push({ ids: o.ids, code, message });
  }
  if (m.unmatched.length > 0) {
    // The answer does not say what happened to these: a lost answer, checked by the policy.
    const lost = lostAnswer(
      itemsOf(
        ctx.state,
        m.unmatched.flatMap((o) => o.ids),
      ),
      ctx.state,
      at,
    );
    rec.pend!.push(...(lost.pend ?? []));
    rec.flagged!.push(...(lost.flagged ?? []));
  }
  return { rec, unauthorised, unanswered: m.unmatched.length };
}

/** A re-sent (repaired) delta must move the day by exactly itself; more means something else landed too. */
function checkRepaired(ctx: SenderContext, o: PlannedObject, current: number, rec: Result): void {
  if (typeof o.base !== 'number') return;
  const repaired = itemsOf(ctx.state, o.ids).filter((i) => i.repaired);
  if (repaired.length === 0) return;
  const expected = tidy(o.base + (o.value as number));
  if (Math.abs(current - expected) < 1e-9) return;
  rec.flagged!.push(
    repairFlag(
      repaired.map((i) => i.id),
      expected,
      current,
    ),
  );
}

/** One re-acquire per name, then the items go back to the queue once (or fail). */
async function reacquireOnce(
  ctx: SenderContext,
  objs: Unauthorised[],
  interactive: boolean,
  report: FlushReport,
): Promise<Result> {
  const rec: Result = { t: 'result', at: ctx.clock.now(), failed: [], pend: [] };
  const byName = new Map<string, boolean | ReacquireRefusal | null>();
  for (const { o, message } of objs) {
    if (!byName.has(o.name)) byName.set(o.name, await reacquire(ctx, o.name, message, interactive, report));
    const got = byName.get(o.name);
    if (got === true) rec.pend!.push({ ids: o.ids, reacquired: true });
    else if (typeof got === 'object' && got !== null)
      rec.failed!.push({ ids: o.ids, code: got.code, message: got.message });
    else if (got === false)
      rec.failed!.push({
        ids: o.ids,
        code: 'unauthorised',
        message: `${message} (re-acquiring the attribute did not help)`,
      });
    // null: could not ask now; the items stay queued and the next flush asks again.
  }
  rec.at = ctx.clock.now();
  return rec;
}

async function reacquire(
  ctx: SenderContext,
  name: string,
  error: string,
  interactive: boolean,
  report: FlushReport,
): Promise<boolean | ReacquireRefusal | null> {
  if (!ctx.budget.take({ interactive }).ok) return null;
  report.calls++;
  try {
    return await ctx.api.reacquire!(name, error);
  } catch {
    return null;
  }
}

function callFailure(ctx: SenderContext, e: unknown, chunk: PlannedObject[], endpoint: 'increment' | 'update'): Result {
  const ids = chunk.flatMap((o) => o.ids);
  const at = ctx.clock.now();
  if (isWholeCallRejection(e)) {
    const ex = e as { kind: string; message: string };
    return { t: 'result', at, failed: [{ ids, code: ex.kind, message: ex.message }] };
  }
  if (mayHaveApplied(e) && endpoint === 'increment') return lostAnswer(itemsOf(ctx.state, ids), ctx.state, at);
  return { t: 'result', at, pend: [{ ids }] };
}

/** When only uncertain days are left: stop until the first grace ends. */
function checkingStop(ctx: SenderContext, stop: Stop): FlushReport | null {
  const groups = ctx.state.uncertainGroups();
  if (groups.length === 0) return null;
  const at = Math.min(...groups.map((g) => g.at + ctx.graceMs));
  const n = groups.reduce((s, g) => s + g.ids.length, 0);
  return stop(
    'checking',
    `${n} write(s) whose answer was lost wait until ${clockTime(at)}, then Exist Tray checks the day before sending anything again.`,
    at,
  );
}

function haltToStop(ctx: SenderContext, h: Halt, stop: Stop): FlushReport {
  return h.kind === 'blocked'
    ? stop(h.reason, blockMessage(h.reason, h.retryAt), h.retryAt)
    : stopForError(ctx, h.error, stop);
}

function stopForError(ctx: SenderContext, e: unknown, stop: Stop): FlushReport {
  const message = e instanceof Error ? e.message : String(e);
  if (isExistError(e)) {
    switch (e.kind) {
      case 'rate-limited': {
        ctx.budget.onRateLimited(e.details.retryAfterMs);
        const until = ctx.budget.status().pausedUntil || undefined;
        return stop('rate-limited', rateLimitedMessage(e.details.retryAfterMs !== undefined, until), until);
      }
      case 'unauthorised':
      case 'oauth':
        return stop('auth', `Exist refused the token; reconnect to send the queued writes. (${message})`);
      case 'server':
      case 'bad-response':
        // Exist answered, with an error: it is there but having trouble (not "can't be reached").
        ctx.budget.onTransientFailure();
        return stop(
          'server',
          `Exist answered with an error; will retry. (${message})`,
          ctx.budget.status().backoffUntil || undefined,
        );
      case 'network':
      case 'timeout':
      case 'bad-request':
      case 'forbidden':
      case 'not-found':
        break;
      default:
        assertNever(e.kind, 'Exist error kind');
    }
  }
  ctx.budget.onTransientFailure();
  return stop(
    'network',
    `Could not reach Exist; will retry. (${message})`,
    ctx.budget.status().backoffUntil || undefined,
  );
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

function rateLimitedMessage(serverSaidWhen: boolean, until: number | undefined): string {
  const resume = until === undefined ? 'soon' : `at ${clockTime(until)}`;
  return serverSaidWhen
    ? `Exist asked to wait (rate limit); sending resumes ${resume}.`
    : `Exist is rate-limiting this account without saying for how long (at most until the next hour); Exist Tray tries again ${resume}, then waits longer each time.`;
}

export function blockMessage(reason: 'rate-limited' | 'budget' | 'backoff', retryAt?: number): string {
  const resume = retryAt === undefined ? '' : ` Sending resumes at ${clockTime(retryAt)}.`;
  switch (reason) {
    case 'rate-limited':
      return `Exist asked us to slow down (rate limit).${resume}`;
    case 'budget':
      return `Holding writes back to stay within Exist’s 300 calls an hour.${resume}`;
    case 'backoff':
      return `Waiting before trying Exist again after a network or server error.${resume}`;
    default:
      return assertNever(reason, 'block reason');
  }
}

function countOutcome(report: FlushReport, rec: Result): void {
  report.synced += rec.synced?.length ?? 0;
  report.failed += (rec.failed ?? []).reduce((n, f) => n + f.ids.length, 0);
}

async function commitCounted(ctx: SenderContext, report: FlushReport, rec: Result): Promise<void> {
  countOutcome(report, rec);
  await ctx.commit(rec);
}

function itemsOf(state: OutboxState, ids: string[]): Item[] {
  return ids.map((id) => state.items.get(id)).filter((i): i is Item => i !== undefined);
}
