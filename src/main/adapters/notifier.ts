/**
 * Desktop notifications through Electron. What to show, and how often, is the core's
 * decision (src/core/app/notices.ts: events each time, conditions once until cleared).
 * Reminders carry actions: buttons on macOS and Windows (Electron's `actions`), and a
 * click on the notification itself answers 'open' everywhere (Linux has no buttons).
 */
import { Notification } from 'electron';
import type { NotificationAction, NotificationKind } from '../../core/ports';

export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
  actions?: NotificationAction[];
  onAction?: (id: string) => void;
}

/** Electron's 'action' event gives the index as a second argument (older) or in a details object (newer). */
function actionIndex(a: unknown, b: unknown): number {
  if (typeof b === 'number') return b;
  const d = (b ?? a) as { actionIndex?: unknown } | undefined;
  return typeof d?.actionIndex === 'number' ? d.actionIndex : -1;
}

/** Shows a notice with Electron's Notification (silently skipped where unsupported). */
export function showElectronNotification(n: Notice, icon?: string, platform: NodeJS.Platform = process.platform): void {
  if (!Notification.isSupported()) return;
  const buttons = platform === 'darwin' || platform === 'win32' ? (n.actions ?? []) : [];
  const note = new Notification({
    title: n.title,
    body: n.body,
    ...(icon ? { icon } : {}),
    ...(buttons.length > 0 ? { actions: buttons.map((a) => ({ type: 'button' as const, text: a.label })) } : {}),
    silent: n.kind === 'token-refreshed',
  });
  if (n.onAction) {
    const act = n.onAction;
    note.on('click', () => act('open'));
    note.on('action', (a: unknown, b: unknown) => {
      const chosen = buttons[actionIndex(a, b)];
      if (chosen) act(chosen.id);
    });
  }
  note.show();
}
