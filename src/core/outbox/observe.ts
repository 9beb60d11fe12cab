/**
 * # Observing a day's total: a read (read scope) or a `+0` increment (write-only)
 *
 * The outbox needs the day's total twice: before the first increment of an attribute
 * and day (the *base* a lost answer is judged against), and after a lost answer's grace
 * period (the check, recovery.ts). Both go through `observeTotals`:
 *
 * - with a read scope, one `values` read per attribute+day (the reference has no batched
 *   "one day of many attributes" read that is cheaper for the few objects a flush holds);
 * - otherwise a `+0` increment, 35 objects a call: it changes nothing and its `current`
 *   is the day's total. A lost `+0` answer is harmless (counted twice, still +0). Where
 *   Exist refuses `+0` for an attribute it is not tried again this session.
 *
 * Every call takes a budget slot first; a refused slot or a call error stops the flush
 * (the caller reports why and when to come back).
 */
import { MAX_OBJECTS_PER_CALL } from '../../shared/domain';
import { ExistError, isExistError } from '../exist/errors';
import type { RateBudget } from '../rate/budget';
import { matchAnswer } from './answers';
import { keyOf, type PlannedObject } from './state';
import type { OutboxWriteApi } from './types';

export interface ObserveContext {
  api: OutboxWriteApi;
  budget: RateBudget;
  probeZero: boolean;
  /** Names whose reads were refused (no read scope) this session. */
  readForbidden: Set<string>;
  /** Names for which a +0 increment did not give a total this session. */
  probeRefused: Set<string>;
}

export interface Target {
  name: string;
  date: string;
}

/** A call could not be made or failed: stop the flush with this (a budget block or the error). */
export type Halt =
  | { kind: 'blocked'; reason: 'rate-limited' | 'budget' | 'backoff'; retryAt: number }
  | { kind: 'error'; error: unknown };

export interface Observed {
  /** Day totals learnt, by keyOf(name, date); null = the day is empty. */
  values: Map<string, number | string | null>;
  /** Set when a call stopped early: what was learnt so far is still in `values`. */
  halt?: Halt;
  calls: number;
}

/** Learns the totals it can for `targets` (reads first where allowed, then +0 probes). */
export async function observeTotals(ctx: ObserveContext, targets: Target[], interactive: boolean): Promise<Observed> {
  const out: Observed = { values: new Map(), calls: 0 };
  const probeLater: Target[] = [];
  for (const t of targets) {
    if (!canRead(ctx, t.name)) {
      probeLater.push(t);
      continue;
    }
    const r = await readOne(ctx, t, interactive, out);
    if (r === 'no-scope') probeLater.push(t);
    else if (out.halt) return out;
  }
  if (!ctx.probeZero) return out;
  const probe = probeLater.filter((t) => !ctx.probeRefused.has(t.name));
  for (let i = 0; i < probe.length && !out.halt; i += MAX_OBJECTS_PER_CALL) {
    await probeBatch(ctx, probe.slice(i, i + MAX_OBJECTS_PER_CALL), interactive, out);
  }
  return out;
}

function canRead(ctx: ObserveContext, name: string): boolean {
  if (!ctx.api.readDayValue || ctx.readForbidden.has(name)) return false;
  if (ctx.api.canRead?.(name) === false) {
    ctx.readForbidden.add(name);
    return false;
  }
  return true;
}

async function readOne(
  ctx: ObserveContext,
  t: Target,
  interactive: boolean,
  out: Observed,
): Promise<'ok' | 'no-scope' | 'halt'> {
  const slot = ctx.budget.take({ interactive });
  if (!slot.ok) {
    out.halt = { kind: 'blocked', reason: slot.reason, retryAt: slot.retryAt };
    return 'halt';
  }
  out.calls++;
  try {
    const v = await ctx.api.readDayValue!(t.name, t.date);
    ctx.budget.onSuccess();
    out.values.set(keyOf(t.name, t.date), v === null || typeof v === 'string' || Number.isFinite(v) ? v : null);
    return 'ok';
  } catch (e) {
    if (isExistError(e) && (e.kind === 'forbidden' || e.kind === 'not-found' || e.kind === 'bad-request')) {
      // No read scope (or no readable value): fall back to the +0 probe for this attribute.
      ctx.readForbidden.add(t.name);
      return 'no-scope';
    }
    out.halt = { kind: 'error', error: e };
    return 'halt';
  }
}

async function probeBatch(ctx: ObserveContext, batch: Target[], interactive: boolean, out: Observed): Promise<void> {
  const slot = ctx.budget.take({ interactive });
  if (!slot.ok) {
    out.halt = { kind: 'blocked', reason: slot.reason, retryAt: slot.retryAt };
    return;
  }
  out.calls++;
  let ans: Awaited<ReturnType<OutboxWriteApi['increment']>>;
  try {
    ans = await ctx.api.increment(batch.map((t) => ({ name: t.name, value: 0, date: t.date })));
    ctx.budget.onSuccess();
  } catch (e) {
    if (!isWholeCallRejection(e)) {
      out.halt = { kind: 'error', error: e };
      return;
    }
    for (const t of batch) ctx.probeRefused.add(t.name);
    return;
  }
  const sent = batch.map((t) => asPlanned(t));
  const m = matchAnswer(sent, ans?.success, ans?.failed);
  for (const { o, echo } of m.success) {
    if (typeof echo.current === 'number' && Number.isFinite(echo.current)) out.values.set(o.key, echo.current);
    else ctx.probeRefused.add(o.name);
  }
  // Refused: no probing for that attribute this session. An ownership failure is left to
  // the real write, which re-acquires; the next probe may then work.
  for (const { o, echo } of m.failed) if (echo.error_code !== 'unauthorised') ctx.probeRefused.add(o.name);
  // An answer that does not name every day (no dates, one attribute on several days) says
  // nothing about those: stop and ask again later rather than give up checking them.
  if (m.unmatched.length > 0)
    out.halt = {
      kind: 'error',
      error: new ExistError('bad-response', `The +0 probe's answer did not name ${m.unmatched.length} day(s).`, {
        endpoint: '/api/2/attributes/increment/',
      }),
    };
}

function asPlanned(t: Target): PlannedObject {
  return {
    key: keyOf(t.name, t.date),
    name: t.name,
    date: t.date,
    ids: [],
    invalid: [],
    firstSeq: 0,
    endpoint: 'increment',
    value: 0,
    base: null,
  };
}

/** The server rejected the whole call without applying it: fail its items with the message. */
export function isWholeCallRejection(e: unknown): boolean {
  return isExistError(e) && (e.kind === 'bad-request' || e.kind === 'forbidden' || e.kind === 'not-found');
}
