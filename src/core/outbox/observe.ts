/**
 * # Observing a day's total: a read (read scope) or a `+0` increment (write-only)
 *
 * The outbox needs the day's total twice: before the first increment of an attribute
 * and day (the *base* a lost answer is judged against), and after a lost answer's grace
 * period (the check, recovery.ts). Both go through `observeTotals`:
 *
 * - with a read scope, ONE `GET /attributes/with-values/` call for all the attribute-days
 *   asked (`attributes=a,b,…&date_max=D&days=n`: up to 35 attributes and 31 days a call,
 *   one page with `limit` ≥ the attributes asked). A 1,000-click hour on 10 attributes
 *   spends a few reads instead of ten (issue 19). Only an attribute and day the answer
 *   names is taken; anything it leaves out (no read scope, inactive, a short page, a
 *   conflicting answer) is read one by one through `/attributes/values/` as before;
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
import type { DayValue, OutboxWriteApi } from './types';

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

/** The reference's caps on one with-values read: `days` at most 31; attributes kept to a write call's 35. */
export const READ_MAX_DAYS = 31;
export const READ_MAX_NAMES = MAX_OBJECTS_PER_CALL;

/**
 * Learns the totals it can for `targets` (reads first where allowed, then +0 probes).
 * `alongside`: days also worth knowing, read only where they fit in a batched read that
 * goes anyway (never a call of their own, never a fallback).
 */
export async function observeTotals(
  ctx: ObserveContext,
  targets: Target[],
  interactive: boolean,
  alongside: Target[] = [],
): Promise<Observed> {
  const out: Observed = { values: new Map(), calls: 0 };
  const probeLater: Target[] = [];
  let oneByOne: Target[] = [];
  for (const t of targets) (canRead(ctx, t.name) ? oneByOne : probeLater).push(t);
  if (ctx.api.readDays && oneByOne.length > 0) {
    const extra = alongside.filter((t) => canRead(ctx, t.name));
    oneByOne = await readBatched(ctx, oneByOne, extra, interactive, out);
    if (out.halt) return out;
  }
  for (const t of oneByOne) {
    const r = ctx.api.readDayValue ? await readOne(ctx, t, interactive, out) : 'no-scope';
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
  if ((!ctx.api.readDayValue && !ctx.api.readDays) || ctx.readForbidden.has(name)) return false;
  if (ctx.api.canRead?.(name) === false) {
    ctx.readForbidden.add(name);
    return false;
  }
  return true;
}

/** One with-values call: these attributes, the `days` days ending `dateMax`, and the targets it answers. */
export interface ReadWindow {
  names: string[];
  dateMax: string;
  days: number;
  targets: Target[];
}

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Groups targets into as few with-values calls as the caps allow (newest days first). */
export function readWindows(targets: Target[]): ReadWindow[] {
  const sorted = [...targets].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const out: ReadWindow[] = [];
  let cur: ReadWindow | null = null;
  for (const t of sorted) {
    const span = cur ? dayNumber(cur.dateMax) - dayNumber(t.date) + 1 : Number.NaN;
    const fits =
      cur !== null &&
      Number.isFinite(span) &&
      span <= READ_MAX_DAYS &&
      (cur.names.includes(t.name) || cur.names.length < READ_MAX_NAMES);
    if (!fits || cur === null) {
      cur = { names: [], dateMax: t.date, days: 1, targets: [] };
      out.push(cur);
    } else cur.days = span;
    if (!cur.names.includes(t.name)) cur.names.push(t.name);
    cur.targets.push(t);
  }
  return out;
}

/** Batched reads; returns the targets still unknown (to read one by one). Sets `out.halt` to stop. */
async function readBatched(
  ctx: ObserveContext,
  targets: Target[],
  alongside: Target[],
  interactive: boolean,
  out: Observed,
): Promise<Target[]> {
  const left: Target[] = [];
  for (const w of readWindows(targets)) {
    const also = withAlongside(w, alongside);
    const slot = ctx.budget.take({ interactive });
    if (!slot.ok) {
      out.halt = { kind: 'blocked', reason: slot.reason, retryAt: slot.retryAt };
      return left;
    }
    out.calls++;
    let answer: DayValue[];
    try {
      answer = await ctx.api.readDays!(w.names, w.dateMax, w.days);
      ctx.budget.onSuccess();
    } catch (e) {
      if (isWholeCallRejection(e)) {
        left.push(...w.targets);
        continue;
      }
      out.halt = { kind: 'error', error: e };
      return left;
    }
    const got = answeredDays(answer);
    for (const t of w.targets) {
      const k = keyOf(t.name, t.date);
      const v = got.get(k);
      if (v === undefined || v === CONFLICT) left.push(t);
      else out.values.set(k, v);
    }
    for (const t of also) {
      const k = keyOf(t.name, t.date);
      const v = got.get(k);
      if (v !== undefined && v !== CONFLICT && !out.values.has(k)) out.values.set(k, v);
    }
  }
  return left;
}

/** Adds to the window the alongside days it can hold (its span, its 35 names); returns them. */
function withAlongside(w: ReadWindow, alongside: Target[]): Target[] {
  const taken: Target[] = [];
  const max = dayNumber(w.dateMax);
  for (const t of alongside) {
    const d = dayNumber(t.date);
    if (!(d <= max && d > max - w.days)) continue;
    if (w.targets.some((x) => x.name === t.name && x.date === t.date)) continue;
    if (!w.names.includes(t.name)) {
      if (w.names.length >= READ_MAX_NAMES) continue;
      w.names.push(t.name);
    }
    taken.push(t);
  }
  return taken;
}

const CONFLICT = Symbol('conflict');

/** The days an answer names with a usable value; a day named twice with two values is not taken. */
function answeredDays(answer: DayValue[]): Map<string, number | string | null | typeof CONFLICT> {
  const got = new Map<string, number | string | null | typeof CONFLICT>();
  for (const d of Array.isArray(answer) ? answer : []) {
    const v = d.value;
    if (!(v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) continue;
    const k = keyOf(d.name, d.date);
    got.set(k, got.has(k) && got.get(k) !== v ? CONFLICT : v);
  }
  return got;
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
    interactive: false,
    endpoint: 'increment',
    value: 0,
    base: null,
  };
}

/** The server rejected the whole call without applying it: fail its items with the message. */
export function isWholeCallRejection(e: unknown): boolean {
  return isExistError(e) && (e.kind === 'bad-request' || e.kind === 'forbidden' || e.kind === 'not-found');
}
