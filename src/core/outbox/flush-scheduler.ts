/**
 * # When the outbox sends on its own (auto-flush scheduling)
 *
 * The outbox decides *what* a flush sends; this module decides *when* one starts. It owns
 * the one timer of the outbox and the one set of defaults (the outbox and the app used to
 * carry two: 1000 ms and 750 ms).
 *
 * - After a write: a trailing debounce (`debounceMs` after the last write of a burst, so
 *   clicks coalesce into one +N), but never later than `maxWaitMs` after the burst's first.
 * - After a flush that stopped with a `retryAt` (budget, 429 pause, backoff): again then.
 * - After a flush that left items queued without stopping: again after the debounce.
 * - `now()` (the network is back) cancels the timer and flushes at once.
 * - A flush is interactive (may use the budget's reserve) if a write since the last
 *   flush was.
 *
 * The scheduler never sends by itself: it calls `deps.flush`, which the outbox serialises.
 * It only uses the injected clock, so tests and the bench drive it in simulated time.
 */
import type { Clock } from '../ports';
import type { FlushReport } from './types';

/** A burst of clicks is sent this long after its last click (so it goes out as one +N)… */
export const FLUSH_DEBOUNCE_MS = 750;
/** …but never later than this after its first. */
export const FLUSH_MAX_WAIT_MS = 5_000;

export interface FlushSchedulerDeps {
  clock: Clock;
  flush(opts: { interactive: boolean }): Promise<FlushReport>;
  /** Items waiting to be sent. */
  pendingCount(): number;
}

export interface AutoFlushOptions {
  debounceMs?: number;
  maxWaitMs?: number;
}

export interface FlushScheduler {
  /** Turns auto-flush on (again), and schedules a flush if something is queued. */
  start(opts?: AutoFlushOptions): void;
  /** A write was queued. */
  afterWrite(opts?: { interactive?: boolean }): void;
  /** Items were re-queued (retry): flush after the debounce. */
  soon(): void;
  /** The network is back: flush now if anything is queued. */
  now(): void;
  /** Turns auto-flush off; `start` turns it on again. */
  stop(): void;
  /** Off for good (the outbox is closing). */
  close(): void;
}

export function createFlushScheduler(deps: FlushSchedulerDeps): FlushScheduler {
  const { clock } = deps;
  let config: { debounceMs: number; maxWaitMs: number } | null = null;
  let closed = false;
  /** When the current burst of writes began (reset when its flush starts). */
  let burstStart: number | null = null;
  let timer: { cancel: () => void; at: number } | null = null;
  let wantInteractive = false;

  const cancelTimer = (): void => {
    timer?.cancel();
    timer = null;
  };

  const fire = (): void => {
    timer = null;
    burstStart = null;
    const interactive = wantInteractive;
    wantInteractive = false;
    void deps.flush({ interactive }).then((r) => {
      if (r.stopped?.retryAt !== undefined) schedule(r.stopped.retryAt - clock.now());
      else if (!r.stopped && deps.pendingCount() > 0) schedule(config?.debounceMs ?? 0);
    });
  };

  /** Flushes in `delayMs`, unless a flush is already due sooner. */
  const schedule = (delayMs: number): void => {
    if (!config || closed) return;
    const at = clock.now() + Math.max(0, delayMs);
    if (timer && timer.at <= at) return;
    timer?.cancel();
    timer = { cancel: clock.setTimeout(fire, Math.max(0, delayMs)), at };
  };

  return {
    start({ debounceMs = FLUSH_DEBOUNCE_MS, maxWaitMs = FLUSH_MAX_WAIT_MS } = {}) {
      config = { debounceMs, maxWaitMs: Math.max(debounceMs, maxWaitMs) };
      if (deps.pendingCount() > 0) schedule(debounceMs);
    },

    afterWrite({ interactive = false } = {}) {
      if (interactive) wantInteractive = true;
      if (!config || closed) return;
      const now = clock.now();
      burstStart ??= now;
      // Trailing debounce, never past the burst's max wait.
      const at = Math.min(now + config.debounceMs, burstStart + config.maxWaitMs);
      if (timer && timer.at !== at) cancelTimer();
      schedule(at - now);
    },

    soon() {
      schedule(config?.debounceMs ?? 0);
    },

    now() {
      if (deps.pendingCount() === 0) return;
      cancelTimer();
      schedule(0);
    },

    stop() {
      config = null;
      cancelTimer();
    },

    close() {
      closed = true;
      config = null;
      cancelTimer();
    },
  };
}
