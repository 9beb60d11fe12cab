/**
 * Keeps the access token fresh. Implements `TokenProvider` for the Exist client
 * (single-flight refresh after a 401) and runs a scheduler that refreshes when the
 * remaining lifetime drops under a threshold: `min(30 days, 10% of the lifetime)`.
 *
 * Timers are chunked (core/timers setTimeoutAt, at most `maxTimerMs`, default 1 h) so year-long expiries never
 * overflow `setTimeout` (2^31-1 ms ≈ 24.8 days) and clock jumps (sleep, manual clock
 * changes) are noticed at the next wake; `checkNow()` re-checks at once (call it on
 * resume). Every refresh is saved to the store BEFORE the new token is handed out,
 * because Exist invalidates the old pair as soon as it issues a new one.
 *
 * `invalid_grant` / `invalid_client` → the account becomes `needs-reconnect` (saved,
 * tokens kept for the record), scheduling stops. Network-ish failures → retry with
 * exponential backoff (core/timers exponentialBackoff). This module only ever rewrites the account record: it deletes
 * nothing else (pending writes are not its business).
 */
import type { Clock, PowerEvents } from '../ports';
import type { ExistClient, TokenProvider } from '../exist/client';
import { ExistError, isExistError } from '../exist/errors';
import type { AccountStore, StoredAccount } from './token-store';
import { describeError } from '../errors';
import { exponentialBackoff, setTimeoutAt } from '../timers';

export type TokenEvent =
  | { type: 'refreshed'; expiresAt: number }
  | { type: 'refresh-failed'; reason: string; needsReconnect: boolean; retryAt?: number };

export const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_THRESHOLD_MS = 30 * DAY_MS;
export const DEFAULT_MAX_TIMER_MS = 60 * 60 * 1000;
/** A wake this far from its expected time counts as a clock jump. */
export const CLOCK_JUMP_TOLERANCE_MS = 60_000;

/** OAuth errors that mean the stored grant is dead: only reconnecting helps. */
const FATAL_OAUTH = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/** When to refresh: `min(30 days, 10% of the token's lifetime)` before expiry, unless overridden. */
export function refreshThresholdMs(a: Pick<StoredAccount, 'expiresAt' | 'obtainedAt'>, override?: number): number {
  if (override !== undefined) return override;
  const lifetime = Math.max(0, a.expiresAt - a.obtainedAt);
  return Math.min(MAX_THRESHOLD_MS, lifetime * 0.1);
}

/** The moment the scheduler refreshes this account. */
export function refreshDueAt(a: Pick<StoredAccount, 'expiresAt' | 'obtainedAt'>, override?: number): number {
  return a.expiresAt - refreshThresholdMs(a, override);
}

/** Splits a granted `scope` string (space separated; commas tolerated). */
export function parseScope(scope: string): string[] {
  return scope.split(/[\s,]+/).filter((s) => s.length > 0);
}

export interface TokenManagerOptions {
  store: AccountStore;
  oauth: Pick<ExistClient, 'refreshTokens'>;
  clock: Clock;
  notifier?: (e: TokenEvent) => void;
  /** Override the refresh threshold (ms before expiry). */
  thresholdMs?: number;
  /** Longest single timer; also bounds how late a clock jump is noticed. */
  maxTimerMs?: number;
  /** Backoff after a failed (non-fatal) refresh: starts at `initialMs`, doubles to `maxMs`. */
  retry?: { initialMs?: number; maxMs?: number };
  /** Subscribes `checkNow` to resume events while started. */
  power?: PowerEvents;
  /** Told when a timer woke far from its expected time (diagnostics). */
  onClockJump?: (driftMs: number) => void;
}

export interface TokenManager extends TokenProvider {
  /** Loads the account and starts the scheduler. */
  start(): Promise<void>;
  stop(): void;
  /** Re-evaluates now (after sleep/resume or a clock change): refreshes if due, else reschedules. */
  checkNow(): Promise<void>;
  /** Refreshes at once (user's "refresh" command); rejects with the ExistError on failure. */
  refreshNow(): Promise<StoredAccount>;
  /** Re-reads the store (after connect/logout) and reschedules. */
  reload(): Promise<StoredAccount | null>;
  /** The in-memory account snapshot. */
  current(): StoredAccount | null;
  /** When the scheduler will next refresh (or retry), or null when idle. */
  nextRefreshAt(): number | null;
}

export function createTokenManager(opts: TokenManagerOptions): TokenManager {
  const { store, oauth, clock } = opts;
  const maxTimerMs = Math.max(1, Math.min(opts.maxTimerMs ?? DEFAULT_MAX_TIMER_MS, 2 ** 31 - 1));
  const retryInitial = opts.retry?.initialMs ?? 60_000;
  const retryMax = opts.retry?.maxMs ?? 60 * 60_000;

  let account: StoredAccount | null = null;
  let loaded = false;
  let running = false;
  let cancelTimer: (() => void) | undefined;
  let retryAt: number | undefined;
  let retryAttempts = 0;
  let inflight: Promise<StoredAccount> | null = null;
  /** Bumped by reload() (connect, disconnect): a refresh started before must not save over the result. */
  let generation = 0;
  let unsubscribePower: (() => void) | undefined;

  const emit = (e: TokenEvent): void => {
    try {
      opts.notifier?.(e);
    } catch {
      // A broken notifier must not break token handling.
    }
  };

  const usable = (a: StoredAccount | null): a is StoredAccount => a !== null && a.status === 'connected';

  function dueAt(a: StoredAccount): number {
    return retryAt ?? refreshDueAt(a, opts.thresholdMs);
  }

  function clearTimer(): void {
    cancelTimer?.();
    cancelTimer = undefined;
  }

  function schedule(): void {
    clearTimer();
    if (!running || !usable(account)) return;
    cancelTimer = setTimeoutAt(
      clock,
      dueAt(account),
      () => {
        cancelTimer = undefined;
        void checkNow();
      },
      {
        maxChunkMs: maxTimerMs,
        // A wake far from its expected time means the wall clock jumped (or the machine slept);
        // the chunked timer then re-evaluates from clock.now().
        onChunk: (drift) => {
          if (Math.abs(drift) > CLOCK_JUMP_TOLERANCE_MS) opts.onClockJump?.(drift);
        },
      },
    );
  }

  async function ensureLoaded(): Promise<StoredAccount | null> {
    if (!loaded) {
      account = await store.load();
      loaded = true;
    }
    return account;
  }

  /** Whether the stored account is still the one a refresh started from (not disconnected or replaced meanwhile). */
  async function stillStored(from: StoredAccount, gen: number): Promise<boolean> {
    if (gen !== generation) return false;
    const now = await store.load().catch(() => null);
    return (
      now !== null &&
      now.refreshToken === from.refreshToken &&
      now.baseUrl === from.baseUrl &&
      now.clientId === from.clientId
    );
  }
  const replaced = () => new ExistError('unauthorised', 'The Exist account changed while its token was being renewed.');

  async function doRefresh(staleToken?: string): Promise<StoredAccount> {
    const gen = generation;
    const latest = await store.load();
    loaded = true;
    account = latest;
    if (latest === null) throw new ExistError('unauthorised', 'Not connected to Exist.');
    if (latest.status === 'needs-reconnect') {
      clearTimer();
      throw new ExistError('unauthorised', 'Exist needs you to reconnect this app.');
    }
    // Someone (another call, another process sharing the store) already refreshed.
    if (staleToken !== undefined && latest.accessToken !== staleToken) return latest;

    let tokens;
    try {
      tokens = await oauth.refreshTokens({
        refreshToken: latest.refreshToken,
        clientId: latest.clientId,
        clientSecret: latest.clientSecret,
      });
    } catch (e) {
      if (!(await stillStored(latest, gen))) throw replaced();
      if (isExistError(e) && e.kind === 'oauth' && FATAL_OAUTH.has(e.details.oauthError ?? '')) {
        const dead: StoredAccount = { ...latest, status: 'needs-reconnect' };
        account = dead;
        clearTimer();
        retryAt = undefined;
        try {
          await store.save(dead);
        } finally {
          emit({
            type: 'refresh-failed',
            reason: describeError(e).message, // the OAuth code in words (core/errors/oauth.ts)
            needsReconnect: true,
          });
        }
        throw new ExistError('unauthorised', 'Exist no longer accepts this app\u2019s tokens: reconnect to Exist.', {
          oauthError: e.details.oauthError,
          status: e.details.status,
        });
      }
      const retryDelay = exponentialBackoff({ attempt: ++retryAttempts, baseMs: retryInitial, maxMs: retryMax });
      const serverWait = isExistError(e) ? (e.details.retryAfterMs ?? 0) : 0;
      retryAt = clock.now() + Math.max(retryDelay, serverWait);
      emit({
        type: 'refresh-failed',
        reason: describeError(e).message,
        needsReconnect: false,
        retryAt,
      });
      schedule();
      throw e;
    }

    // A disconnect (or a new connection) while Exist was answering: never write the old
    // account back over it. (Its new pair dies with it, as the user asked.)
    if (!(await stillStored(latest, gen))) throw replaced();
    const now = clock.now();
    const scope = parseScope(tokens.scope);
    const next: StoredAccount = {
      ...latest,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      scope: scope.length > 0 ? scope : latest.scope,
      obtainedAt: now,
      expiresAt: now + tokens.expires_in * 1000,
      status: 'connected',
    };
    // The old pair is dead at Exist now: keep the new one in memory even if saving fails,
    // but hand it out only after a successful save (callers awaiting this promise).
    account = next;
    retryAt = undefined;
    retryAttempts = 0;
    try {
      await store.save(next);
    } catch (e) {
      emit({ type: 'refresh-failed', reason: 'The new token could not be saved.', needsReconnect: false });
      schedule();
      throw e;
    }
    emit({ type: 'refreshed', expiresAt: next.expiresAt });
    schedule();
    return next;
  }

  function refreshOnce(staleToken?: string): Promise<StoredAccount> {
    inflight ??= doRefresh(staleToken).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function checkNow(): Promise<void> {
    const a = await ensureLoaded();
    if (!usable(a)) return clearTimer();
    if (clock.now() >= dueAt(a)) {
      try {
        await refreshOnce();
      } catch {
        // Reported through the notifier; retry is scheduled (or reconnect needed).
      }
      return;
    }
    schedule();
  }

  return {
    async getAccessToken() {
      const a = await ensureLoaded();
      if (a === null) throw new ExistError('unauthorised', 'Not connected to Exist.');
      if (a.status === 'needs-reconnect')
        throw new ExistError('unauthorised', 'Exist needs you to reconnect this app.');
      if (inflight) return (await inflight).accessToken;
      if (clock.now() >= a.expiresAt) return (await refreshOnce()).accessToken;
      return a.accessToken;
    },

    async refreshAfterUnauthorised(staleToken) {
      if (inflight) return (await inflight).accessToken;
      if (usable(account) && account.accessToken !== staleToken) return account.accessToken;
      return (await refreshOnce(staleToken)).accessToken;
    },

    async start() {
      running = true;
      await ensureLoaded();
      if (opts.power && !unsubscribePower) unsubscribePower = opts.power.onResume(() => void checkNow());
      await checkNow();
    },

    stop() {
      running = false;
      clearTimer();
      unsubscribePower?.();
      unsubscribePower = undefined;
    },

    checkNow,

    async refreshNow() {
      retryAt = undefined;
      return refreshOnce();
    },

    async reload() {
      generation++;
      account = await store.load();
      loaded = true;
      retryAt = undefined;
      retryAttempts = 0;
      schedule();
      return account;
    },

    current: () => account,

    nextRefreshAt: () => (running && cancelTimer && usable(account) ? dueAt(account) : null),
  };
}
