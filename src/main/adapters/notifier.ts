/**
 * Desktop notifications through Electron. What to show, and how often, is the core's
 * decision (src/core/app/notices.ts: events each time, conditions once until cleared).
 */
import { Notification } from 'electron';
import type { NotificationKind } from '../../core/ports';

export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
}

/** Shows a notice with Electron's Notification (silently skipped where unsupported). */
export function showElectronNotification(n: Notice, icon?: string): void {
  if (!Notification.isSupported()) return;
  new Notification({
    title: n.title,
    body: n.body,
    ...(icon ? { icon } : {}),
    silent: n.kind === 'token-refreshed',
  }).show();
}
