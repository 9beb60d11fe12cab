/**
 * The settings service: the app's settings (launch at login, shortcut, notifications…),
 * applied to the OS through the shell first so a refusal changes nothing.
 */
import type { InvokeHandlers, Settings } from '../../../shared/ipc-contract';
import { UserError } from '../../errors';
import type { AppContext } from '../context';

export function settingsHandlers(ctx: AppContext): Pick<InvokeHandlers, 'settings:get' | 'settings:set'> {
  const { prefs, deps } = ctx;
  // The shortcut's status is the shell's answer, never stored: added to every answer and push.
  const view = (settings: Settings): Settings => {
    const shortcutStatus = deps.shell.shortcutStatus?.();
    return shortcutStatus ? { ...settings, shortcutStatus } : settings;
  };
  return {
    'settings:get': async () => view(prefs.get().settings),
    'settings:set': async (change) => {
      const before = prefs.get().settings;
      if (
        change.launchAtLogin !== undefined &&
        change.launchAtLogin !== before.launchAtLogin &&
        !deps.shell.setLaunchAtLogin(change.launchAtLogin)
      )
        throw new UserError(
          'login-item-refused',
          'The system did not allow Exist Tray to change “launch at login”.',
          'launchAtLogin',
        );
      if (
        change.globalShortcut !== undefined &&
        change.globalShortcut !== before.globalShortcut &&
        !deps.shell.setGlobalShortcut(change.globalShortcut)
      )
        throw new UserError(
          'shortcut-refused',
          `The shortcut ${change.globalShortcut} is taken by another app or not valid here. Choose another.`,
          'globalShortcut',
        );
      // The menu-bar title (issue 18) names one of the attributes this app owns.
      if (change.trayTitleAttribute) ctx.session().owned.require(change.trayTitleAttribute);
      const next = await prefs.update((p) => ({ ...p, settings: { ...p.settings, ...change } }));
      ctx.push('settings:changed', view(next.settings));
      return view(next.settings);
    },
  };
}
