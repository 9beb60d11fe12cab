/**
 * The browser host's WebSocket protocol: the IPC contract carried as JSON frames,
 * plus a few host-only messages that stand in for the desktop (tray, notifications,
 * windows). Types only, so the in-page bridge can import it without pulling in zod.
 *
 * Page → host:
 *   {type:'invoke', id, channel, payload}   answered with {id, result}
 *   {type:'send', channel, payload, id?}    answered only when `id` is given
 *   {type:'desk', id, action}               desk page only (tray menu), answered
 * Host → page:
 *   {id, result}                            result is the contract's Result
 *   {push: channel, payload}                a contract push channel, to every page
 *   {host: ...}                             desk page only: shell effects and records
 */
import type { PushChannel, SettingsTab } from '../shared/ipc-contract';
import type { NotificationKind } from '../core/ports';
import type { Result } from '../shared/result';
import type { TrayState } from '../core/traystate';

/** Path of the WebSocket endpoint. */
export const IPC_PATH = '/__host/ipc';
/** Path of the in-page bridge script. */
export const BRIDGE_PATH = '/__host/bridge.js';

/** Which page a socket belongs to: the desk (the simulated desktop) or a renderer page. */
export type SocketRole = 'desk' | 'page';

/** Tray menu actions handled by the host rather than the contract. */
export type DeskAction = 'sync-now' | 'quit';

export type ClientMessage =
  | { type: 'invoke'; id: number | string; channel: string; payload?: unknown }
  | { type: 'send'; id?: number | string; channel: string; payload?: unknown }
  | { type: 'desk'; id: number | string; action: DeskAction };

/** A notification as the desk shows it (what `Notifier.notify` received, plus when). */
export interface HostNotification {
  kind: NotificationKind;
  title: string;
  body: string;
  at: number;
  /** Reminder buttons: the desk answers them with `reminders:act` for the attribute in `ref`. */
  actions?: { id: string; label: string }[];
  ref?: string;
}

/** What the desk needs to draw itself after (re)connecting. */
export interface DeskSnapshot {
  pendingCount: number;
  notifications: HostNotification[];
  opened: string[];
  /** Whether the desk should also open recorded URLs with window.open (the CLI's default). */
  openInBrowser: boolean;
  /** The tray's state (issue 18), once the core said it. */
  trayState: TrayState | null;
}

export type HostMessage =
  | { host: 'snapshot'; snapshot: DeskSnapshot }
  | { host: 'close-popover' }
  | { host: 'open-settings'; tab: SettingsTab | null }
  | { host: 'pending-count'; count: number }
  | { host: 'tray-state'; state: TrayState }
  | { host: 'open-popover'; focus: string | null }
  | { host: 'notification'; notification: HostNotification }
  | { host: 'opened'; url: string }
  | { host: 'quit' };

export type ServerMessage =
  { id: number | string | null; result: Result<unknown> } | { push: PushChannel; payload: unknown } | HostMessage;
