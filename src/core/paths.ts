import { join } from 'node:path';

/**
 * The folder Electron uses as `app.getPath('userData')` for "Exist Tray", computed
 * without Electron, so the CLI finds the running app's socket and shares its data.
 */
export function defaultAppDataDir(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  home: string,
): string {
  const name = 'Exist Tray';
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', name);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), name);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), name);
  }
}
