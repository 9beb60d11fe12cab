/**
 * # Recovery: what a lost increment answer turns into (exact, or it says so)
 *
 * Exist's increment is not idempotent, several installations may write the same
 * attribute and day (one OAuth client on a laptop and a desktop, the CLI with its own
 * data folder), and a busy server may apply a call after the client gave up on it. So a
 * lost answer is never repaired by overwriting the day (`update` stays the idempotent
 * path for *sets* only), and never by blindly re-sending the delta.
 *
 * 1. **Uncertain.** An increment object whose answer is lost (timeout, reset after
 *    sending, 5xx, a 2xx we could not read, an answer that does not name it, a crash
 *    mid-call) keeps its items queued as *uncertain*, with the day's known total from
 *    before the call as its **base**. Nothing else is sent for that attribute and day
 *    until it is resolved.
 * 2. **Grace.** The check waits `graceMs` (default 60 s, four times the client's 15 s
 *    timeout) after the answer was given up, so a call the server is still working on has
 *    landed before we look. (A server that applies a call later than that can still
 *    double it; the grace is the bound this policy is exact within.)
 * 3. **Check.** The outbox reads the day (read scope), or sends a `+0` increment whose
 *    `current` is the day's total (write-only; batched, 35 days a call). With the day's
 *    value `v`, base `b` and our delta `d`:
 *    - `v = b + d` → **applied**: the items are synced.
 *    - `v = b` → **missing**: the items are queued again and sent as an **increment** of
 *      `d` on top of `v` (marked *repaired*: if that answer's `current` is not `v + d`,
 *      something else changed the day meanwhile and the items are flagged
 *      `changed-during-repair`).
 *    - anything else → **another writer or a late apply** changed the day: whether our
 *      `d` is in `v` cannot be proven (Exist keeps no per-writer history), so nothing is
 *      re-sent, `v` becomes the known total, and the items are synced but **flagged**
 *      `other-writer` with the three numbers, for the user to check that day.
 * 4. **No way to check** (no read scope and Exist refuses `+0`, or no base was known):
 *    the delta is re-sent and flagged `unverifiable` ("may have counted twice") — the
 *    only case that can double, and it says so.
 *
 * A lost `update` answer is simply re-sent (a total is idempotent).
 */
import type { RecordOf } from './records';
import { keyOf, tidy, type Item, type OutboxState, type UncertainGroup } from './state';
import type { FlagCode } from './types';

export const DEFAULT_GRACE_MS = 60_000;

/**
 * The grace period: the option, else `EXIST_TRAY_GRACE_MS` (milliseconds; for end-to-end
 * tests of real processes, and for a server known to answer slower), else 60 s.
 */
export function graceMs(option: number | undefined, env: Record<string, string | undefined> = process.env): number {
  if (option !== undefined) return option;
  const raw = env.EXIST_TRAY_GRACE_MS;
  const n = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_GRACE_MS;
}

type Result = RecordOf<'result'>;
type Pend = NonNullable<Result['pend']>[number];
type Flag = NonNullable<Result['flagged']>[number];

// True for a lost answer and for a 5xx alike (both may have been applied): never "the network lost it".
export const UNVERIFIABLE =
  'Exist did not confirm this increment (no answer, or an error after it may have counted it) and Exist Tray could not check the day (no read scope and no +0 probe), so it was sent again: it may have counted twice. Check this day in Exist.';

/** Lost answers, per the policy: updates re-send; increments with a base become uncertain; the rest re-send flagged. */
export function lostAnswer(items: Item[], state: OutboxState, at: number): Result {
  const pend: Pend[] = [];
  const flagged: Flag[] = [];
  for (const g of groupByKey(items).values()) {
    const ids = g.map((i) => i.id);
    const sent = g[0]!.sent;
    if (!sent || sent.endpoint === 'update') pend.push({ ids });
    else if (typeof sent.base === 'number') {
      const baseAt = state.totals.get(keyOf(g[0]!.op.name, g[0]!.op.date))?.at ?? null;
      pend.push({ ids, uncertain: { base: sent.base, baseAt, at } });
    } else {
      pend.push({ ids, maybeDoubled: true });
      flagged.push({ ids, code: 'unverifiable' satisfies FlagCode, message: UNVERIFIABLE });
    }
  }
  return flagged.length > 0 ? { t: 'result', at, pend, flagged } : { t: 'result', at, pend };
}

export type Verdict = 'applied' | 'missing' | 'changed';

/** Compares the day's value with base and base + delta (step 3). */
export function judge(g: Pick<UncertainGroup, 'base' | 'delta'>, observed: number): Verdict {
  if (g.base === null) return 'changed';
  if (same(observed, tidy(g.base + g.delta))) return 'applied';
  if (same(observed, g.base)) return 'missing';
  return 'changed';
}

/** The journal record that resolves one uncertain group once the day's value is known (null = empty day). */
export function resolve(g: UncertainGroup, value: number | string | null, at: number): Result {
  const observed = value === null ? 0 : value;
  const totals = [{ name: g.name, date: g.date, value: observed }];
  const verdict = typeof observed === 'number' ? judge(g, observed) : 'changed';
  switch (verdict) {
    case 'applied':
      return { t: 'result', at, synced: g.ids, totals };
    case 'missing':
      return { t: 'result', at, totals, pend: [{ ids: g.ids, repaired: true }] };
    case 'changed':
      return {
        t: 'result',
        at,
        synced: g.ids,
        totals,
        flagged: [
          {
            ids: g.ids,
            code: 'other-writer' satisfies FlagCode,
            message: changedMessage(g, observed),
            since: g.baseAt,
          },
        ],
      };
  }
}

/** Step 4: no check is possible — re-send, flagged. */
export function unverifiable(g: UncertainGroup, at: number): Result {
  return {
    t: 'result',
    at,
    pend: [{ ids: g.ids, maybeDoubled: true }],
    flagged: [{ ids: g.ids, code: 'unverifiable' satisfies FlagCode, message: UNVERIFIABLE }],
  };
}

/** A repaired delta whose answer shows the day moved by more than it: flag it (step 3, "missing"). */
export function repairFlag(ids: string[], expected: number, current: number): Flag {
  return {
    ids,
    code: 'changed-during-repair' satisfies FlagCode,
    message: `This increment was re-sent after Exist showed it missing, and Exist then answered ${current} where ${expected} was expected: another installation or a late apply changed the day meanwhile, so it may have counted twice. Check this day in Exist.`,
  };
}

function changedMessage(g: UncertainGroup, observed: number | string): string {
  const d = g.delta >= 0 ? `+${g.delta}` : String(g.delta);
  const b = g.base === null ? 'an unknown total' : String(g.base);
  const with_ = g.base === null ? 'unknown' : String(tidy(g.base + g.delta));
  return `The answer to ${d} was lost, and Exist then showed ${String(observed)} — neither ${b} (without it) nor ${with_} (with it): another installation or a late apply changed the day, so whether ${d} counted cannot be told. It was not sent again; check this day in Exist.`;
}

const same = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;

function groupByKey(items: Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const it of items) {
    const k = keyOf(it.op.name, it.op.date);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  return groups;
}
