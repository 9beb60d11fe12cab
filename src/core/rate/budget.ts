import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLS_PER_HOUR } from '../../shared/domain';
import type { Clock } from '../ports';
import { writeFileAtomicSync } from '../fs';

/**
 * Exist allows 300 calls an hour per user token and answers 429 past that. The budget
 * counts our own calls over a rolling hour (persisted, so a restart does not forget
 * the last hour), keeps a reserve that only interactive writes (a click) may use, and
 * holds every call back after a 429 or while backing off from network errors and 5xx.
 * It never sleeps itself: callers ask `take()` and get either a slot or the time to
 * come back.
 */
export interface RateBudget {
  /** Claims one call slot now (and records it), or says when to try again. */
  take(opts?: { interactive?: boolean }): TakeResult;
  /** The server answered 429: pause every call until `retryAfterMs`, or until the window frees a slot (min 60 s). */
  onRateLimited(retryAfterMs?: number): void;
  /** A network error, timeout or 5xx: back off exponentially with jitter. */
  onTransientFailure(): void;
  /** A call got a real answer: the network works, clear the backoff. */
  onSuccess(): void;
  /** The OS says the network is back: drop the backoff at once (a 429 pause stays). */
  notifyOnline(): void;
  status(): BudgetStatus;
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
  /** Minimum pause after a 429 without Retry-After. */
  minRateLimitPauseMs?: number;
}

interface Persisted {
  v: 1;
  calls: number[];
  pausedUntil: number;
}

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
  const minPause = opts.minRateLimitPauseMs ?? 60_000;
  const file =
    opts.dir === undefined
      ? undefined
      : join(opts.dir, `rate-${(opts.key ?? 'default').replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);

  let calls: number[] = [];
  let pausedUntil = 0;
  let backoffUntil = 0;
  let failures = 0;

  if (file !== undefined) {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Persisted>;
      if (Array.isArray(raw.calls))
        calls = raw.calls.filter((t) => typeof t === 'number' && Number.isFinite(t)).sort((a, b) => a - b);
      if (typeof raw.pausedUntil === 'number' && Number.isFinite(raw.pausedUntil)) pausedUntil = raw.pausedUntil;
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
      writeFileAtomicSync(file, JSON.stringify({ v: 1, calls, pausedUntil } satisfies Persisted));
    } catch {
      // Best effort: losing the count only risks a 429, which is handled.
    }
  };

  /** When the window will hold fewer than `cap` calls. */
  const slotFreeAt = (now: number, cap: number): number => {
    if (calls.length < cap) return now;
    return calls[calls.length - cap]! + windowMs;
  };

  return {
    take({ interactive = false } = {}) {
      const now = clock.now();
      prune(now);
      if (pausedUntil > now) return { ok: false, reason: 'rate-limited', retryAt: pausedUntil };
      if (backoffUntil > now) return { ok: false, reason: 'backoff', retryAt: backoffUntil };
      const cap = interactive ? limit : limit - reserve;
      if (calls.length >= cap) return { ok: false, reason: 'budget', retryAt: slotFreeAt(now, cap) };
      calls.push(now);
      persist();
      return { ok: true };
    },
    onRateLimited(retryAfterMs) {
      const now = clock.now();
      prune(now);
      const wait =
        retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
          ? retryAfterMs
          : Math.max(minPause, calls.length > 0 ? calls[0]! + windowMs - now : 0);
      pausedUntil = Math.max(pausedUntil, now + wait);
      persist();
    },
    onTransientFailure() {
      failures++;
      const exp = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
      // Equal jitter: at least half the delay, so a burst of clients spreads out but never hammers.
      const delay = exp / 2 + random() * (exp / 2);
      backoffUntil = clock.now() + Math.round(delay);
    },
    onSuccess() {
      failures = 0;
      backoffUntil = 0;
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
      };
    },
  };
}
