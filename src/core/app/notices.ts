/**
 * Desktop notifications, decided in one place for every host. Events (a token renewed,
 * information) are shown each time; conditions (reconnect needed, writes failing) are
 * shown once and then stay quiet through every retry until the condition clears. Each
 * notice also goes to the renderer (`app:notification`), even when the user turned that
 * kind of desktop notification off.
 */
import type { NotificationView, Settings } from '../../shared/ipc-contract';
import { assertNever } from '../../shared/result';
import type { NotificationKind, Notifier } from '../ports';

/** What a notice may carry besides its words: buttons, and what they are about. */
export type NoticeExtras = Pick<Parameters<Notifier['notify']>[0], 'actions' | 'ref' | 'onAction'>;

export interface Notices {
  /** An event: shown every time (with buttons, for a reminder). */
  notify(kind: NotificationKind, title: string, body: string, extras?: NoticeExtras): void;
  /** A condition: shown once, until `clear(kind)`. */
  once(kind: NotificationKind, title: string, body: string): void;
  /** The condition is over: its next occurrence is shown again. */
  clear(kind: NotificationKind): void;
}

export function createNotices(deps: {
  notifier: Notifier;
  /** The user's switch for this kind of desktop notification. */
  enabled(kind: NotificationKind): boolean;
  onNotice(n: NotificationView): void;
  now(): number;
}): Notices {
  const active = new Set<NotificationKind>();
  const notify = (kind: NotificationKind, title: string, body: string, extras: NoticeExtras = {}) => {
    const { onAction: _onAction, ...shown } = extras; // a function does not cross IPC
    if (deps.enabled(kind)) deps.notifier.notify({ kind, title, body, ...extras });
    deps.onNotice({ kind, title, body, at: deps.now(), ...shown });
  };
  return {
    notify,
    once(kind, title, body) {
      if (active.has(kind)) return;
      active.add(kind);
      notify(kind, title, body);
    },
    clear: (kind) => void active.delete(kind),
  };
}

/** Which of the user's notification switches covers a kind (information is always on). */
export function notificationEnabled(settings: Settings, kind: NotificationKind): boolean {
  switch (kind) {
    case 'token-refreshed':
      return settings.notifications.tokenRefreshed;
    case 'reconnect-needed':
    case 'token-refresh-failed':
      return settings.notifications.reconnectNeeded;
    case 'writes-failing':
    case 'job-failing':
      return settings.notifications.writesFailing;
    case 'info':
    case 'reminder': // each reminder is the user's own choice, switched per attribute
      return true;
    default:
      return assertNever(kind, 'notification kind');
  }
}
