/**
 * The global shortcut that opens the popover: one accelerator at a time; `set` answers
 * whether the OS gave it to us (false when taken or not a valid accelerator).
 */
import type { GlobalShortcut } from 'electron';

/** Default accelerator for opening the popover (also the core's settings default). */
export const DEFAULT_SHORTCUT = 'CommandOrControl+Shift+E';

export interface ShortcutControl {
  set(accelerator: string | null): boolean;
  dispose(): void;
}

export function createShortcutControl(globalShortcut: GlobalShortcut, onPress: () => void): ShortcutControl {
  let current: string | null = null;
  return {
    set(accelerator) {
      if (current) globalShortcut.unregister(current);
      current = null;
      if (!accelerator) return true;
      try {
        if (!globalShortcut.register(accelerator, onPress)) return false;
        current = accelerator;
        return true;
      } catch {
        return false; // not a valid accelerator
      }
    },
    dispose: () => globalShortcut.unregisterAll(),
  };
}
