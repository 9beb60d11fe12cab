/**
 * Desktop notifications, each condition once: "reconnect needed" or "writes failing"
 * is shown the first time and then stays quiet through every retry until the
 * condition clears (a successful refresh, an empty failure list). Informational
 * notices are never suppressed.
 */
import { Notification } from 'electron';
import type { NotificationKind, Notifier } from '../../core/ports';
import { assertNever } from '../../shared/result';

export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
}

export interface DedupingNotifier extends Notifier {
  /** The condition behind `kind` is over: the next notice of that kind is shown again. */
  clear(kind: NotificationKind): void;
}

export interface DedupingNotifierDeps {
  show(n: Notice): void;
  /** Extra filter (the core already applies the user's notification switches); all on when absent. */
  isEnabled?(kind: NotificationKind): boolean;
}

/** Which notices end which conditions: a refreshed token means reconnecting is no longer needed, and vice versa. */
export function clearedBy(kind: NotificationKind): NotificationKind[] {
  switch (kind) {
    case 'token-refreshed':
      return ['reconnect-needed', 'token-refresh-failed'];
    case 'reconnect-needed':
    case 'token-refresh-failed':
      return ['token-refreshed'];
    case 'writes-failing':
    case 'job-failing':
    case 'info':
      return [];
    default:
      return assertNever(kind, 'notification kind');
  }
}

/** Dedupe key: one per condition; per job for job failures (the title names the job); none for info. */
const dedupeKey = (n: Notice): string | null => (n.kind === 'info' ? null : n.kind === 'job-failing' ? `${n.kind}:${n.title}` : n.kind);

export function createDedupingNotifier(deps: DedupingNotifierDeps): DedupingNotifier {
  const active = new Set<string>();
  const clear = (kind: NotificationKind) => {
    for (const key of [...active]) if (key === kind || key.startsWith(`${kind}:`)) active.delete(key);
  };
  return {
    notify(n) {
      for (const k of clearedBy(n.kind)) clear(k);
      const key = dedupeKey(n);
      if (key !== null) {
        if (active.has(key)) return;
        active.add(key);
      }
      if (deps.isEnabled && !deps.isEnabled(n.kind)) return;
      deps.show(n);
    },
    clear,
  };
}

/** Shows a notice with Electron's Notification (silently skipped where unsupported). */
export function showElectronNotification(n: Notice, icon?: string): void {
  if (!Notification.isSupported()) return;
  new Notification({ title: n.title, body: n.body, ...(icon ? { icon } : {}), silent: n.kind === 'token-refreshed' }).show();
}
