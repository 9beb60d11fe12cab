/**
 * The ONE chunked timer: wait until a clock time that may be months away (a token's
 * renewal, a monthly job) without ever arming a timer longer than `maxChunkMs`. Node's
 * timers overflow past 2^31−1 ms (~24.8 days), and a machine that sleeps or whose clock
 * is changed must notice at its next chunk, not weeks late. Each chunk wakes, compares the
 * clock with when it expected to wake (`onChunk(driftMs)`), and re-arms until `at`.
 */
import type { Clock } from '../ports';

/** The longest delay setTimeout accepts. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface ChunkedTimerOptions {
  /** Longest single timer (default and ceiling MAX_TIMEOUT_MS). */
  maxChunkMs?: number;
  /** After each chunk that did not reach `at` yet, and before `fire`: how far the clock was from the expected wake. */
  onChunk?: (driftMs: number) => void;
}

/** Calls `fire` once the clock reaches `at`; returns the cancel function. */
export function setTimeoutAt(clock: Clock, at: number, fire: () => void, opts: ChunkedTimerOptions = {}): () => void {
  const maxChunk = Math.max(1, Math.min(opts.maxChunkMs ?? MAX_TIMEOUT_MS, MAX_TIMEOUT_MS));
  let cancel: (() => void) | null = null;
  let cancelled = false;
  const arm = () => {
    const chunk = Math.min(Math.max(0, at - clock.now()), maxChunk);
    const expected = clock.now() + chunk;
    cancel = clock.setTimeout(() => {
      cancel = null;
      if (cancelled) return;
      opts.onChunk?.(clock.now() - expected);
      if (clock.now() >= at) fire();
      else arm();
    }, chunk);
  };
  arm();
  return () => {
    cancelled = true;
    cancel?.();
    cancel = null;
  };
}
