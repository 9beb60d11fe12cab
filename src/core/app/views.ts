/**
 * Pure builders of what the renderer sees. Kept apart from the services so the
 * rules (ordering, which value to show, which state wins) are testable on their own.
 */
import type { Attribute, IsoDate, Profile } from '../../shared/domain';
import type {
  AttributePrefs,
  FailedWriteView,
  ItemSyncState,
  QueuedWriteView,
  OwnedAttributeView,
  SyncView,
  TrayAttributeView,
  TrayView,
  AccountStatus,
} from '../../shared/ipc-contract';
import type { AppError } from '../../shared/result';
import type { ExpectedValue, OutboxSnapshot, QueuedItem, StopReason } from '../outbox';
import { assertNever } from '../../shared/result';
import { describeRefusedWrite } from '../errors/refusal';

export function ownedView(a: Attribute, prefs: AttributePrefs): OwnedAttributeView {
  return {
    name: a.name,
    label: a.label,
    group: { name: a.group.name, label: a.group.label, priority: a.group.priority },
    priority: a.priority,
    template: a.template,
    manual: a.manual,
    valueType: a.value_type,
    valueTypeDescription: a.value_type_description,
    prefs,
  };
}

/** Groups by Exist's group priority, then the user's order, then Exist's attribute priority. */
export function sortOwned(list: OwnedAttributeView[]): OwnedAttributeView[] {
  return [...list].sort(
    (a, b) =>
      a.group.priority - b.group.priority ||
      a.group.name.localeCompare(b.group.name) ||
      a.prefs.order - b.prefs.order ||
      a.priority - b.priority ||
      a.name.localeCompare(b.name),
  );
}

const key = (name: string, date: string) => `${name}\u0000${date}`;

/** Per attribute and day: the state of the newest write that matters most (failed > maybe-doubled > sending > pending > synced). */
export function itemStates(snapshot: OutboxSnapshot): Map<string, { state: ItemSyncState; message: string | null }> {
  const out = new Map<string, { state: ItemSyncState; message: string | null }>();
  const put = (items: readonly QueuedItem[], state: ItemSyncState) => {
    for (const it of items) {
      const k = key(it.op.name, it.op.date);
      if (!out.has(k)) out.set(k, { state, message: it.error ? describeRefusedWrite(it.error).message : null });
    }
  };
  put(snapshot.failed, 'failed');
  put(snapshot.maybeDoubled, 'maybe-doubled');
  put(snapshot.sending, 'sending');
  put(snapshot.pending, 'pending');
  put(snapshot.recent, 'synced');
  return out;
}

export interface TrayInputs {
  account: AccountStatus;
  date: IsoDate;
  today: IsoDate;
  timezone: string;
  profile: Profile | null;
  owned: OwnedAttributeView[];
  snapshot: OutboxSnapshot;
  expected(name: string, date: IsoDate): ExpectedValue | undefined;
  knownTotal(name: string, date: IsoDate): number | string | undefined;
  /** Whether the owned list is known yet (OwnedList.readState). */
  attributes?: TrayView['attributes'];
  /** Server values by attribute (7 days ending at `date`), or null without a read scope. */
  history(name: string): { date: IsoDate; value: number | string | null }[] | null;
}

export function trayView(i: TrayInputs): TrayView {
  const states = itemStates(i.snapshot);
  const groups = new Map<string, TrayView['groups'][number]>();
  for (const a of sortOwned(i.owned)) {
    if (!a.prefs.visible) continue;
    const hist = i.history(a.name);
    const serverValue = hist?.find((h) => h.date === i.date)?.value ?? null;
    const exp = i.expected(a.name, i.date);
    let value: number | string | null;
    let pendingDelta: number | null = null;
    if (exp?.known) value = exp.value;
    else if (exp && typeof exp.value === 'number') {
      const base = i.knownTotal(a.name, i.date) ?? serverValue;
      if (typeof base === 'number') value = base + exp.value;
      else if (hist && base === null)
        value = exp.value; // read scope, and the day is empty
      else {
        value = null;
        pendingDelta = exp.value;
      }
    } else value = i.knownTotal(a.name, i.date) ?? serverValue;
    const s = states.get(key(a.name, i.date));
    const withValues: TrayAttributeView = {
      ...a,
      value,
      pendingDelta,
      state: s?.state ?? null,
      message: s?.message ?? null,
      history: hist ? withExpectedToday(hist, i.date, value) : null,
    };
    const g = groups.get(a.group.name) ?? { ...a.group, attributes: [] };
    g.attributes.push(withValues);
    groups.set(a.group.name, g);
  }
  return {
    account: i.account,
    date: i.date,
    today: i.today,
    timezone: i.timezone,
    profile: i.profile,
    groups: [...groups.values()],
    pending: i.snapshot.pending.length + i.snapshot.sending.length,
    attributes: i.attributes ?? 'read',
  };
}

/** The sparkline's last point shows what the row shows, not the stale server value. */
function withExpectedToday(
  hist: { date: IsoDate; value: number | string | null }[],
  date: IsoDate,
  value: number | string | null,
): { date: IsoDate; value: number | string | null }[] {
  return hist.map((h) => (h.date === date && value !== null ? { date, value } : h));
}

/** `SyncView.lastError` codes that clear up by themselves: waiting is the answer. */
export const TEMPORARY_SYNC_CODES: ReadonlySet<string> = new Set([
  'offline',
  'server',
  'backoff',
  'rate-limited',
  'budget',
  'checking',
]);

/**
 * Why sending stopped, in words for the Sync tab and the CLI (the outbox's own message stays for logs).
 * `previous` is the last stop's words: a flush held back by the back-off (`backoff`) keeps saying
 * what caused it (offline, or Exist's server error) rather than guessing.
 */
export function describeStop(
  stop: { reason: StopReason; message: string; retryAt?: number },
  previous: AppError | null = null,
): AppError {
  const at = stop.retryAt
    ? ` (about ${new Date(stop.retryAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`
    : '';
  const reason =
    stop.reason === 'backoff' && previous?.code === 'offline'
      ? 'network'
      : stop.reason === 'backoff' && previous?.code === 'server'
        ? 'server'
        : stop.reason;
  switch (reason) {
    case 'network':
      return {
        code: 'offline',
        message: `Exist can’t be reached right now (no connection, or no answer in time). Your writes are kept and go out when it answers${at}.`,
      };
    case 'server':
      return {
        code: 'server',
        message: `Exist had a problem (it answered with an error). Your writes are kept; Exist Tray tries again shortly${at}.`,
      };
    case 'backoff':
      return {
        code: 'backoff',
        message: `Exist Tray is waiting a little before trying Exist again. Your writes are kept${at}.`,
      };
    case 'rate-limited':
      // Exist may refuse before 300 calls (a spike, or without saying for how long): no count claimed here.
      return {
        code: 'rate-limited',
        message: `Exist is limiting how often this app may call it. Your writes wait; sending resumes${at}.`,
      };
    case 'checking':
      return {
        code: 'checking',
        message: `Exist did not confirm a write (no answer, or an error). Exist Tray checks that day’s total shortly${at} before sending again, so nothing counts twice.`,
      };
    case 'budget':
      return {
        code: 'budget',
        message: `Holding back to stay within Exist’s 300 calls an hour. Your writes go out soon${at}.`,
      };
    case 'auth':
      return {
        code: 'needs-reconnect',
        message: 'Exist no longer accepts this app’s token. Reconnect in Settings → Account; your writes are kept.',
      };
    case 'journal':
      return { code: 'journal', message: `Exist Tray could not write its outbox file: ${stop.message}` };
    default:
      return assertNever(reason, 'stop reason');
  }
}

const failedView = (it: QueuedItem): FailedWriteView => ({
  id: it.id,
  name: it.op.name,
  date: it.op.date,
  kind: it.op.kind,
  value: it.op.kind === 'increment' ? it.op.delta : it.op.value,
  errorCode: it.error?.code ?? 'unknown',
  // A refusal in words (the one mapper); Exist's raw answer stays behind "Details".
  ...(it.error ? { detail: it.error.message } : {}),
  message:
    (it.error ? describeRefusedWrite(it.error).message : undefined) ??
    it.flag?.message ??
    (it.maybeDoubled
      ? 'Exist did not confirm this increment and it was sent again: it may have counted twice. Check this day in Exist.'
      : 'Failed'),
  at: it.updatedAt,
});

const queuedView = (it: QueuedItem): QueuedWriteView => ({
  id: it.id,
  name: it.op.name,
  date: it.op.date,
  kind: it.op.kind,
  value: it.op.kind === 'increment' ? it.op.delta : it.op.value,
  state: it.state === 'sending' ? 'sending' : 'pending',
  at: it.createdAt,
});

/** How many queued writes the sync view lists (the count covers them all). */
export const QUEUED_LISTED = 100;

export function syncView(
  snapshot: OutboxSnapshot,
  extra: { progress: { sent: number; total: number } | null; lastError: AppError | null; rate: SyncView['rate'] },
): SyncView {
  return {
    pending: snapshot.pending.length + snapshot.sending.length,
    queued: [...snapshot.sending, ...snapshot.pending].slice(0, QUEUED_LISTED).map(queuedView),
    sending: snapshot.sending.length > 0 || extra.progress !== null,
    progress: extra.progress,
    lastSyncAt: snapshot.lastSyncAt,
    lastError: extra.lastError,
    failed: snapshot.failed.map(failedView),
    maybeDoubled: snapshot.maybeDoubled.map(failedView),
    rate: extra.rate,
  };
}
