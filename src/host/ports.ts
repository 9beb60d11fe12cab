/**
 * The browser host's implementations of the core's ports and shell effects. Instead of
 * the OS, each one records what happened and tells the desk page, so a person sees it
 * and tests can assert on it.
 */
import type { SettingsTab } from '../shared/ipc-contract';
import type { Notifier, Opener } from '../core/ports';
import type { ShellEffects } from '../core/app/types';
import { UserError } from '../core/errors';
import type { HostMessage, HostNotification } from './protocol';
import type { TrayState } from '../core/traystate';

/** What the host's shell effects have been asked to do (for tests and the desk's snapshot). */
export interface ShellRecord {
  pendingCount: number;
  launchAtLogin: boolean | null;
  globalShortcut: string | null;
  /** How many times the core asked to close the popover. */
  popoverCloses: number;
  /** Every tab settings was opened at (null: no tab named). */
  settingsOpened: (SettingsTab | null)[];
  /** The tray's state as the core last set it (icon variant, tooltip, menu header). */
  trayState: TrayState | null;
}

/** Only web pages leave the app: the same rule the Electron shell applies before shell.openExternal. */
export function vetExternalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError('invalid-url', 'That link is not a valid web address.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError('invalid-url', 'Only http and https links can be opened.');
  }
  return parsed.href;
}

export function createHostNotifier(
  record: HostNotification[],
  now: () => number,
  toDesk: (m: HostMessage) => void,
): Notifier {
  return {
    notify(n) {
      const notification: HostNotification = {
        kind: n.kind,
        title: n.title,
        body: n.body,
        at: now(),
        ...(n.actions && n.ref ? { actions: n.actions, ref: n.ref } : {}),
      };
      record.push(notification);
      toDesk({ host: 'notification', notification });
    },
  };
}

/**
 * Records http(s) URLs and shows them on the desk. Anything else is refused and
 * logged, not thrown: callers such as the `shell:open-external` handler fire and forget,
 * and a rejected promise there would be an unhandled rejection that stops Node.
 */
export function createHostOpener(
  record: string[],
  toDesk: (m: HostMessage) => void,
  log: (line: string) => void,
): Opener {
  return {
    async openExternal(url) {
      let vetted: string;
      try {
        vetted = vetExternalUrl(url);
      } catch (e) {
        log(
          `host: refused to open ${JSON.stringify(url.slice(0, 200))}: ${e instanceof Error ? e.message : String(e)}`,
        );
        return;
      }
      record.push(vetted);
      toDesk({ host: 'opened', url: vetted });
    },
  };
}

export function createHostShell(
  record: ShellRecord,
  toDesk: (m: HostMessage) => void,
  pushShowTab: (tab: SettingsTab) => void,
): ShellEffects {
  return {
    closePopover() {
      record.popoverCloses += 1;
      toDesk({ host: 'close-popover' });
    },
    openSettings(tab) {
      record.settingsOpened.push(tab ?? null);
      toDesk({ host: 'open-settings', tab: tab ?? null });
      if (tab) pushShowTab(tab);
    },
    setLaunchAtLogin(enabled) {
      record.launchAtLogin = enabled;
      return true;
    },
    setGlobalShortcut(accelerator) {
      record.globalShortcut = accelerator;
      return true;
    },
    setPendingCount(n) {
      record.pendingCount = n;
      toDesk({ host: 'pending-count', count: n });
    },
    setTrayState(state) {
      record.trayState = state;
      toDesk({ host: 'tray-state', state });
    },
    showPopover(focus) {
      toDesk({ host: 'open-popover', focus: focus ?? null });
    },
  };
}
