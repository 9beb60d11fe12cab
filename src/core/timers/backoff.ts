/**
 * # Back-off: the one home of the retry-delay formulas
 *
 * Two shapes, both pure (no timers, no clock reads) so callers decide when to sleep:
 *
 * - `exponentialBackoff`: network errors, timeouts and 5xx. `base × 2^(attempt−1)`,
 *   capped, with *equal jitter* (at least half the delay) when given `random`, so a burst
 *   of clients spreads out but none hammers the server (the rate budget); without
 *   `random`, the exact doubling (the token manager's renewal retries).
 * - `probingBackoff`: a 429 that names no time (no `Retry-After`). Exist's reference says
 *   calls fail "until the window resets" (the next hour), but a 429 can also come from a
 *   proxy or a short spike, so waiting a whole hour for one refusal wastes most of it.
 *   We probe: 1, 2, 4, 8 … minutes, never past the next hour boundary (where Exist's
 *   window resets at the latest). One call per probe; at most ~6 probes an hour.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface ExponentialBackoffOptions {
  /** 1 for the first failure. */
  attempt: number;
  baseMs: number;
  maxMs: number;
  /** [0, 1) for equal jitter (Math.random in production, seeded in tests); omitted: no jitter. */
  random?: () => number;
}

/** Delay before the next try after `attempt` consecutive failures (equal jitter when given `random`). */
export function exponentialBackoff(o: ExponentialBackoffOptions): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(Math.max(o.attempt, 1) - 1, 30));
  return o.random ? Math.round(exp / 2 + o.random() * (exp / 2)) : exp;
}

/** The next full hour (UTC; Exist's hour windows and every real timezone offset agree on minute 0 for whole-hour zones). */
export function nextHourBoundary(now: number): number {
  return Math.floor(now / HOUR) * HOUR + HOUR;
}

/**
 * Delay after the `attempt`-th consecutive 429 without `Retry-After`: 1, 2, 4 … minutes,
 * capped at the next hour boundary (and at least one second, so a probe never spins).
 */
export function probingBackoff(attempt: number, now: number): number {
  const step = MINUTE * 2 ** Math.min(Math.max(attempt, 1) - 1, 10);
  return Math.max(1_000, Math.min(step, nextHourBoundary(now) - now));
}
