/**
 * The sync state in one place: from the account status and the outbox's sync view to
 * one `SyncState` (src/shared/sync-state.ts) that the popover footer, the Sync tab, the
 * tray tooltip/icon and `exist-tray status` all render. Pure: the caller passes `now`.
 *
 * Decisions:
 * - Precedence disconnected > connecting > reconnect > failed > flagged > paused >
 *   sending > queued > synced; `label` still names every non-zero count, so "synced"
 *   is only ever said when nothing is queued, failed or flagged.
 * - A write listed as failed is not also counted as flagged (the outbox may keep both
 *   marks on one item; a refused write is the stronger fact).
 * - Times are HH:MM (24 h) in the machine's zone unless `timeZone` is given: the
 *   clock the person sees on their screen.
 */
import type { AccountStatus, SyncView } from '../shared/ipc-contract';
import type { PauseReason, SyncState, SyncStateKind } from '../shared/sync-state';
import { clockTime } from './values/day-format';

export type { PauseReason, SyncState, SyncStateKind } from '../shared/sync-state';

export interface SyncStateInput {
  account: AccountStatus;
  sync: Pick<SyncView, 'pending' | 'sending' | 'failed' | 'maybeDoubled' | 'lastSyncAt' | 'lastError' | 'rate'>;
  now: number;
}

const REASON_BY_CODE: Record<string, PauseReason> = {
  'rate-limited': 'rate-limit',
  budget: 'budget',
  backoff: 'backoff',
  offline: 'offline',
  server: 'server',
  'outbox-busy': 'outbox-busy',
};

const REASON_WORDS: Record<PauseReason, string> = {
  'rate-limit': 'Exist’s hourly limit',
  budget: 'staying under Exist’s hourly limit',
  backoff: 'waiting to try again',
  offline: 'Exist can’t be reached',
  server: 'Exist had a problem; retrying',
  'outbox-busy': 'the command line is using the outbox',
};

export { clockTime };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function syncState(input: SyncStateInput, opts: { timeZone?: string } = {}): SyncState {
  const { account, sync, now } = input;
  const failedIds = new Set(sync.failed.map((f) => f.id));
  const failed = sync.failed.length;
  const flagged = sync.maybeDoubled.filter((m) => !failedIds.has(m.id)).length;
  const queued = sync.pending;
  const sending = sync.sending && queued > 0;
  const rateUntil = sync.rate.pausedUntil !== null && sync.rate.pausedUntil > now ? sync.rate.pausedUntil : null;
  const codeReason = sync.lastError ? (REASON_BY_CODE[sync.lastError.code] ?? null) : null;
  // A pause only matters while something waits for it.
  const pauseReason: PauseReason | null =
    queued === 0 ? null : rateUntil !== null ? (codeReason ?? 'rate-limit') : codeReason;
  const pausedUntil = pauseReason ? rateUntil : null;

  const kind: SyncStateKind =
    account === 'disconnected'
      ? 'disconnected'
      : account === 'connecting'
        ? 'connecting'
        : account === 'needs-reconnect'
          ? 'reconnect'
          : failed > 0
            ? 'failed'
            : flagged > 0
              ? 'flagged'
              : pauseReason
                ? 'paused'
                : sending
                  ? 'sending'
                  : queued > 0
                    ? 'queued'
                    : 'synced';

  const pauseText = pauseReason
    ? `${pausedUntil !== null ? `Paused until ${clockTime(pausedUntil, opts.timeZone)}` : 'Paused'} (${REASON_WORDS[pauseReason]})`
    : null;
  const parts: string[] = [];
  if (kind === 'disconnected') parts.push('Disconnected');
  else if (kind === 'connecting') parts.push('Connecting…');
  else if (kind === 'reconnect') parts.push('Reconnect needed');
  if (failed > 0) parts.push(`${failed} failed`);
  if (flagged > 0) parts.push(`${flagged} to check`);
  if (pauseText && kind !== 'disconnected' && kind !== 'reconnect') parts.push(pauseText);
  if (queued > 0) parts.push(sending && parts.length === 0 ? `Sending ${queued}…` : `${queued} queued`);
  if (parts.length === 0) parts.push('All synced');

  return {
    kind,
    queued,
    failed,
    flagged,
    sending,
    pausedUntil,
    pauseReason,
    lastSyncAt: sync.lastSyncAt,
    label: parts.join(' · '),
    sentence: sentenceFor(kind, { queued, failed, flagged, pauseText }),
    tone:
      kind === 'synced'
        ? 'ok'
        : kind === 'sending' || kind === 'queued' || kind === 'connecting'
          ? 'busy'
          : kind === 'disconnected'
            ? 'off'
            : kind === 'failed' || kind === 'reconnect'
              ? 'error'
              : 'warn',
  };
}

function sentenceFor(
  kind: SyncStateKind,
  c: { queued: number; failed: number; flagged: number; pauseText: string | null },
): string {
  const kept = c.queued > 0 ? ` ${plural(c.queued, 'entry waits', 'entries wait')} here until then.` : '';
  switch (kind) {
    case 'disconnected':
      return `Disconnected from Exist. Connect in Settings → Account to sync.${kept}`;
    case 'connecting':
      return 'Waiting for you to allow Exist Tray on the Exist page in your browser.';
    case 'reconnect':
      return `Exist needs you to sign in again: reconnect in Settings → Account.${kept}`;
    case 'failed':
      return `Exist refused ${plural(c.failed, 'entry', 'entries')}: see Settings → Sync to retry or discard.`;
    case 'flagged':
      return `${plural(c.flagged, 'increment', 'increments')} may have counted twice: check the day’s total in Exist.`;
    case 'paused':
      return `${c.pauseText ?? 'Paused'}. ${plural(c.queued, 'entry is', 'entries are')} kept and sent then.`;
    case 'sending':
      return `Sending ${plural(c.queued, 'entry', 'entries')} to Exist.`;
    case 'queued':
      return `${plural(c.queued, 'entry waits', 'entries wait')} to be sent to Exist.`;
    case 'synced':
      return 'Everything you logged is in Exist.';
  }
}
