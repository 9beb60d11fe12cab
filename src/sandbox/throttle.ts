/**
 * The sandbox's rate limit and per-token call counter.
 *
 * The reference: "300 requests per hour per user token; over it the API answers HTTP 429
 * and calls fail until the window resets. Rate-limit headers are not documented: read
 * `Retry-After` if present, never depend on it." So both shapes are configurable:
 *
 * - `window`: `first-call` (a fixed window that starts at the token family's first call,
 *   the sandbox's old behaviour) or `clock-hour` (the window is the clock hour: calls
 *   fail until the next hour, as Exist words it);
 * - `retryAfter`: with it, a 429 carries `Retry-After` (seconds to the reset); without
 *   it, only `{"detail": "Rate limited until the next hour."}`-style words.
 *
 * What counts: every API request with a valid token that the throttle lets through,
 * whatever happens next (a 4xx, a 5xx, a dropped answer, a late apply). Not counted:
 * requests without a valid token (401: authentication runs first), requests the
 * throttle refuses (429), and OAuth token requests (not API requests of a user token).
 * `counted(family)` exposes the count so tests can compare a client's budget with it.
 */
import { detail } from './api';
import type { Reply } from './core';

export interface ThrottleConfig {
  limit: number;
  windowMs: number;
  window: 'first-call' | 'clock-hour';
  retryAfter: boolean;
}

export class Throttle {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly totals = new Map<string, number>();

  constructor(private readonly config: ThrottleConfig) {}

  /** Counts one request of `family` now, or answers the 429 that refuses it. */
  admit(family: string, now: number): Reply | null {
    const w = this.windowOf(family, now);
    if (w.count >= this.config.limit) return this.refusal(w.start + this.config.windowMs - now);
    w.count += 1;
    this.totals.set(family, (this.totals.get(family) ?? 0) + 1);
    return null;
  }

  /** Requests counted for `family` in its current window (as of `now`). */
  counted(family: string, now: number): number {
    return this.windowOf(family, now).count;
  }

  /** Requests counted for `family` since the sandbox started. */
  total(family: string): number {
    return this.totals.get(family) ?? 0;
  }

  private windowOf(family: string, now: number): { start: number; count: number } {
    const { windowMs } = this.config;
    let w = this.windows.get(family);
    if (w === undefined || now >= w.start + windowMs) {
      const start = this.config.window === 'clock-hour' ? Math.floor(now / windowMs) * windowMs : now;
      w = { start, count: 0 };
      this.windows.set(family, w);
    }
    return w;
  }

  private refusal(msLeft: number): Reply {
    const wait = Math.max(1, Math.ceil(msLeft / 1000));
    if (!this.config.retryAfter) {
      const words = this.config.window === 'clock-hour' ? 'until the next hour' : 'until the window resets';
      return detail(429, `Request was throttled: rate limited ${words}.`);
    }
    return detail(429, `Request was throttled. Expected available in ${wait} seconds.`, {
      'Retry-After': String(wait),
    });
  }
}
