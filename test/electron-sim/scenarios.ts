/**
 * The Electron shell's journey, written once, run by two drivers (issue 15: "one spec file,
 * two drivers"):
 *   - the Electron model (./model-driver.ts over ./driver.ts): the real bundle under plain
 *     Node, for linux, darwin and win32, in `npm test` (./shell.port8000.test.ts);
 *   - Playwright's `_electron` (../e2e-electron/electron-driver.ts): the real Electron
 *     binary, host platform only (../e2e-electron/shell.spec.ts; skipped where the binary
 *     is absent).
 * Each step says what a user does and what must hold; the driver says how to do it. The
 * module imports neither vitest nor Playwright's `test`: the runner passes its `expect`.
 * Steps share one running app and run in order. Where a driver cannot observe something
 * (`sees`), the step says so and checks what it can.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ShellPlatform = 'linux' | 'darwin' | 'win32';
export type WindowName = 'popover' | 'settings';
export type Role = 'button' | 'tab' | 'checkbox';

/** One of the app's windows, as the page the user sees. */
export interface AppWindow {
  text(): Promise<string>;
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  waitForRole(role: Role, name: string, o?: { exact?: boolean }): Promise<void>;
  click(role: Role, name: string, o?: { exact?: boolean }): Promise<void>;
  /** A JavaScript expression evaluated in the page (a string: no DOM types here). */
  evaluate<T>(expression: string): Promise<T>;
}

/** What the main process did, as far as the driver can see it. */
export interface Observed {
  /** Each BrowserWindow at creation: shown at once, and its background colour (null: none set / not seen). */
  created: { show: boolean; backgroundColor: string | null }[];
  /** Each show(): the window (by its page now), its URL at the time (null: no page yet), ready-to-show seen before it. */
  shows: { window: WindowName | null; urlAtShow: string | null; pageReady: boolean }[];
  windows: { name: WindowName | null; url: string; visible: boolean; size: [number, number] }[];
  /** console errors and uncaught exceptions from the app's own pages. */
  consoleErrors: string[];
  /** URLs handed to shell.openExternal (the system browser). */
  opened: string[];
  /** aumid: the AppUserModelID a Windows toast went out under (undefined: not observable). */
  notifications: { title: string; aumid?: string | null }[];
  tray: { tooltip: string; image: string | null; template: boolean; menu: string[] | null } | null;
  shortcuts: string[];
  /** Arguments of each app.setLoginItemSettings call. */
  loginItemSets: { openAtLogin?: boolean; args?: string[]; path?: string }[];
  /** Windows: the Run-key entries (name, path, args). */
  loginItems: [string, { path: string; args: string[] }][];
}

export interface ShellDriver {
  readonly platform: ShellPlatform;
  /** The folder standing for the user's home: HOME, XDG_CONFIG_HOME=<dir>/config. */
  readonly home: string;
  /** What this driver can observe beyond the common set. */
  readonly sees: { createOptions: boolean; toastAumid: boolean };
  /** The window's page once it has loaded (waits for the window to exist). */
  window(name: WindowName): Promise<AppWindow>;
  observe(): Promise<Observed>;
  /** A left click on the tray icon as the platform delivers it: 'menu' when the platform opens the menu instead. */
  clickTray(): Promise<'menu' | 'click'>;
  rightClickTray(): Promise<string>;
  /** Labels of the menu the tray last popped up. */
  trayMenuLabels(): Promise<string[]>;
  clickTrayMenu(label: string): Promise<void>;
  /** A second launch of the app with this argv (the single-instance hand-over). */
  secondInstance(argv: string[]): Promise<void>;
  /** Presses a registered global shortcut; false when it is not delivered. */
  pressShortcut(accelerator: string): Promise<boolean>;
  /** `app.getInfo` from a page that is not one of the app's (same session, our preload's bridge). */
  foreignGetInfo(): Promise<unknown>;
  /** The system browser: open a URL, click a control, return the URL it ends on. */
  browserOpen(url: string): Promise<void>;
  browserClick(role: Role, name: string): Promise<string>;
  /** Resolves with the process's exit code once it has exited. */
  exited(): Promise<number | null>;
  close(): Promise<void>;
}

/** The subset of vitest's and Playwright's `expect` the steps use (both fit it). */
export type Expect = (
  actual: unknown,
  message?: string,
) => {
  toBe(v: unknown): void;
  toEqual(v: unknown): void;
  toMatchObject(v: object): void;
  toMatch(v: RegExp): void;
  toContain(v: unknown): void;
  toContainEqual(v: unknown): void;
  toBeNull(): void;
  toBeGreaterThanOrEqual(v: number): void;
  not: { toMatch(v: RegExp): void };
};
export interface ExpectStatic {
  any(c: unknown): unknown;
  stringMatching(r: RegExp): unknown;
  stringContaining(s: string): unknown;
}

export interface Step {
  name: string;
  timeoutMs: number;
  run(d: ShellDriver, expect: Expect, is: ExpectStatic): Promise<void>;
}

export const SHORTCUT = 'CommandOrControl+Shift+E';

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const popoverVisible = async (d: ShellDriver) =>
  (await d.observe()).windows.some((w) => w.visible && w.name === 'popover');

/** Opens the popover the way the platform offers: tray click (win32), menu (linux AppIndicator, macOS with a menu). */
export async function openPopoverFromTray(d: ShellDriver): Promise<'menu' | 'click'> {
  const how = await d.clickTray();
  if (how === 'menu') await d.clickTrayMenu('Open Exist Tray');
  await d.window('popover');
  await until('the popover to be visible', () => popoverVisible(d));
  return how;
}

const pagesRead = (popover: AppWindow) =>
  popover.evaluate<string>('document.querySelector(\'[data-testid="value-pages_read"]\')?.textContent ?? ""');

/** The journey: boot → first run → IPC → tray → sandbox consent → +1 → deep link → shortcut → login item → quit. */
export function shellJourney(platform: ShellPlatform): Step[] {
  return [
    {
      name: 'first run: Settings → Account opens; no window is shown before its page is ready; the popover does not flash behind it',
      timeoutMs: 120_000,
      async run(d, expect) {
        await (await d.window('settings')).waitForText('Try it with the local sandbox');
        const { shows } = await d.observe();
        for (const show of shows)
          expect(show, `window ${String(show.window)} shown before ready-to-show`).toMatchObject({ pageReady: true });
        const popoverShown = shows.filter((e) => e.window === 'popover' || e.urlAtShow === null);
        expect(popoverShown, 'the popover was shown at first run, behind Settings').toEqual([]);
        // Our pages come from the app:// scheme (src/main/app-scheme.ts), never file://.
        for (const w of (await d.observe()).windows.filter((x) => x.name))
          expect(w.url).toMatch(/^app:\/\/renderer\/(popover|settings)\.html/);
      },
    },
    {
      name: 'the popover window is created hidden with the theme’s background colour, at its size',
      timeoutMs: 30_000,
      async run(d, expect) {
        await d.window('popover');
        const o = await d.observe();
        expect(o.created.length).toBeGreaterThanOrEqual(1);
        for (const c of o.created) {
          expect(c.show).toBe(false);
          // Only the model sees the constructor's options; Electron reports a colour either way.
          if (d.sees.createOptions)
            expect(c.backgroundColor, 'backgroundColor is set (no white flash)').toMatch(/^#[0-9a-f]{6}$/i);
        }
        expect(o.windows.find((w) => w.name === 'popover')?.size).toEqual([360, 480]);
      },
    },
    {
      name: 'IPC reaches the real handlers from our pages under the install path, and a foreign page is refused',
      timeoutMs: 90_000,
      async run(d, expect) {
        const settings = await d.window('settings');
        const info = await settings.evaluate<unknown>('(async () => globalThis.existTray.app.getInfo({}))()');
        expect(info, JSON.stringify(info)).toMatchObject({
          ok: true,
          value: { host: 'electron', productName: 'Exist Tray' },
        });
        expect(await settings.text()).not.toMatch(/untrusted/i);
        // The preload: no Node in the page, the API frozen.
        const probe = await settings.evaluate<unknown>(
          '({ require: typeof globalThis.require, process: typeof globalThis.process, frozen: Object.isFrozen(globalThis.existTray) && Object.isFrozen(globalThis.existTray.app) })',
        );
        expect(probe).toEqual({ require: 'undefined', process: 'undefined', frozen: true });
        // A page that is not a window of ours, in the same session, is refused by the real sender check.
        expect(await d.foreignGetInfo()).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
      },
    },
    {
      name: 'no console error from our pages',
      timeoutMs: 30_000,
      async run(d, expect) {
        expect((await d.observe()).consoleErrors).toEqual([]);
      },
    },
    {
      name: 'tray: per-platform icon and menu; the popover opens from it and renders',
      timeoutMs: 120_000,
      async run(d, expect, is) {
        // The tray state reaches the shell through a push after start: wait for its words.
        const o = await until('the tray state to be shown', async () => {
          const st = await d.observe();
          return st.tray?.tooltip.includes('not connected') ? st : undefined;
        });
        // The state in words heads the menu (disabled; AppIndicator shows no tooltip): not connected yet.
        const MENU = [
          'Not connected to Exist',
          'separator',
          'Open Exist Tray',
          'Settings…',
          'Sync now',
          'separator',
          'Quit Exist Tray',
        ];
        // Linux (AppIndicator) needs the menu attached; elsewhere a right click pops it up.
        if (platform === 'linux') expect(o.tray?.menu).toEqual(MENU);
        else {
          expect(o.tray?.menu, 'no attached menu: a left click must reach the app').toBeNull();
          expect(await d.rightClickTray()).toBe('right-click');
          expect(await d.trayMenuLabels()).toEqual(MENU);
        }
        if (platform === 'darwin')
          expect(o.tray).toMatchObject({ template: true, image: is.stringMatching(/tray(-\w+)?Template\.png$/) });
        expect(await openPopoverFromTray(d)).toBe(platform === 'linux' ? 'menu' : 'click');
        await (await d.window('popover')).waitForText('Connect your Exist account');
      },
    },
    {
      name: 'Settings → "Try it with the local sandbox" → consent → connected; pages_read added; +1 synced',
      timeoutMs: 90_000,
      async run(d, expect) {
        await d.clickTrayMenu('Settings…');
        const settings = await d.window('settings');
        await settings.click('tab', 'Account');
        await settings.click('button', 'Try it with the local sandbox');
        const authorize = await until('the consent page to be opened', async () =>
          (await d.observe()).opened.find((u) => /\/oauth2\/authorize\?/.test(u)),
        );
        await d.browserOpen(authorize);
        expect(await d.browserClick('button', 'Allow')).toMatch(/^http:\/\/localhost:8000\//);
        await settings.waitForText('Connected to the local sandbox');
        await settings.click('tab', 'Attributes');
        await settings.click('button', 'Add Pages read', { exact: true });
        await settings.waitForRole('button', 'Pages read added');

        await openPopoverFromTray(d);
        const popover = await d.window('popover');
        await popover.click('button', 'Add 1 to Pages read');
        await popover.waitForText('All synced', 20_000);
        // The day's total, as the popover shows it once Exist's answer is in.
        const value = await until('the popover to show the new total', async () => {
          const v = await pagesRead(popover);
          return /\b1\b/.test(v) ? v : null;
        });
        expect(value).toMatch(/\b1\b/);
      },
    },
    {
      name: 'a deep link from a second instance is handed over, proposed in the popover, and added on confirm',
      timeoutMs: 120_000,
      async run(d, expect) {
        await d.secondInstance(['exist-tray://increment?attribute=pages_read&value=2']);
        const popover = await d.window('popover');
        await popover.waitForText('A link asks to write');
        await until('the popover to be visible', () => popoverVisible(d));
        await popover.click('button', 'Add it', { exact: true });
        const value = await until('the total to include the link’s +2', async () => {
          const v = await pagesRead(popover);
          return /\b3\b/.test(v) ? v : null;
        });
        expect(value).toMatch(/\b3\b/);
        if (platform === 'win32' && d.sees.toastAumid) {
          // Toasts go out under the installer's AppUserModelID: trigger one (a refused link says why).
          await d.secondInstance(['exist-tray://bogus']);
          const n = await until('a notification', async () => (await d.observe()).notifications.at(-1));
          expect(n.aumid, 'toasts under the installer’s AppUserModelID').toBe('io.exist.tray');
        }
      },
    },
    {
      name: 'the global shortcut opens the popover',
      timeoutMs: 90_000,
      async run(d, expect) {
        expect((await d.observe()).shortcuts).toContain(SHORTCUT);
        // Hide it the way a user does: focus goes elsewhere (Settings).
        await d.clickTrayMenu('Settings…');
        await until('the popover to hide', async () => !(await popoverVisible(d)));
        expect(await d.pressShortcut(SHORTCUT)).toBe(true);
        await until('the popover to show', () => popoverVisible(d));
      },
    },
    {
      name: 'launch at login: on, then off, with the platform’s own mechanism',
      timeoutMs: 90_000,
      async run(d, expect, is) {
        await d.clickTrayMenu('Settings…');
        const settings = await d.window('settings');
        await settings.click('tab', 'General');
        await settings.click('checkbox', 'Launch at login');
        await settings.waitForText('Saved');
        expect(await settings.text()).not.toMatch(/did not allow/);
        const on = await d.observe();
        const autostart = join(d.home, 'config', 'autostart', 'exist-tray.desktop');
        if (platform === 'linux') expect(readFileSync(autostart, 'utf8')).toMatch(/^Exec=.* --hidden$/m);
        if (platform === 'win32')
          expect(on.loginItems).toEqual([['io.exist.tray', { path: is.any(String), args: ['--hidden'] }]]);
        if (platform === 'darwin') expect(on.loginItemSets.at(-1)).toMatchObject({ openAtLogin: true });

        await settings.click('checkbox', 'Launch at login');
        await until('the change to be saved', async () => {
          const o = await d.observe();
          return o.loginItemSets.length >= 2 || (platform === 'linux' && !existsSync(autostart));
        });
        const off = await d.observe();
        expect(await settings.text()).not.toMatch(/did not allow/);
        if (platform === 'linux') expect(existsSync(autostart)).toBe(false);
        if (platform === 'win32') expect(off.loginItems).toEqual([]);
      },
    },
    {
      name: 'quits from the tray menu with exit code 0, in Electron’s quit order',
      timeoutMs: 120_000,
      async run(d, expect) {
        // The menu item's click may not answer: the process is gone by then.
        await d.clickTrayMenu('Quit Exist Tray').catch(() => undefined);
        expect(await d.exited()).toBe(0);
      },
    },
  ];
}
