/**
 * Launch at login, per platform, the way Electron 45 supports it:
 * - Windows: `setLoginItemSettings({ openAtLogin, args: ['--hidden'] })` writes the Run
 *   key with the flag, and `getLoginItemSettings` must be asked with the SAME args —
 *   Electron compares them ("The command-line arguments to compare against. Defaults to an
 *   empty array"); asking without them reported "refused" while the key was written.
 * - macOS: `args` are Windows-only, so a login launch carries no `--hidden`; the app
 *   asks `getLoginItemSettings().wasOpenedAtLogin` instead (`launchedHidden`). On macOS 13+
 *   the item can need the user's approval: `status` is said in words, not "refused".
 * - Linux: Electron has no login-item API, so an XDG autostart entry is written
 *   (~/.config/autostart), with the AppImage's own path when running from one.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'electron';
import { UserError } from '../core/errors';
import { HIDDEN_FLAG } from '../core/launch/args';

export { HIDDEN_FLAG };

/** The args a login launch gets (Windows only: macOS ignores them). */
export const LOGIN_ARGS = [HIDDEN_FLAG];

/** An XDG autostart `.desktop` entry that starts the app hidden in the tray. */
export function autostartDesktopEntry(exec: string): string {
  const quoted = /[\s"'\\$`]/.test(exec) ? `"${exec.replace(/(["\\$`])/g, '\\$1')}"` : exec;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Exist Tray',
    'Comment=Write your own data to Exist from the tray',
    `Exec=${quoted} ${HIDDEN_FLAG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'autostart', 'exist-tray.desktop');
}

/** macOS `status` → what the user reads (and whether the item is on). */
export function macLoginStatusMessage(status: string | undefined): string | null {
  switch (status) {
    case undefined:
    case 'enabled':
    case 'not-registered':
      return null;
    case 'requires-approval':
      return 'macOS needs your approval: open System Settings → General → Login Items and allow Exist Tray.';
    case 'not-found':
      return 'macOS could not find Exist Tray to start at login. Move it to the Applications folder and try again.';
    default:
      return `macOS answered “${status}” for launch at login.`;
  }
}

/** Whether this start should stay in the tray: `--hidden` (Windows, Linux) or a macOS login launch. */
export function launchedHidden(
  app: Pick<App, 'getLoginItemSettings'>,
  argv: readonly string[],
  platform: NodeJS.Platform,
): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  if (platform !== 'darwin') return false;
  try {
    return app.getLoginItemSettings().wasOpenedAtLogin === true;
  } catch {
    return false;
  }
}

/**
 * Apply the setting; false when the platform refused (or in development, where it would
 * register the bare Electron binary). A macOS approval state throws a UserError in words.
 */
export function setLaunchAtLogin(app: App, enabled: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (!app.isPackaged) return false;
  if (platform === 'linux') {
    try {
      const file = autostartFile();
      if (enabled) {
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, autostartDesktopEntry(process.env.APPIMAGE || process.execPath), { mode: 0o644 });
      } else {
        rmSync(file, { force: true });
      }
      return true;
    } catch {
      return false;
    }
  }
  if (platform === 'win32') {
    try {
      app.setLoginItemSettings({ openAtLogin: enabled, args: LOGIN_ARGS });
      return app.getLoginItemSettings({ args: LOGIN_ARGS }).openAtLogin === enabled;
    } catch {
      return false;
    }
  }
  let status: string | undefined;
  try {
    app.setLoginItemSettings({ openAtLogin: enabled });
    const got = app.getLoginItemSettings();
    if (got.openAtLogin === enabled) return true;
    status = got.status;
  } catch {
    return false;
  }
  const words = enabled ? macLoginStatusMessage(status) : null;
  if (words) throw new UserError('login-item-needs-approval', words, 'launchAtLogin');
  return false;
}
