/**
 * The global shortcut that opens the popover: one accelerator at a time; `set` answers
 * whether the OS gave it to us (false when taken or not a valid accelerator), and
 * `status()` says, in words, what Settings → General should show.
 *
 * Decision: on a Linux Wayland session `register()` answering true is not proof — the
 * desktop may never deliver the key (no GlobalShortcuts portal, or the user declined its
 * dialog) and Electron cannot tell us. There the shortcut is "unavailable" until its first
 * press proves it; `onStatusChange` lets the shell re-announce the settings then.
 */
import type { GlobalShortcut } from 'electron';
import type { ShortcutStatus } from '../shared/ipc-contract';

/** Default accelerator for opening the popover (also the core's settings default). */
export const DEFAULT_SHORTCUT = 'CommandOrControl+Shift+E';

/** A Linux desktop session on Wayland (Electron 45 runs natively on Wayland there). */
export function isWaylandSession(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  return platform === 'linux' && (env.XDG_SESSION_TYPE === 'wayland' || !!env.WAYLAND_DISPLAY);
}

export interface ShortcutControl {
  set(accelerator: string | null): boolean;
  status(): ShortcutStatus;
  dispose(): void;
}

export interface ShortcutOptions {
  /** A Linux Wayland session (isWaylandSession). */
  wayland?: boolean;
  /** Called when the status changes outside `set` (a first press confirmed it). */
  onStatusChange?: () => void;
}

export const WAYLAND_UNCONFIRMED =
  'This desktop uses Wayland, where an app cannot check that a global shortcut works: Exist Tray asked the desktop for it, but it may never arrive (some desktops ask you to allow it first, others do not offer it). It will show as active once a press reaches the app. Otherwise, add a shortcut in your desktop’s keyboard settings that starts Exist Tray: starting it again opens the popover.';

export const takenReason = (accelerator: string) =>
  `${accelerator} is taken by another app or is not a valid shortcut on this system. Choose another.`;

export function createShortcutControl(
  globalShortcut: GlobalShortcut,
  onPress: () => void,
  options: ShortcutOptions = {},
): ShortcutControl {
  let current: string | null = null;
  let status: ShortcutStatus = { state: 'off', accelerator: null };
  let confirmed = false;
  const pressed = () => {
    if (!confirmed && current) {
      confirmed = true;
      status = { state: 'active', accelerator: current };
      options.onStatusChange?.();
    }
    onPress();
  };
  const register = (accelerator: string): boolean => {
    try {
      return globalShortcut.register(accelerator, pressed);
    } catch {
      return false; // not a valid accelerator
    }
  };
  return {
    set(accelerator) {
      if (current) globalShortcut.unregister(current);
      current = null;
      confirmed = false;
      if (!accelerator) {
        status = { state: 'off', accelerator: null };
        return true;
      }
      if (!register(accelerator)) {
        status = { state: 'unavailable', accelerator, reason: takenReason(accelerator) };
        return false;
      }
      current = accelerator;
      status = options.wayland
        ? { state: 'unavailable', accelerator, reason: WAYLAND_UNCONFIRMED }
        : { state: 'active', accelerator };
      return true;
    },
    status: () => status,
    dispose: () => globalShortcut.unregisterAll(),
  };
}
