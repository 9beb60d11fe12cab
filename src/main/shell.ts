/**
 * The composition root of the Electron shell, run once the app is `ready`: builds the
 * core (./core-host.ts), the windows, IPC, the tray, the menu, the shortcut, the power
 * and socket hooks, and answers `{ onLaunch, stop }` for the lifecycle (./boot.ts).
 * Every decision lives in a tested module; this file only connects them.
 */
import { app, globalShortcut, Menu, nativeTheme, screen } from 'electron';
import { createCommandApplier, createLaunchHandler, HIDDEN_FLAG, INTERNAL_SENDER } from '../core/launch';
import { systemClock, type Notifier } from '../core/ports';
import { DEFAULT_EXIST_URL } from '../shared/domain';
import type { Settings } from '../shared/ipc-contract';
import { showElectronNotification } from './adapters/notifier';
import { createOpener } from './adapters/opener';
import { electronPowerEvents } from './adapters/power';
import { appMenuTemplate } from './app-menu';
import { createCoreHost } from './core-host';
import { registerIpc } from './ipc';
import type { LaunchListener } from './lifecycle/launch-sources';
import type { Log } from './log';
import { launchedHidden, setLaunchAtLogin } from './login-item';
import type { ShellPaths } from './paths';
import { placePopover } from './placement';
import { startRemoteSocket } from './remote-socket';
import { createShortcutControl, DEFAULT_SHORTCUT, isWaylandSession } from './shortcut';
import { createTray, type AppTray } from './tray';
import { createWindows, hardenAllWebContents, rendererOrigins, type AppWindows } from './windows';
import { hidePopoverReturningFocus } from './popover-focus';

export interface ShellDeps {
  platform: NodeJS.Platform;
  paths: ShellPaths;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  isQuitting(): boolean;
  log: Log;
}

export interface RunningShell {
  onLaunch: LaunchListener;
  stop(): Promise<void>;
}

export async function startShell(deps: ShellDeps): Promise<RunningShell> {
  const { platform, paths, log } = deps;
  if (platform === 'darwin') app.dock?.hide();
  const existUrl = deps.env.EXIST_TRAY_EXIST_URL || undefined;

  let sandboxUrl: string | null = null;
  let settings: Settings | null = null;
  let windows: AppWindows | null = null;
  let tray: AppTray | null = null;

  const opener = createOpener(() => ({ existUrl: existUrl ?? DEFAULT_EXIST_URL, sandboxUrl }));
  const openVetted = (url: string) =>
    void opener.openExternal(url).catch((e: unknown) => log('Refused to open a link', e));
  const origins = rendererOrigins(paths);
  hardenAllWebContents(app, origins, openVetted);

  // The core decides what to show and how often (src/core/app/notices.ts); this only shows it.
  const notifier: Notifier = { notify: (n) => showElectronNotification(n, paths.appIcon) };
  const power = electronPowerEvents({ clock: systemClock });
  const showPopover = () => windows?.showPopoverAt(placePopover(screen, platform, tray?.bounds() ?? null));
  // A first press on Wayland confirms the shortcut: Settings hear it through settings:changed.
  const announceSettings = () =>
    void core.invoke['settings:set']({}, INTERNAL_SENDER).catch((e: unknown) => log('Settings push failed', e));
  const shortcut = createShortcutControl(globalShortcut, showPopover, {
    wayland: isWaylandSession(platform, deps.env),
    onStatusChange: announceSettings,
  });

  const core = createCoreHost({
    dataDir: paths.dataDir,
    platform,
    notifier,
    opener,
    power,
    existUrl,
    settings: () => settings,
    onSandboxUrl: (url) => {
      sandboxUrl = url;
    },
    shell: {
      // Esc: hide, and give focus back to where it was (popover-focus.ts; app.hide() on macOS).
      closePopover: () => {
        const w = windows;
        if (!w) return;
        hidePopoverReturningFocus({
          platform,
          hidePopover: () => w.hidePopover(),
          otherWindowVisible: () => w.all().some((x) => x !== w.popover && x.isVisible()),
          hideApp: () => app.hide(),
        });
      },
      openSettings: (tab) => windows?.openSettings(tab),
      setLaunchAtLogin: (enabled) => setLaunchAtLogin(app, enabled, platform),
      setGlobalShortcut: (accelerator) => shortcut.set(accelerator),
      shortcutStatus: () => shortcut.status(),
      setPendingCount: (n) => tray?.setPending(n),
      setTrayState: (state) => tray?.setState(state), // issue 18: icon variant, tooltip, menu header, title
      showPopover: () => showPopover(), // a reminder's "Open"; the row is focused by the popover:focus push
    },
  });
  core.onPush((channel, payload) => {
    if (channel === 'settings:changed') settings = payload as Settings;
  });
  settings = await core.invoke['settings:get']({}, INTERNAL_SENDER).catch(() => null);

  windows = createWindows({
    preloadPath: paths.preloadPath,
    rendererDir: paths.rendererDir,
    devServerUrl: paths.devServerUrl,
    platform,
    openExternal: openVetted,
    isQuitting: deps.isQuitting,
    icon: paths.appIcon,
    dark: () => nativeTheme.shouldUseDarkColors,
    log,
  });
  const ipc = registerIpc({
    core,
    origins,
    isOwnWebContents: (wc) => windows?.isOwnWebContents(wc) ?? false,
    windows: () => windows?.all() ?? [],
    log,
  });

  const syncNow = () => void core.commands.syncNow().catch((e: unknown) => log('Sync failed', e));
  const openSettings = () => windows?.openSettings();
  const quit = () => app.quit();
  tray = createTray(paths.buildDir, platform, {
    toggle: (bounds) => windows?.togglePopover(() => placePopover(screen, platform, bounds)),
    open: showPopover,
    settings: openSettings,
    syncNow,
    quit,
  });
  Menu.setApplicationMenu(
    platform === 'darwin' ? Menu.buildFromTemplate(appMenuTemplate({ settings: openSettings, syncNow, quit })) : null,
  );
  const accelerator = settings?.globalShortcut === undefined ? DEFAULT_SHORTCUT : settings.globalShortcut;
  if (accelerator !== null && !shortcut.set(accelerator))
    log(`The shortcut ${accelerator} is taken; choose another in Settings → General`);
  settings = await core.invoke['settings:get']({}, INTERNAL_SENDER).catch(() => settings);

  const unsubscribeResume = power.onResume(
    () => void core.commands.wake().catch((e: unknown) => log('Wake failed', e)),
  );
  const apply = createCommandApplier(core);
  const remote = await startRemoteSocket(paths.dataDir, apply, log);

  await core.start();
  // A login launch stays in the tray: `--hidden` (Windows, Linux) or macOS's own login flag.
  const hidden = launchedHidden(app, deps.argv, platform);
  // First run (no account yet): open Settings → Account, which offers the local sandbox. That
  // window is this start's window: the popover does not also open (it would only flash behind it).
  const account = await core.invoke['account:get']({}, INTERNAL_SENDER).catch(() => null);
  const firstRun = account?.status === 'disconnected' && !hidden;
  if (firstRun) windows.openSettings('account');
  // macOS: relaunching from Finder, the Dock or Spotlight while running shows the popover.
  if (platform === 'darwin') app.on('activate', showPopover);

  // Links come from any web page: their writes are proposed in the popover (src/core/launch/policy.ts).
  const handleLaunch = createLaunchHandler({ apply, notifier, showPopover, decide: core.commands.decideLaunch });
  return {
    onLaunch: (argv, second) =>
      handleLaunch(
        !second && (hidden || firstRun) && !argv.includes(HIDDEN_FLAG) ? [...argv, HIDDEN_FLAG] : argv,
        second,
      ),
    async stop() {
      unsubscribeResume();
      shortcut.dispose();
      ipc.dispose();
      tray?.destroy();
      await remote?.close().catch(() => undefined);
      await core.stop().catch((e: unknown) => log('Stopping the core failed', e));
    },
  };
}
