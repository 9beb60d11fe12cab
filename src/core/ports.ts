/**
 * Ports: what the electron-free core needs from its host. The Electron shell,
 * the CLI, the browser host and tests each provide their own implementations,
 * so the core never imports electron and runs under plain Node.
 */

/** Time and timers, injectable so tests can drive schedules with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): () => void;
}

/** Wall clock using the platform timers. Long delays must be chunked by callers (setTimeout overflows past 2^31-1 ms). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    return () => clearTimeout(t);
  },
};

export type NotificationKind =
  | 'token-refreshed'
  | 'token-refresh-failed'
  | 'reconnect-needed'
  | 'writes-failing'
  | 'job-failing'
  | 'info'
  | 'reminder';

/** A button on a notification (reminders: "+1 Pages read", "Snooze", "Open"). */
export interface NotificationAction {
  id: string;
  label: string;
}

/**
 * Desktop notifications (Electron Notification in the app; recorded in the page by the browser host).
 * `actions` are buttons where the platform has them (Electron: macOS, Windows; the browser host's
 * desk); `onAction(id)` gets the chosen id, or 'open' for a click on the notification itself.
 */
export interface Notifier {
  notify(n: {
    kind: NotificationKind;
    title: string;
    body: string;
    actions?: NotificationAction[];
    /** What the notification is about (an attribute name), for hosts that answer actions through the contract. */
    ref?: string;
    onAction?: (id: string) => void;
  }): void;
}

/** Opens a vetted URL in the user's system browser. */
export interface Opener {
  openExternal(url: string): Promise<void>;
}

/** String secrets at rest (safeStorage-encrypted in the app; owner-only file for the CLI). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sentences about damaged or moved secrets files (set aside once), shown once each as a notice. */
  readonly warnings?: readonly string[];
}

/** OS power and network events (powerMonitor in the app). Each returns an unsubscribe function. */
export interface PowerEvents {
  onResume(cb: () => void): () => void;
  onOnline?(cb: () => void): () => void;
}

export type FetchLike = typeof fetch;
