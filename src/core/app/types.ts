/**
 * The seam between the electron-free core and its hosts (the Electron shell, the
 * browser host, tests). A host supplies ports and shell effects; the core answers
 * every IPC channel and pushes changes. See ARCHITECTURE.md.
 */
import type { LaunchAction } from '../launch/apply';
import type {
  InvokeHandlers,
  PushChannel,
  PushContract,
  SendHandlers,
  SettingsTab,
  ShortcutStatus,
} from '../../shared/ipc-contract';
import type { TrayState } from '../traystate';
import type { Clock, FetchLike, Notifier, Opener, PowerEvents, SecretStore } from '../ports';

/** What the core asks of the window layer. The browser host represents these in the page. */
export interface ShellEffects {
  closePopover(): void;
  openSettings(tab?: SettingsTab): void;
  /** Apply OS-level settings; return false when the platform refused. */
  setLaunchAtLogin(enabled: boolean): boolean;
  setGlobalShortcut(accelerator: string | null): boolean;
  /** What became of the shortcut (the Electron shell; Wayland cannot confirm a registration). */
  shortcutStatus?(): ShortcutStatus;
  /** Tooltip/badge with the pending count. */
  setPendingCount(n: number): void;
  /** The tray's state: icon variant, tooltip, Linux menu header, macOS title (src/core/traystate). */
  setTrayState?(state: TrayState): void;
  /** Show the popover, on one attribute (a reminder's "Open"). */
  showPopover?(focus?: string): void;
}

/** Starts the embedded Exist sandbox on demand ("Try it with the local sandbox"). */
export interface SandboxLauncher {
  start(): Promise<{ url: string; clientId: string; clientSecret: string }>;
  stop(): Promise<void>;
}

export interface AppCoreDeps {
  dataDir: string;
  /** safeStorage-backed in the app; a 0600 file for the CLI and the browser host. */
  secrets: SecretStore;
  notifier: Notifier;
  opener: Opener;
  clock: Clock;
  power?: PowerEvents;
  fetch?: FetchLike;
  shell: ShellEffects;
  sandbox?: SandboxLauncher;
  /** Exist's base URL for real accounts; https://exist.io unless configured. */
  existUrl?: string;
  /** The OAuth redirect URI; http://localhost:8000/ (registered at Exist) unless a test needs another port. */
  redirectUri?: string;
  /** Send queued writes on their own (the app, the browser host). The CLI sends only on `sync`. Default true. */
  autoFlush?: boolean;
  /**
   * When another process holds this account's outbox (a `exist-tray sync` from cron):
   * `fail` start() (the CLI reports it), or `wait` and open it once it is free (the app).
   * Default `fail`.
   */
  whenOutboxLocked?: 'fail' | 'wait';
  /** How long after the last click of a burst it is sent. Default 750 ms (at most 5 s after the first). */
  flushDebounceMs?: number;
  info: { name: string; productName: string; version: string; platform: string; host: 'electron' | 'browser' | 'cli' };
}

export type PushListener = <K extends PushChannel>(channel: K, payload: PushContract[K]) => void;

export interface AppCore {
  invoke: InvokeHandlers;
  send: SendHandlers;
  /** Subscribe to main → renderer pushes; returns the unsubscribe function. */
  onPush(listener: PushListener): () => void;
  /** Commands from outside the renderer: tray menu, deep links, second instance, CLI socket. */
  commands: {
    syncNow(): Promise<void>;
    increment(name: string, delta: number, date?: string): Promise<{ id: string }>;
    set(name: string, value: number | string, date?: string): Promise<{ id: string }>;
    /** Re-check token expiry and flush the outbox (after sleep/resume, network back). */
    wake(): Promise<void>;
    /**
     * A launch (argv or `exist-tray://` link) → what to do: the deep-link policy
     * (src/core/launch/policy.ts) — a link's write is proposed in the popover, not applied.
     * The shell passes it to createLaunchHandler as `decide`.
     */
    decideLaunch?(argv: readonly string[], second: boolean): LaunchAction;
  };
  start(): Promise<void>;
  stop(): Promise<void>;
}
