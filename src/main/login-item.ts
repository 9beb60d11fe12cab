/**
 * Launch at login. macOS and Windows: `app.setLoginItemSettings`. Linux has no such
 * API in Electron, so an XDG autostart entry is written (~/.config/autostart), with
 * the AppImage's own path when running from one. The app starts hidden (`--hidden`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'electron';
import { HIDDEN_FLAG } from '../core/launch/args';

export { HIDDEN_FLAG };

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

/** Apply the setting; false when the platform refused (or in development, where it would register the bare Electron binary). */
export function setLaunchAtLogin(app: App, enabled: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (!app.isPackaged) return false;
  try {
    if (platform === 'linux') {
      const file = autostartFile();
      if (enabled) {
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, autostartDesktopEntry(process.env.APPIMAGE || process.execPath), { mode: 0o644 });
      } else {
        rmSync(file, { force: true });
      }
      return true;
    }
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
    return app.getLoginItemSettings().openAtLogin === enabled;
  } catch {
    return false;
  }
}
