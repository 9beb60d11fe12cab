import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLS_PER_HOUR } from '../../shared/domain';
import type { Clock } from '../ports';
import { writeFileAtomicSync } from '../fs';
import { exponentialBackoff, probingBackoff } from '../timers/backoff';

/**
 * Exist allows 300 calls an hour per user token and answers 429 past that. The budget
 * counts our own calls over a rolling hour (persisted, so a restart does not forget
 * the last hour), keeps a reserve that only interactive writes (a click) may use, and
 * holds every call back after a 429 or while backing off from network errors and 5xx.
 * It never sleeps itself: callers ask `take()` and get either a slot or the time to
 * come back.
 *
 * ## Counting what the server counts
 * Exist counts every API request of the token: reads, acquire, owned, templates, the
 * profile — not only the outbox's writes. So the Exist client reports each request it
 * sends through `meter` (wired by the app): a request the outbox claimed with `take()`
 * uses that claim, any other request is recorded when it goes out. Requests the server
 * does not count are taken back: a 401 (Exist authenticates before it throttles), a 429
 * (refused by the throttle itself) and a request that provably never left the machine
 * (connection refused). Token requests (`/oauth2/access_token`) are not API requests
 * of the user token — the reference's limit is "300 requests per hour per user token"
 * and a token request carries none — so they are not counted (the sandbox agrees).
 * A request whose answer was lost stays counted (it may have been), so the budget can
 * only over-count, never under-count.
 *
 * ## 429 without Retry-After
 * The reference says calls fail "until the window resets" and that rate headers are not
 * documented. Pausing a whole hour for one refusal (the old behaviour) wastes most of it
 * when the cause was brief, so the budget probes: 1, 2, 4 … minutes, never past the next
 * hour boundary (`probingBackoff`, src/core/timers/backoff.ts). A `Retry-After` is obeyed
 * as given. Any counted answer ends the streak.
 */
export interface RateBudget {
  /** Claims one call slot now (and records it), or says when to try again. */
  take(opts?: { interactive?: boolean }): TakeResult;
  /** The server answered 429: pause every call for `retryAfterMs`, or (none given) 1, 2, 4 … minutes, capped at the next hour. */
  onRateLimited(retryAfterMs?: number): void;
  /** A network error, timeout or 5xx: back off exponentially with jitter. */
  onTransientFailure(): void;
  /** A call got a real answer: the network works, clear the backoff. */
  onSuccess(): void;
  /** The OS says the network is back: drop the backoff at once (a 429 pause stays). */
  notifyOnline(): void;
  status(): BudgetStatus;
  /** The Exist client's hook: one call per request it sends (see "Counting what the server counts"). */
  readonly meter: CallMeter;
}

/** What the Exist client tells the budget about each API request. */
export interface CallMeter {
  /** A request goes out now; `settle(false)` takes it back when the server did not count it. */
  onRequest(): { settle(counted: boolean): void };
}

export type BlockReason = 'rate-limited' | 'budget' | 'backoff';
export type TakeResult = { ok: true } | { ok: false; reason: BlockReason; retryAt: number };

export interface BudgetStatus {
  /** Calls made in the rolling window. */
  used: number;
  limit: number;
  reserve: number;
  /** After a 429 (0 when not paused). */
  pausedUntil: number;
  /** After network errors / 5xx (0 when not backing off). */
  backoffUntil: number;
  consecutiveFailures: number;
  /** Consecutive 429s without Retry-After (the probing back-off's step). */
  rateLimitStreak: number;
}

export interface RateBudgetOptions {
  clock: Clock;
  /** Directory to persist the call log in (the outbox dir); omitted = memory only. */
  dir?: string;
  /** Which token the count is for (e.g. the Exist username); one file per key. */
  key?: string;
  /** Injectable for tests; defaults to Math.random. */
  random?: () => number;
  /** Calls per window (Exist: 300 an hour). */
  limit?: number;
  windowMs?: number;
  /** Slots only interactive writes may use. */
  reserve?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

interface Persisted {
  v: 1;
  calls: number[];
  pausedUntil: number;
  streak?: number;
}

/** A claimed slot not used by a request within this long is treated as a call that happened. */
const CLAIM_TTL_MS = 10_000;

const HOUR = 3_600_000;

/** Creates a budget; with `dir`, it reloads the last hour's calls from `rate-<key>.json`. */
export function createRateBudget(opts: RateBudgetOptions): RateBudget {
  const clock = opts.clock;
  const random = opts.random ?? Math.random;
  const limit = opts.limit ?? CALLS_PER_HOUR;
  const windowMs = opts.windowMs ?? HOUR;
  const reserve = Math.min(opts.reserve ?? 20, limit - 1);
  const baseMs = opts.backoffBaseMs ?? 2_000;
  const maxMs = opts.backoffMaxMs ?? 300_000;
  const file =
    opts.dir === undefined
      ? undefined
      : join(opts.dir, `rate-${(opts.key ?? 'default').replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);

  let calls: number[] = [];
  let pausedUntil = 0;
  let backoffUntil = 0;
  let failures = 0;
  let streak = 0;
  /** Times of slots `take()` recorded that no request has used yet. */
  let claims: number[] = [];

  if (file !== undefined) {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Persisted>;
      if (Array.isArray(raw.calls))
        calls = raw.calls.filter((t) => typeof t === 'number' && Number.isFinite(t)).sort((a, b) => a - b);
      if (typeof raw.pausedUntil === 'number' && Number.isFinite(raw.pausedUntil)) pausedUntil = raw.pausedUntil;
      if (typeof raw.streak === 'number' && Number.isInteger(raw.streak) && raw.streak >= 0) streak = raw.streak;
    } catch {
      // Missing or unreadable: start empty; a 429 from the server remains the backstop.
    }
  }

  const prune = (now: number): void => {
    let i = 0;
    while (i < calls.length && calls[i]! <= now - windowMs) i++;
    if (i > 0) calls = calls.slice(i);
  };

  const persist = (): void => {
    if (file === undefined || opts.dir === undefined) return;
    try {
      writeFileAtomicSync(file, JSON.stringify({ v: 1, calls, pausedUntil, streak } satisfies Persisted));
    } catch {
      // Best effort: losing the count only risks a 429, which is handled.
    }
  };

  /** When the window will hold fewer than `cap` calls. */
  const slotFreeAt = (now: number, cap: number): number => {
    if (calls.length < cap) return now;
    return calls[calls.length - cap]! + windowMs;
  };

  const uncount = (t: number): void => {
    const i = calls.lastIndexOf(t);
    if (i >= 0) calls.splice(i, 1);
    persist();
  };

  const meter: CallMeter = {
    onRequest() {
      const now = clock.now();
      claims = claims.filter((c) => c > now - CLAIM_TTL_MS);
      const claimed = claims.shift();
      const t = claimed ?? now;
      if (claimed === undefined) {
        calls.push(t);
        persist();
      }
      let settled = false;
      return {
        settle(counted) {
          if (settled) return;
          settled = true;
          if (!counted) uncount(t);
          else if (streak > 0) {
            streak = 0;
            persist();
          }
        },
      };
    },
  };

  return {
    meter,
    take({ interactive = false } = {}) {
      const now = clock.now();
      prune(now);
      if (pausedUntil > now) return { ok: false, reason: 'rate-limited', retryAt: pausedUntil };
      if (backoffUntil > now) return { ok: false, reason: 'backoff', retryAt: backoffUntil };
      const cap = interactive ? limit : limit - reserve;
      if (calls.length >= cap) return { ok: false, reason: 'budget', retryAt: slotFreeAt(now, cap) };
      calls.push(now);
      claims.push(now);
      persist();
      return { ok: true };
    },
    onRateLimited(retryAfterMs) {
      const now = clock.now();
      prune(now);
      let wait: number;
      if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) wait = retryAfterMs;
      else {
        streak++;
        wait = probingBackoff(streak, now);
      }
      pausedUntil = Math.max(pausedUntil, now + wait);
      persist();
    },
    onTransientFailure() {
      failures++;
      backoffUntil = clock.now() + exponentialBackoff({ attempt: failures, baseMs, maxMs, random });
    },
    onSuccess() {
      failures = 0;
      backoffUntil = 0;
      if (streak > 0) {
        streak = 0;
        persist();
      }
    },
    notifyOnline() {
      failures = 0;
      backoffUntil = 0;
    },
    status() {
      const now = clock.now();
      prune(now);
      return {
        used: calls.length,
        limit,
        reserve,
        pausedUntil: pausedUntil > now ? pausedUntil : 0,
        backoffUntil: backoffUntil > now ? backoffUntil : 0,
        consecutiveFailures: failures,
        rateLimitStreak: streak,
      };
    },
  };
}
