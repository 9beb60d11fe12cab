/**
 * The tray's state in one pure function: sync state in, {icon variant, tooltip, Linux menu
 * header, macOS title} out. Issue 18: "the purpose of the tray is to show actionable
 * status" (nextcloud #10375) — one look at the icon says whether writes are waiting,
 * failing, paused by the rate limit, or whether Exist needs a reconnect.
 *
 * Decisions: the worst state wins (reconnect > failed > paused > offline > pending > ok);
 * every variant has words (tooltips and the menu header are read by screen readers; the
 * icon alone is never the only signal). The macOS title is only today's value of the one
 * attribute the user chose, never a count (the badge variant already says that).
 */
import type { AccountStatus } from '../../shared/ipc-contract';
import type { PauseReason, SyncState } from '../../shared/sync-state';

export type TrayIconVariant = 'ok' | 'pending' | 'offline' | 'paused' | 'failed' | 'reconnect' | 'disconnected';

export interface TrayStateInput {
  account: AccountStatus;
  /** Writes queued or in flight. */
  pending: number;
  /** Writes Exist refused (kept in the failed list). */
  failed: number;
  /** Why sending stopped, as SyncView.lastError.code: offline, server, backoff, rate-limited, budget, needs-reconnect, … */
  stopCode: string | null;
  /** Rate-limit pause end (ms), if paused. */
  pausedUntil: number | null;
  /** The chosen attribute's today value, already formatted ("12 pages"), for the macOS title. */
  titleValue?: string | null;
}

export interface TrayState {
  iconVariant: TrayIconVariant;
  tooltip: string;
  /** First, disabled item of the Linux menu (AppIndicator has no tooltip). */
  menuHeader: string;
  /** macOS menu-bar title beside the icon; '' for none. */
  title: string;
}

const waiting = (n: number) => `${n} waiting`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The state in words, worst first. */
function describe(i: TrayStateInput): { variant: TrayIconVariant; words: string } {
  if (i.account === 'disconnected') return { variant: 'disconnected', words: 'not connected to Exist' };
  if (i.account === 'needs-reconnect' || i.stopCode === 'needs-reconnect') {
    const kept = i.pending > 0 ? ` (${waiting(i.pending)})` : '';
    return { variant: 'reconnect', words: `reconnect needed${kept}` };
  }
  if (i.failed > 0) return { variant: 'failed', words: `${plural(i.failed, 'write', 'writes')} failed` };
  if (i.pausedUntil !== null && (i.stopCode === 'rate-limited' || i.stopCode === 'budget')) {
    return {
      variant: 'paused',
      words: `paused by Exist's rate limit until ${clock(i.pausedUntil)} (${waiting(i.pending)})`,
    };
  }
  if (i.pending > 0 && i.stopCode === 'offline') {
    return { variant: 'offline', words: `${waiting(i.pending)} — Exist can't be reached` };
  }
  // Exist answered with an error (5xx): it is reachable, so not the offline icon.
  if (i.pending > 0 && i.stopCode === 'server') {
    return { variant: 'paused', words: `${waiting(i.pending)} — Exist had a problem; retrying` };
  }
  if (i.pending > 0 && i.stopCode === 'backoff') {
    return { variant: 'paused', words: `${waiting(i.pending)} — trying Exist again shortly` };
  }
  if (i.pending > 0) return { variant: 'pending', words: `${waiting(i.pending)} to sync` };
  if (i.account === 'connecting') return { variant: 'ok', words: 'connecting…' };
  return { variant: 'ok', words: 'all synced' };
}

export function trayState(i: TrayStateInput): TrayState {
  const { variant, words } = describe(i);
  const sentence = words.charAt(0).toUpperCase() + words.slice(1);
  return {
    iconVariant: variant,
    tooltip: `Exist Tray — ${words}`,
    menuHeader: sentence,
    title: i.titleValue ?? '',
  };
}

const STOP_CODES: Record<PauseReason, string> = {
  offline: 'offline',
  server: 'server',
  backoff: 'backoff',
  'rate-limit': 'rate-limited',
  budget: 'budget',
  'outbox-busy': 'outbox-busy',
};

/** The tray's state from the one sync-state model (src/core/sync-state.ts). */
export function trayStateFrom(s: SyncState, titleValue: string | null = null): TrayState {
  const account: AccountStatus =
    s.kind === 'disconnected'
      ? 'disconnected'
      : s.kind === 'connecting'
        ? 'connecting'
        : s.kind === 'reconnect'
          ? 'needs-reconnect'
          : 'connected';
  return trayState({
    account,
    pending: s.queued,
    failed: s.failed + s.flagged,
    stopCode: s.pauseReason === null ? null : STOP_CODES[s.pauseReason],
    pausedUntil: s.pausedUntil,
    titleValue,
  });
}
