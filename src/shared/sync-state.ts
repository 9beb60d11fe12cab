/**
 * The one sync state every surface shows (popover footer, Sync tab, tray tooltip/icon,
 * `exist-tray status`). Built by `syncState` in src/core/sync-state.ts; this file holds
 * only the shape, so the renderer can import it. Types only.
 */

/** Most important first: a surface with room for one word shows `kind`. */
export type SyncStateKind =
  'disconnected' | 'connecting' | 'reconnect' | 'failed' | 'flagged' | 'paused' | 'sending' | 'queued' | 'synced';

/** `offline`: no connection / DNS / no answer in time; `server`: Exist answered with an error (5xx). */
export type PauseReason = 'rate-limit' | 'budget' | 'backoff' | 'offline' | 'server' | 'outbox-busy';

export interface SyncState {
  kind: SyncStateKind;
  /** Writes not yet sent (including the ones being sent). */
  queued: number;
  /** Writes Exist refused. */
  failed: number;
  /** Increments that may have counted twice (never also counted in `failed`). */
  flagged: number;
  sending: boolean;
  pausedUntil: number | null;
  pauseReason: PauseReason | null;
  lastSyncAt: number | null;
  /** Short, for a footer or tooltip: "All synced", "1 failed · 2 queued", "Paused until 14:05 (Exist's hourly limit)". */
  label: string;
  /** One sentence saying what it means and what to do. */
  sentence: string;
  tone: 'ok' | 'busy' | 'warn' | 'error' | 'off';
}
