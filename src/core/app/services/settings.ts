/**
 * The settings service: the app's settings (launch at login, shortcut, notifications…),
 * applied to the OS through the shell first so a refusal changes nothing.
 */
import type { InvokeHandlers } from '../../../shared/ipc-contract';
import { UserError } from '../../errors';
import type { AppContext } from '../context';

export function settingsHandlers(ctx: AppContext): Pick<InvokeHandlers, 'settings:get' | 'settings:set'> {
  const { prefs, deps } = ctx;
  return {
    'settings:get': async () => prefs.get().settings,
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
      const next = await prefs.update((p) => ({ ...p, settings: { ...p.settings, ...change } }));
      ctx.push('settings:changed', next.settings);
      return next.settings;
    },
  };
}
