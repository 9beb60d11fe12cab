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
 * - Clicks (interactive writes) are paced from the budget by rate/pacer.ts: the quiet
 *   debounce while the hour is cheap, up to the pacer's 60 s ceiling when it is busy.
 * - Every flush's report is observed, also of flushes others started (a job, an import,
 *   "Sync now"), so a flush stopped by the budget is always resumed at its `retryAt`.
 *
 * The scheduler never sends by itself: it calls `deps.flush`, which the outbox serialises.
 * It only uses the injected clock, so tests and the bench drive it in simulated time.
 */
import type { Clock } from '../ports';
import { afterClickFlush, clickFlushAt, initialPacerState, PACER_DEFAULTS, type PacerConfig } from '../rate/pacer';
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
  /** The rolling hour's calls (the rate budget's status); pacing reads the calls left. */
  budgetStatus?(): { used: number; limit: number };
}

export interface AutoFlushOptions {
  debounceMs?: number;
  maxWaitMs?: number;
  /**
   * Pace clicks (interactive writes) from the budget (rate/pacer.ts): false = the plain
   * debounce for every write. Default on; its quiet debounce is `debounceMs`.
   */
  pacing?: Partial<PacerConfig> | false;
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
  /** Any flush ended (also those others started): come back when it says. */
  observe(report: FlushReport, interactive: boolean): void;
  /** Turns auto-flush off; `start` turns it on again. */
  stop(): void;
  /** Off for good (the outbox is closing). */
  close(): void;
}

interface Config {
  debounceMs: number;
  maxWaitMs: number;
  pacer: PacerConfig | null;
}

export function createFlushScheduler(deps: FlushSchedulerDeps): FlushScheduler {
  const { clock } = deps;
  let config: Config | null = null;
  let closed = false;
  /** The current burst of writes (reset when its flush starts); `clickStart` if it has clicks. */
  let burst: { start: number; clickStart: number | null; lastClick: number } | null = null;
  let timer: { cancel: () => void; at: number } | null = null;
  let wantInteractive = false;
  let pacer = initialPacerState();

  const cancelTimer = (): void => {
    timer?.cancel();
    timer = null;
  };

  const fire = (): void => {
    timer = null;
    const paced = burst?.clickStart != null && config?.pacer;
    burst = null;
    const interactive = wantInteractive;
    wantInteractive = false;
    // Charged only if there is something to send (a job or "Sync now" may have taken it).
    if (paced && config?.pacer && deps.pendingCount() > 0) pacer = afterClickFlush(config.pacer, pacer, clock.now());
    void deps.flush({ interactive });
  };

  /** Flushes in `delayMs`, unless a flush is already due sooner. */
  const schedule = (delayMs: number): void => {
    if (!config || closed) return;
    const at = clock.now() + Math.max(0, delayMs);
    if (timer && timer.at <= at) return;
    timer?.cancel();
    timer = { cancel: clock.setTimeout(fire, Math.max(0, delayMs)), at };
  };

  /** When the current burst should go: the quiet debounce, or the pacer's time for clicks. */
  const burstDueAt = (c: Config, b: NonNullable<typeof burst>, now: number): number => {
    const quiet = Math.min(now + c.debounceMs, b.start + c.maxWaitMs);
    if (!c.pacer || b.clickStart === null) return quiet;
    const st = deps.budgetStatus?.();
    const callsLeft = st ? st.limit - st.used : Number.POSITIVE_INFINITY;
    const info = { now, burstStart: b.clickStart, lastWriteAt: b.lastClick, callsLeft };
    // Background writes in the same burst keep their own (quiet) time; the clicks ride along.
    const clicks = clickFlushAt(c.pacer, pacer, info);
    return b.start < b.clickStart ? Math.min(quiet, clicks) : clicks;
  };

  return {
    start({ debounceMs = FLUSH_DEBOUNCE_MS, maxWaitMs = FLUSH_MAX_WAIT_MS, pacing = {} } = {}) {
      const pacerCfg = pacing === false ? null : { ...PACER_DEFAULTS, debounceMs, ...pacing };
      config = { debounceMs, maxWaitMs: Math.max(debounceMs, maxWaitMs), pacer: pacerCfg };
      if (deps.pendingCount() > 0) schedule(debounceMs);
    },

    afterWrite({ interactive = false } = {}) {
      if (interactive) wantInteractive = true;
      if (!config || closed) return;
      const now = clock.now();
      burst ??= { start: now, clickStart: null, lastClick: now };
      if (interactive) {
        burst.clickStart ??= now;
        burst.lastClick = now;
      }
      const at = burstDueAt(config, burst, now);
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

    observe(r, interactive) {
      if (r.stopped?.retryAt !== undefined) {
        // The retry keeps the stopped flush's right to the click reserve.
        if (interactive) wantInteractive = true;
        schedule(r.stopped.retryAt - clock.now());
      } else if (!r.stopped && deps.pendingCount() > 0 && !timer) schedule(config?.debounceMs ?? 0);
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
