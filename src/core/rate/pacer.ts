/**
 * # Pacing: spending Exist's 300 calls an hour like the scarce thing they are
 *
 * The rate budget (budget.ts) says whether a call may go *now*; the pacer decides when a
 * flush *should* go, so the hour is not spent one click at a time. Pure: no timers, no IO;
 * the flush scheduler (outbox/flush-scheduler.ts) asks it and sets the one timer.
 *
 * ## Clicks (interactive writes)
 * - **Quiet**: a burst of clicks goes 750 ms after its last click, so a quiet user sees
 *   "Synced" within about a second of stopping. (A burst of rapid clicks is one call, not
 *   one every 5 s as before pacing; it still goes by the ceiling if it never pauses.)
 * - **Busy**: quick sends are metered by a leaky bucket (GCRA): on average one every
 *   `quickSpacingMs` (72 s, i.e. 50 an hour), with `quickBurst` (1) extra in a row. A burst
 *   that finds the bucket empty waits until the bucket allows it, and **never longer than
 *   the ceiling (60 s) after its first click**; everything queued by then (every attribute,
 *   every day) goes in that one call.
 * - **Ceiling: 60 s.** Why: the popover shows a click's effect at once (the expected value),
 *   so the wait is only until another device (Exist's site, the phone app) sees it, and a
 *   minute is below what a person notices there; Exist's own data is daily. At one call a
 *   minute the clicks of a whole hour cost at most ~60 calls — 20% of the budget — however
 *   fast the user clicks. A longer ceiling saves few calls (1000 clicks/h: 56 calls at 60 s,
 *   46 at 75 s) for a visibly stale Exist; a shorter one (30 s) doubles the cost.
 * - **Calls left this hour**: with few calls left (≤ `clickReserve`), quick sends stop and
 *   every burst waits the ceiling, so the rest lasts.
 *
 * ## Jobs and imports (background writes)
 * They drain at what clicks leave: background calls may fill the rolling hour only up to
 * `limit − clickReserve` (240 of 300). Clicks, paced as above, need at most ~60 calls in
 * any hour, so a click never waits for the budget because an import is draining, and no
 * 429 is caused by the app (the budget counts every call it makes, persisted).
 */
import type { Clock } from '../ports';
import type { RateBudget } from './budget';

export interface PacerConfig {
  /** Trailing debounce of a burst of clicks (quiet). */
  debounceMs: number;
  /** No click waits longer than this because of pacing. */
  ceilingMs: number;
  /** Average spacing of quick (≈1 s) sends when busy. */
  quickSpacingMs: number;
  /** Quick sends allowed in a row beyond the average. */
  quickBurst: number;
  /** Calls of the rolling hour kept for clicks (background stops at limit − this). */
  clickReserve: number;
}

export const PACER_DEFAULTS: PacerConfig = {
  debounceMs: 750,
  ceilingMs: 60_000,
  quickSpacingMs: 72_000,
  quickBurst: 1,
  clickReserve: 60,
};

/** The click pacer's state: the leaky bucket's "theoretical arrival time" of the next quick send. */
export interface PacerState {
  tat: number;
}

export const initialPacerState = (): PacerState => ({ tat: Number.NEGATIVE_INFINITY });

export interface BurstInfo {
  now: number;
  /** The first unsent click of the burst. */
  burstStart: number;
  /** The burst's latest click. */
  lastWriteAt: number;
  /** Calls left in the rolling hour (limit − used). */
  callsLeft: number;
}

/** When the burst of clicks should be sent (never after burstStart + ceiling). */
export function clickFlushAt(cfg: PacerConfig, s: PacerState, b: BurstInfo): number {
  const ceilingAt = b.burstStart + cfg.ceilingMs;
  const quickAt = Math.min(b.lastWriteAt + cfg.debounceMs, ceilingAt);
  if (b.callsLeft <= cfg.clickReserve) return Math.max(b.now, ceilingAt);
  const allowedAt = s.tat - cfg.quickBurst * cfg.quickSpacingMs;
  if (allowedAt <= b.burstStart) return Math.max(b.now, quickAt);
  return Math.max(b.now, Math.min(ceilingAt, Math.max(quickAt, allowedAt)));
}

/** A paced flush of clicks went at `at`: the bucket fills by one spacing (its debt capped). */
export function afterClickFlush(cfg: PacerConfig, s: PacerState, at: number): PacerState {
  const full = at + (cfg.quickBurst + 1) * cfg.quickSpacingMs;
  return { tat: Math.min(Math.max(s.tat, at) + cfg.quickSpacingMs, full) };
}

/** How many background calls may still go in the rolling hour. */
export function backgroundCallsLeft(cfg: PacerConfig, used: number, limit: number): number {
  return Math.max(0, limit - cfg.clickReserve - used);
}

/**
 * The rate budget as the outbox sees it once paced: interactive takes pass through;
 * background takes stop at `limit − clickReserve` and say when a slot frees up. Every call
 * goes through here, so the wrapper knows their times (except those of an earlier run,
 * which the inner budget reloaded: then it retries in a minute).
 */
export function pacedBudget(inner: RateBudget, clock: Clock, cfg: PacerConfig = PACER_DEFAULTS): RateBudget {
  const windowMs = 3_600_000;
  let log: number[] = [];
  const retryAt = (now: number, used: number, cap: number): number => {
    const mustAge = used - cap + 1;
    const known = log.length >= used ? log[mustAge - 1] : undefined;
    return Math.max(now + 1_000, known === undefined ? now + 60_000 : known + windowMs);
  };
  return {
    take(opts = {}) {
      const now = clock.now();
      log = log.filter((t) => t > now - windowMs);
      if (!opts.interactive) {
        const st = inner.status();
        if (backgroundCallsLeft(cfg, st.used, st.limit) === 0)
          return { ok: false, reason: 'budget', retryAt: retryAt(now, st.used, st.limit - cfg.clickReserve) };
      }
      const r = inner.take(opts);
      if (r.ok) log.push(now);
      return r;
    },
    onRateLimited: (ms) => inner.onRateLimited(ms),
    onTransientFailure: () => inner.onTransientFailure(),
    onSuccess: () => inner.onSuccess(),
    notifyOnline: () => inner.notifyOnline(),
    status: () => inner.status(),
    meter: inner.meter,
  };
}
