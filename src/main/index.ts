/**
 * The Electron shell's entry: thin glue that builds the core with Electron adapters and
 * wires it to the tray, the windows, IPC, the OS (login item, shortcut, power, deep
 * links) and the local socket the CLI uses. All decisions live in tested modules.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, globalShortcut, Menu, screen } from 'electron';
import { createAppCore } from '../core/app/index';
import type { AppCore, ShellEffects } from '../core/app/types';
import { systemClock, type Notifier } from '../core/ports';
import { remoteSocketPath } from '../core/remote/protocol';
import { startRemoteServer, type RemoteServer } from '../core/remote/server';
import type { RemoteCommand } from '../core/remote/protocol';
import { DEFAULT_EXIST_URL } from '../shared/domain';
import type { SenderInfo, Settings } from '../shared/ipc-contract';
import { assertNever } from '../shared/result';
import { showElectronNotification } from './adapters/notifier';
import { createOpener } from './adapters/opener';
import { electronPowerEvents } from './adapters/power';
import { electronSecretStore } from './adapters/secret-store';
import { appMenuTemplate } from './app-menu';
import { registerIpc } from './ipc';
import { HIDDEN_FLAG, setLaunchAtLogin } from './login-item';
import { PROTOCOL, parseLaunchArgs } from './launch-args';
import { createSandboxLauncher } from './sandbox-launcher';
import { createTray, type AppTray } from './tray';
import { popoverPosition, type Point, type Rect } from './tray-position';
import { createWindows, hardenAllWebContents, POPOVER_SIZE, rendererOrigins, type AppWindows } from './windows';

/** Default accelerator for opening the popover (also the core's settings default). */
export const DEFAULT_SHORTCUT = 'CommandOrControl+Shift+E';

/** Calls made by the shell itself (tray menu, socket, deep links) rather than a page. */
const INTERNAL: SenderInfo = { url: 'internal:', trusted: true };

const log = (message: string, error?: unknown) =>
  console.error(`[exist-tray] ${message}${error instanceof Error ? `: ${error.message}` : ''}`);

const isArgvData = (d: unknown): d is { argv: string[] } =>
  typeof d === 'object' &&
  d !== null &&
  Array.isArray((d as { argv?: unknown }).argv) &&
  (d as { argv: unknown[] }).argv.every((a) => typeof a === 'string');

function main(): void {
  const platform = process.platform;
  // Register exist-tray:// (in development the Electron binary needs the app path too).
  if (process.defaultApp && process.argv[1])
    app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(PROTOCOL);

  // One instance; a second launch hands its arguments over and exits.
  if (!app.requestSingleInstanceLock({ argv: process.argv })) {
    app.quit();
    return;
  }

  const launches: { argv: string[]; second: boolean }[] = [{ argv: process.argv, second: false }];
  let onLaunch: ((argv: string[], second: boolean) => void) | null = null;
  const launch = (argv: string[], second: boolean) =>
    onLaunch ? onLaunch(argv, second) : launches.push({ argv, second });
  app.on('second-instance', (_event, argv, _cwd, data) => launch(isArgvData(data) ? data.argv : argv, true));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    launch(['', url], true);
  });
  // A tray app keeps running with every window closed.
  app.on('window-all-closed', () => undefined);

  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });

  void app.whenReady().then(async () => {
    const ctx = await start(platform, () => quitting).catch((e: unknown) => {
      // Nothing to run without the core: say why, once, and quit (nothing queued is lost: it is on disk).
      log('Exist Tray could not start', e);
      dialog.showErrorBox('Exist Tray could not start', e instanceof Error ? e.message : String(e));
      app.quit();
      return null;
    });
    if (!ctx) return;
    onLaunch = ctx.applyLaunch;
    for (const l of launches.splice(0)) ctx.applyLaunch(l.argv, l.second);

    let cleaned = false;
    app.on('will-quit', (event) => {
      if (cleaned) return;
      event.preventDefault();
      void ctx.stop().finally(() => {
        cleaned = true;
        app.quit();
      });
    });
  });
}

async function start(platform: NodeJS.Platform, isQuitting: () => boolean) {
  if (platform === 'darwin') app.dock?.hide();
  const here = dirname(fileURLToPath(import.meta.url)); // out/main
  const dataDir = app.getPath('userData');
  const buildDir = app.isPackaged ? join(process.resourcesPath, 'build') : join(app.getAppPath(), 'build');
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const existUrl = process.env.EXIST_TRAY_EXIST_URL || undefined;
  const appIcon = join(buildDir, 'icon.png');

  let sandboxUrl: string | null = null;
  let settings: Settings | null = null;
  let windows: AppWindows | null = null;
  let tray: AppTray | null = null;
  let shortcut: string | null = null;

  const opener = createOpener(() => ({ existUrl: existUrl ?? DEFAULT_EXIST_URL, sandboxUrl }));
  const openVetted = (url: string) =>
    void opener.openExternal(url).catch((e: unknown) => log('Refused to open a link', e));
  const origins = rendererOrigins({ rendererDir: join(here, '../renderer'), devServerUrl });
  hardenAllWebContents(app, origins, openVetted);

  // The core decides what to show and how often (src/core/app/notices.ts); this only shows it.
  const notifier: Notifier = { notify: (n) => showElectronNotification(n, appIcon) };
  const power = electronPowerEvents({ clock: systemClock });

  const showPopover = () => windows?.showPopoverAt(placePopover(platform, tray?.bounds() ?? null));
  const setShortcut = (accelerator: string | null): boolean => {
    if (shortcut) globalShortcut.unregister(shortcut);
    shortcut = null;
    if (!accelerator) return true;
    try {
      if (!globalShortcut.register(accelerator, showPopover)) return false;
      shortcut = accelerator;
      return true;
    } catch {
      return false; // not a valid accelerator
    }
  };

  const shell: ShellEffects = {
    closePopover: () => windows?.hidePopover(),
    openSettings: (tab) => windows?.openSettings(tab),
    setLaunchAtLogin: (enabled) => setLaunchAtLogin(app, enabled, platform),
    setGlobalShortcut: setShortcut,
    setPendingCount: (n) => tray?.setPending(n),
  };

  const core: AppCore = createAppCore({
    whenOutboxLocked: 'wait',
    dataDir,
    secrets: electronSecretStore(dataDir, () => settings?.allowPlaintextSecrets ?? false),
    notifier,
    opener,
    clock: systemClock,
    power,
    shell,
    sandbox: createSandboxLauncher(dataDir, (url) => {
      sandboxUrl = url;
    }),
    ...(existUrl ? { existUrl } : {}),
    info: { name: 'exist-tray', productName: 'Exist Tray', version: app.getVersion(), platform, host: 'electron' },
  });

  core.onPush((channel, payload) => {
    if (channel === 'settings:changed') settings = payload as Settings;
  });
  settings = await core.invoke['settings:get']({}, INTERNAL).catch(() => null);

  windows = createWindows({
    preloadPath: join(here, '../preload/index.cjs'),
    rendererDir: join(here, '../renderer'),
    devServerUrl,
    platform,
    openExternal: openVetted,
    isQuitting,
    icon: appIcon,
  });
  const ipc = registerIpc({
    core,
    origins,
    isOwnWebContents: (wc) => windows?.isOwnWebContents(wc) ?? false,
    windows: () => windows?.all() ?? [],
    log,
  });

  const syncNow = () => void core.commands.syncNow().catch((e: unknown) => log('Sync failed', e));
  tray = createTray(buildDir, platform, {
    toggle: (bounds) => windows?.togglePopover(() => placePopover(platform, bounds)),
    open: showPopover,
    settings: () => windows?.openSettings(),
    syncNow,
    quit: () => app.quit(),
  });
  Menu.setApplicationMenu(
    platform === 'darwin'
      ? Menu.buildFromTemplate(
          appMenuTemplate({ settings: () => windows?.openSettings(), syncNow, quit: () => app.quit() }),
        )
      : null,
  );
  if (settings?.globalShortcut !== null && !setShortcut(settings?.globalShortcut ?? DEFAULT_SHORTCUT)) {
    log(`The shortcut ${settings?.globalShortcut ?? DEFAULT_SHORTCUT} is taken; choose another in Settings → General`);
  }

  const unsubscribeResume = power.onResume(
    () => void core.commands.wake().catch((e: unknown) => log('Wake failed', e)),
  );

  const apply = async (cmd: RemoteCommand): Promise<unknown> => {
    switch (cmd.command) {
      case 'increment':
        return core.commands.increment(cmd.args.name, cmd.args.delta, cmd.args.date);
      case 'set':
        return core.commands.set(cmd.args.name, cmd.args.value, cmd.args.date);
      case 'sync':
        await core.commands.syncNow();
        return core.invoke['sync:get']({}, INTERNAL);
      case 'status': {
        const [sync, account] = await Promise.all([
          core.invoke['sync:get']({}, INTERNAL),
          core.invoke['account:get']({}, INTERNAL),
        ]);
        return {
          running: true,
          account: account.status,
          pending: sync.pending,
          failed: sync.failed.length,
          lastSyncAt: sync.lastSyncAt,
        };
      }
      default:
        return assertNever(cmd, 'remote command');
    }
  };

  let remote: RemoteServer | null = null;
  try {
    remote = await startRemoteServer(remoteSocketPath(dataDir), apply, {
      onInternalError: (e) => log('Socket command failed', e),
    });
  } catch (e) {
    log('The command-line socket is not available', e);
  }

  await core.start();
  // First run (no account yet): open Settings → Account, which offers the local sandbox.
  const account = await core.invoke['account:get']({}, INTERNAL).catch(() => null);
  if (account?.status === 'disconnected' && !process.argv.includes(HIDDEN_FLAG)) windows.openSettings('account');

  const describe = (cmd: RemoteCommand): string => {
    switch (cmd.command) {
      case 'increment':
        return `${cmd.args.name} ${cmd.args.delta >= 0 ? '+' : ''}${cmd.args.delta}${cmd.args.date ? ` on ${cmd.args.date}` : ''}`;
      case 'set':
        return `${cmd.args.name} set to ${cmd.args.value}${cmd.args.date ? ` on ${cmd.args.date}` : ''}`;
      case 'sync':
        return 'Sync';
      case 'status':
        return 'Status';
      default:
        return assertNever(cmd, 'remote command');
    }
  };

  return {
    /** A launch's argv (this one, a second instance's, or a deep link). */
    applyLaunch(argv: string[], second: boolean) {
      const parsed = parseLaunchArgs(argv);
      if (!parsed.ok) {
        notifier.notify({ kind: 'info', title: 'Exist Tray could not apply that', body: parsed.error.message });
        return;
      }
      if (parsed.value === null) {
        if (second || !argv.includes(HIDDEN_FLAG)) showPopover();
        return;
      }
      const cmd = parsed.value;
      apply(cmd).then(
        () => notifier.notify({ kind: 'info', title: 'Exist Tray', body: `${describe(cmd)}: queued` }),
        (e: unknown) =>
          notifier.notify({
            kind: 'info',
            title: 'Exist Tray could not apply that',
            body: e instanceof Error ? e.message : String(e),
          }),
      );
    },
    async stop() {
      unsubscribeResume();
      globalShortcut.unregisterAll();
      ipc.dispose();
      tray?.destroy();
      await remote?.close().catch(() => undefined);
      await core.stop().catch((e: unknown) => log('Stopping the core failed', e));
    },
  };
}

/** Where the popover goes for the given tray bounds (null: unknown, e.g. Linux). */
function placePopover(platform: NodeJS.Platform, bounds: Rect | null): Point {
  const c = screen.getCursorScreenPoint();
  // Wayland reports the pointer as 0,0: treat that as unknown.
  const cursor = c.x === 0 && c.y === 0 ? null : c;
  const display = bounds
    ? screen.getDisplayMatching(bounds)
    : cursor
      ? screen.getDisplayNearestPoint(cursor)
      : screen.getPrimaryDisplay();
  return popoverPosition({
    trayBounds: bounds,
    window: POPOVER_SIZE,
    workArea: display.workArea,
    displayBounds: display.bounds,
    platform,
    cursor,
  });
}

main();
