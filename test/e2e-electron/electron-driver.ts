/**
 * The scenarios' driver (../electron-sim/scenarios.ts ShellDriver) over the REAL Electron
 * binary, through Playwright's `_electron`: the app folder (package.json → out/main/index.js)
 * is launched as `electron -r ./instrument.cjs <app>`; windows are Playwright pages; tray,
 * menu, shortcut and app calls go into the main process with `electronApp.evaluate`, where
 * ./instrument.cjs holds the app's Tray and records what the app asked of Electron.
 * What it cannot do, and the model can: be another platform than the host's
 * (process.platform is the host's), see BrowserWindow constructor options or a toast's
 * AppUserModelID (`sees`), press the OS's own tray icon (it emits the events the OS would,
 * as the model does). The consent page opens in a Chromium of the test's own (the app's
 * `shell.openExternal` is recorded, never run). Never run here: this machine has no Electron
 * binary (electronBinary() is null and the spec skips).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import type { AppWindow, Observed, Role, ShellDriver, ShellPlatform, WindowName } from '../electron-sim/scenarios';

/** The Electron executable if it is really installed (never triggers a download). */
export function electronBinary(root: string): string | null {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || (rel ? join(dir, 'dist') : null);
  if (!base) return null;
  const p = join(base, rel ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
  return existsSync(p) ? p : null;
}

export const SKIP_REASON =
  'Electron binary not installed: node_modules/electron has no dist/ (it is downloaded on first use and this machine cannot reach the Electron release host). Run `npx install-electron` where there is internet, or set ELECTRON_OVERRIDE_DIST_PATH.';

/** What ./instrument.cjs keeps in the main process (only what the driver reads). */
interface Record_ {
  created: Observed['created'];
  shows: { id: number; urlAtShow: string | null; pageReady: boolean }[];
  consoleErrors: { url: string; text: string }[];
  opened: string[];
  notifications: { title: string }[];
  loginItemSets: Observed['loginItemSets'];
  shortcuts: Map<string, () => void>;
  trayState(): Observed['tray'];
  clickTray(): 'menu' | 'click';
  rightClickTray(): string;
  trayMenuLabels(): string[];
  clickTrayMenu(label: string, focused: unknown): void;
  pressShortcut(accelerator: string): boolean;
}
/**
 * Functions passed to `electronApp.evaluate` are sent as source and run in the main process:
 * they may use only their arguments and globals, so each reads the record itself.
 */
type InMain = { __shellRecord: Record_ };

const nameOf = (url: string | null | undefined): WindowName | null =>
  /\/popover\.html/.test(url ?? '') ? 'popover' : /\/settings\.html/.test(url ?? '') ? 'settings' : null;

function pageWindow(page: Page): AppWindow {
  return {
    text: () => page.locator('body').innerText(),
    waitForText: (text, timeout = 15_000) => page.getByText(text).first().waitFor({ timeout }),
    waitForRole: (role, name, o) =>
      page
        .getByRole(role, { name, exact: o?.exact ?? false })
        .first()
        .waitFor({ timeout: 15_000 }),
    click: (role, name, o) =>
      page
        .getByRole(role, { name, exact: o?.exact ?? false })
        .first()
        .click({ timeout: 10_000 }),
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
  };
}

export async function electronDriver(opts: { binary: string; appDir: string; home: string }): Promise<ShellDriver> {
  const { binary, appDir, home } = opts;
  const platform = process.platform as ShellPlatform;
  mkdirSync(join(home, 'config'), { recursive: true });
  // The data folder and the autostart folder inside `home`: never the desktop user's own.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RENDERER_URL') env[k] = v;
  Object.assign(env, { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), NODE_ENV: 'production' });
  const userDataArg = `--user-data-dir=${join(home, 'userData')}`;
  const app: ElectronApplication = await _electron.launch({
    executablePath: binary,
    args: ['-r', join(import.meta.dirname, 'instrument.cjs'), appDir, userDataArg],
    env,
  });
  const proc = app.process();
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  let browser: Browser | null = null;
  let browserPage: Page | null = null;

  const findPage = (name: WindowName) => app.windows().find((p) => nameOf(p.url()) === name);

  return {
    platform,
    home,
    sees: { createOptions: false, toastAumid: false },
    async window(name) {
      const end = Date.now() + 30_000;
      let page = findPage(name);
      while (!page) {
        if (Date.now() > end) throw new Error(`no ${name} window within 30 s`);
        await new Promise((r) => setTimeout(r, 100));
        page = findPage(name);
      }
      await page.waitForLoadState('load');
      return pageWindow(page);
    },
    async observe() {
      const r = await app.evaluate(({ BrowserWindow }) => {
        const rec = (globalThis as unknown as InMain).__shellRecord;
        const windows = BrowserWindow.getAllWindows().map((w) => ({
          id: w.id,
          url: w.webContents.getURL(),
          visible: w.isVisible(),
          size: w.getSize() as [number, number],
        }));
        return {
          windows,
          created: rec.created,
          shows: rec.shows,
          consoleErrors: rec.consoleErrors,
          opened: rec.opened,
          notifications: rec.notifications,
          loginItemSets: rec.loginItemSets,
          shortcuts: [...rec.shortcuts.keys()],
          tray: rec.trayState(),
        };
      });
      const loginItems: Observed['loginItems'] =
        platform === 'win32'
          ? await app.evaluate(({ app: a }) =>
              a
                .getLoginItemSettings({ args: ['--hidden'] })
                .launchItems.map(
                  (i) => [i.name, { path: i.path, args: i.args }] as [string, { path: string; args: string[] }],
                ),
            )
          : [];
      const urlOf = (id: number) => r.windows.find((w) => w.id === id)?.url ?? null;
      return {
        created: r.created,
        shows: r.shows.map((s) => ({
          window: nameOf(urlOf(s.id) ?? s.urlAtShow),
          urlAtShow: s.urlAtShow,
          pageReady: s.pageReady,
        })),
        windows: r.windows.map((w) => ({ name: nameOf(w.url), url: w.url, visible: w.visible, size: w.size })),
        consoleErrors: r.consoleErrors.filter((e) => /\/renderer\//.test(e.url)).map((e) => e.text),
        opened: r.opened,
        notifications: r.notifications,
        tray: r.tray,
        shortcuts: r.shortcuts,
        loginItemSets: r.loginItemSets,
        loginItems,
      };
    },
    clickTray: () => app.evaluate(() => (globalThis as unknown as InMain).__shellRecord.clickTray()),
    rightClickTray: () => app.evaluate(() => (globalThis as unknown as InMain).__shellRecord.rightClickTray()),
    trayMenuLabels: () => app.evaluate(() => (globalThis as unknown as InMain).__shellRecord.trayMenuLabels()),
    clickTrayMenu: (label) =>
      app.evaluate(
        ({ BrowserWindow }, l) =>
          (globalThis as unknown as InMain).__shellRecord.clickTrayMenu(l, BrowserWindow.getFocusedWindow()),
        label,
      ),
    pressShortcut: (accelerator) =>
      app.evaluate((_e, a) => (globalThis as unknown as InMain).__shellRecord.pressShortcut(a), accelerator),
    async secondInstance(argv) {
      // A real second process: it takes the single-instance lock's "no", hands argv over and exits.
      const second = spawn(binary, [appDir, userDataArg, ...argv], { env, stdio: 'ignore' });
      await new Promise<void>((resolve, reject) => {
        second.once('error', reject);
        second.once('exit', () => resolve());
      });
    },
    foreignGetInfo: () =>
      // A window that is not one of ours (a data: page) with our preload's bridge: the real sender check must refuse it.
      app.evaluate(
        async ({ BrowserWindow }, preload) => {
          const w = new BrowserWindow({
            show: false,
            webPreferences: { preload, sandbox: true, contextIsolation: true },
          });
          try {
            await w.loadURL('data:text/html,<title>not ours</title>');
            return (await w.webContents.executeJavaScript('globalThis.existTray.app.getInfo({})')) as unknown;
          } finally {
            w.destroy();
          }
        },
        join(appDir, 'out', 'preload', 'index.cjs'),
      ),
    async browserOpen(url) {
      const linuxChromium =
        process.platform === 'linux' && existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
      browser ??= await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? linuxChromium });
      browserPage ??= await browser.newPage();
      await browserPage.goto(url);
    },
    async browserClick(role: Role, name: string) {
      if (!browserPage) throw new Error('browserOpen first');
      await browserPage.getByRole(role, { name }).first().click({ timeout: 10_000 });
      await browserPage.waitForLoadState('load');
      return browserPage.url();
    },
    exited: () => exited,
    async close() {
      await browser?.close().catch(() => undefined);
      await app.close().catch(() => undefined);
    },
  };
}
