/**
 * The app's lifecycle, in Gitify's style: register the protocol, take the single-instance
 * lock, register the launch sources and the quit order, and start the shell once Electron
 * is ready. `boot()` is called by the entry (./index.ts) — importing this module runs
 * nothing, so it can be tested.
 */
import { resolve } from 'node:path';
import { app, dialog } from 'electron';
import { PROTOCOL } from '../core/launch';
import { registerLaunchSources } from './lifecycle/launch-sources';
import { registerQuitOrder } from './lifecycle/quit';
import { log as defaultLog, openLogFile, type Log } from './log';
import { shellPaths } from './paths';
import { registerAppScheme } from './protocol';
import { startShell } from './shell';
import { isWaylandSession } from './shortcut';

export interface BootOptions {
  /** The main bundle's folder (out/main). */
  mainDir: string;
  argv?: readonly string[];
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

/** The app id: electron-builder.yml `appId`, the Windows AppUserModelID toasts are shown under. */
export const APP_ID = 'io.exist.tray';

/**
 * Before `ready`: Wayland sessions get the portal for global shortcuts (Electron 45 uses
 * Wayland natively there, where the X11 grab does nothing); Windows gets the installer's
 * AppUserModelID so notifications appear under "Exist Tray".
 */
export function configurePlatform(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): void {
  if (isWaylandSession(platform, env)) app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
}

/** Registers exist-tray:// (in development the Electron binary needs the app path too). */
export function registerProtocol(argv: readonly string[]): void {
  if (process.defaultApp && argv[1]) app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [resolve(argv[1])]);
  else app.setAsDefaultProtocolClient(PROTOCOL);
}

export function boot(options: BootOptions): void {
  const argv = options.argv ?? process.argv;
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  let log = options.log ?? defaultLog;
  configurePlatform(platform, env);
  registerProtocol(argv);
  registerAppScheme(); // app:// for our pages: privileged before ready, handled in ./windows.ts

  // One instance; a second launch hands its arguments over and exits.
  if (!app.requestSingleInstanceLock({ argv: [...argv] })) {
    app.quit();
    return;
  }
  const launches = registerLaunchSources(app, argv);
  const quit = registerQuitOrder(app);

  void app.whenReady().then(async () => {
    const paths = shellPaths(app, options.mainDir, env);
    if (!options.log) log = openLogFile(paths.dataDir).log;
    log(`Exist Tray ${app.getVersion()} starting on ${platform}`);
    const shell = await startShell({
      platform,
      paths,
      argv,
      env,
      isQuitting: quit.isQuitting,
      log,
    }).catch((e: unknown) => {
      // Nothing to run without the core: say why, once, and quit (nothing queued is lost: it is on disk).
      log('Exist Tray could not start', e);
      dialog.showErrorBox('Exist Tray could not start', e instanceof Error ? e.message : String(e));
      app.quit();
      return null;
    });
    if (!shell) return;
    quit.setCleanup(shell.stop);
    launches.deliverTo(shell.onLaunch);
  });
}
