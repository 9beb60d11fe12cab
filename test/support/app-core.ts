/**
 * Test doubles for `createAppCore`'s deps, shared by the suites that build a whole core
 * (test/core/app, test/core/auth): a shell that does nothing and accepts every OS setting,
 * and the app's info for a host. One home so a new ShellEffects member is added once.
 */
import type { AppCoreDeps, ShellEffects } from '../../src/core/app/types';

/** A window layer with no windows: every effect is a no-op, OS settings are accepted. */
export function quietShell(): ShellEffects {
  return {
    closePopover() {},
    openSettings() {},
    setLaunchAtLogin: () => true,
    setGlobalShortcut: () => true,
    setPendingCount() {},
  };
}

/** `info` for a test core on Linux. */
export function testInfo(host: AppCoreDeps['info']['host'] = 'browser', version = '0'): AppCoreDeps['info'] {
  return { name: 'exist-tray', productName: 'Exist Tray', version, platform: 'linux', host };
}
