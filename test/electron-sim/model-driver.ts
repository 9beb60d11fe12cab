/**
 * The scenarios' driver (./scenarios.ts ShellDriver) over the Electron model: one simulated
 * Electron process (./driver.ts launchSim) per app, any of linux, darwin, win32. Every
 * gesture is a model control (./child.mjs ops); every observation is read from the model's
 * log, so it sees what the `_electron` driver cannot (constructor options, toast AUMIDs).
 */
import type { Install, Sim, SimOptions, SimPlatform, SimState } from './driver';
import { launchSim } from './driver';
import type { AppWindow, Observed, ShellDriver, WindowName } from './scenarios';

const nameOf = (url: string | null | undefined): WindowName | null =>
  /\/popover\.html/.test(url ?? '') ? 'popover' : /\/settings\.html/.test(url ?? '') ? 'settings' : null;

function observed(s: SimState): Observed {
  const urlOf = (id: unknown) => s.windows.find((w) => w.id === id)?.url ?? null;
  const entries = (type: string) => s.log.filter((e) => e.type === type);
  return {
    created: entries('window-created').map((c) => ({
      show: c.show as boolean,
      backgroundColor: (c.backgroundColor as string | null) ?? null,
    })),
    shows: entries('show').map((e) => ({
      window: nameOf(urlOf(e.id) ?? (e.url as string | null)),
      urlAtShow: (e.url as string | null | undefined) ?? null,
      pageReady: e.pageReady === true,
    })),
    windows: s.windows
      .filter((w) => !w.destroyed)
      .map((w) => ({ name: nameOf(w.url), url: w.url ?? '', visible: w.visible, size: w.size })),
    consoleErrors: entries('console-error')
      .filter((e) => /\/renderer\//.test(String(e.url)))
      .map((e) => String(e.text)),
    opened: s.opened,
    notifications: s.notifications.map((n) => ({ title: n.title, aumid: n.aumid })),
    tray: s.tray,
    shortcuts: s.shortcuts,
    loginItemSets: entries('set-login-item').map((e) => e.settings as Observed['loginItemSets'][number]),
    loginItems: s.loginItems,
  };
}

function modelWindow(sim: Sim, name: WindowName): AppWindow {
  return {
    text: () => sim.call<string>('text', { name }),
    waitForText: (text, timeout) => sim.call('waitForText', { name, text, timeout }).then(() => undefined),
    waitForRole: (role, label, o) =>
      sim.call('waitForRole', { name, role, label, exact: o?.exact ?? false }).then(() => undefined),
    click: (role, label, o) => sim.call('click', { name, role, label, exact: o?.exact ?? false }).then(() => undefined),
    evaluate: <T>(source: string) => sim.call<T>('evaluate', { name, source }),
  };
}

export function modelDriver(opts: {
  platform: SimPlatform;
  install: Install;
  home: string;
  options?: SimOptions;
  env?: Record<string, string>;
}): ShellDriver & { sim: Sim; booted: Promise<void> } {
  const { platform, home } = opts;
  const sim = launchSim({
    platform,
    install: opts.install,
    userData: home,
    argv: [],
    options: opts.options,
    env: { HOME: home, XDG_CONFIG_HOME: `${home}/config`, XDG_SESSION_TYPE: 'x11', ...opts.env },
  });
  const exe = '/opt/exist-tray';
  return {
    sim,
    booted: sim.booted,
    platform,
    home,
    sees: { createOptions: true, toastAumid: true },
    async window(name) {
      await sim.call('waitForWindow', { name });
      return modelWindow(sim, name);
    },
    observe: async () => observed(await sim.state()),
    clickTray: () => sim.call<'menu' | 'click'>('clickTray'),
    rightClickTray: () => sim.call<string>('rightClickTray'),
    trayMenuLabels: () => sim.call<string[]>('trayMenuLabels'),
    clickTrayMenu: (label) => sim.call('clickTrayMenu', { label }).then(() => undefined),
    secondInstance: (argv) =>
      sim.call('secondInstance', { argv: [exe, ...argv], data: { argv: [exe, ...argv] } }).then(() => undefined),
    pressShortcut: (accelerator) => sim.call<boolean>('pressShortcut', { accelerator }),
    foreignGetInfo: () => sim.call('foreignInvoke', { channel: 'app:get-info' }),
    browserOpen: (url) => sim.call('browserOpen', { url }).then(() => undefined),
    browserClick: (role, label) => sim.call<string>('browserClick', { role, label }),
    exited: () => sim.exited,
    async close() {
      sim.kill();
      await sim.exited;
    },
  };
}
