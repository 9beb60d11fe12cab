/**
 * Playwright fixtures for the browser host: each test gets its own host (fresh temp
 * data dir, in-process Exist sandbox, real core) and a `desk` helper that drives the
 * simulated desktop the way a person would: tray icon, tray menu, popover, settings.
 *
 *   import { test, expect } from './fixtures';
 *   test.use({ hostOptions: { sandbox: { autoApprove: true } } });
 *   test('...', async ({ desk, host, sandbox }) => { const popover = await desk.openPopover(); ... });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  test as base,
  expect,
  type BrowserContext,
  type Frame,
  type FrameLocator,
  type Locator,
  type Page,
} from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type { BrowserHost, BrowserHostOptions } from '../../src/host/index';
import type { Sandbox } from '../../src/sandbox/index';
import {
  methodName,
  type ExistTrayApi,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResult,
  type SettingsTab,
} from '../../src/shared/ipc-contract';

export { expect };

/** The surfaces of the desk page that hold the app's pages. */
export type Surface = 'desk' | 'popover' | 'settings';
export type TrayMenuItem = 'Open' | 'Settings' | 'Sync now' | 'Quit';

/** `globalThis` inside a page that loaded the bridge (no DOM types in this program). */
interface PageGlobals {
  existTray: ExistTrayApi;
}

/** Drives the desk page: the stand-in for the desktop, tray and app windows. */
export class Desk {
  constructor(
    readonly page: Page,
    readonly host: BrowserHost,
  ) {}

  /** The tray icon in the menu bar (its tooltip carries the pending count). */
  get trayIcon(): Locator {
    return this.page.getByRole('button', { name: 'Exist Tray', exact: true });
  }
  /** The "⋯" button: the tray menu as a Linux menu entry. */
  get trayMenuButton(): Locator {
    return this.page.getByRole('button', { name: 'Exist Tray menu' });
  }
  get trayMenu(): Locator {
    return this.page.getByRole('menu', { name: 'Exist Tray menu' });
  }
  /** The popover container (visible while open). */
  get popoverDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Exist Tray popover' });
  }
  /** The settings "window" (visible while open). */
  get settingsDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Exist Tray Settings' });
  }
  /** Locators inside the popover page. */
  get popover(): FrameLocator {
    return this.page.frameLocator('iframe[name="popover"]');
  }
  /** Locators inside the settings page. */
  get settings(): FrameLocator {
    return this.page.frameLocator('iframe[name="settings"]');
  }
  get notificationsLog(): Locator {
    return this.page.getByRole('log', { name: 'Notifications' });
  }
  get openedList(): Locator {
    return this.page.getByRole('list', { name: 'Opened in browser' });
  }

  /** Opens the desk through a fresh one-time start link, as the terminal's link would. */
  async goto(): Promise<void> {
    await this.page.goto(this.host.issueLaunchUrl());
    await expect(this.page).toHaveURL(this.host.url);
    await expect(this.trayIcon).toBeVisible();
  }

  /** The popover's Frame (for evaluate), once its page and bridge are loaded. */
  popoverFrame(): Promise<Frame> {
    return this.frameOf('popover');
  }
  settingsFrame(): Promise<Frame> {
    return this.frameOf('settings');
  }

  /** Clicks the tray icon if the popover is closed; resolves when it shows. */
  async openPopover(): Promise<FrameLocator> {
    if (!(await this.popoverDialog.isVisible())) await this.trayIcon.click();
    await expect(this.popoverDialog).toBeVisible();
    await this.popoverFrame();
    return this.popover;
  }

  async closePopover(): Promise<void> {
    if (await this.popoverDialog.isVisible()) await this.trayIcon.click();
    await expect(this.popoverDialog).toBeHidden();
  }

  /** Opens Settings the way the app does (`window:open-settings` through the bridge), at `tab`. */
  async openSettings(tab?: SettingsTab): Promise<FrameLocator> {
    await this.page.evaluate((t) => {
      (globalThis as unknown as PageGlobals).existTray.window.openSettings(t ? { tab: t } : {});
    }, tab ?? null);
    await expect(this.settingsDialog).toBeVisible();
    await this.settingsFrame();
    return this.settings;
  }

  /** Picks an item from the tray menu, opened by right-clicking the icon or with the "⋯" button. */
  async trayMenuItem(item: TrayMenuItem, via: 'right-click' | 'button' = 'button'): Promise<void> {
    if (via === 'right-click') await this.trayIcon.click({ button: 'right' });
    else await this.trayMenuButton.click();
    await this.trayMenu.getByRole('menuitem', { name: item, exact: true }).click();
    await expect(this.trayMenu).toBeHidden();
  }

  /** The notifications shown on the desk, as text, oldest first. */
  async notifications(): Promise<string[]> {
    return (await this.notificationsLog.getByRole('listitem').allTextContents()).map((s) => s.trim());
  }

  /** URLs the app opened "in the system browser", oldest first (the host's record). */
  openedUrls(): string[] {
    return [...this.host.openedUrls];
  }

  /** Waits until the app opens a URL matching `pattern`, and returns it. */
  async waitForOpenedUrl(pattern: RegExp): Promise<string> {
    await expect
      .poll(() => this.host.openedUrls.some((u) => pattern.test(u)), { message: `a URL matching ${pattern} opened` })
      .toBe(true);
    return this.host.openedUrls.find((u) => pattern.test(u))!;
  }

  /** Calls an invoke channel through `window.existTray` inside a surface's page (the real bridge). */
  async invoke<K extends InvokeChannel>(
    surface: Surface,
    channel: K,
    request: InvokeRequest<K>,
  ): Promise<InvokeResult<K>> {
    const frame = surface === 'desk' ? this.page.mainFrame() : await this.frameOf(surface);
    const [ns, method] = methodName(channel);
    return frame.evaluate(
      ([n, m, r]) => {
        const api = (globalThis as unknown as PageGlobals).existTray as unknown as Record<
          string,
          Record<string, (x: unknown) => Promise<unknown>>
        >;
        return api[n]![m]!(r);
      },
      [ns, method, request] as const,
    ) as Promise<InvokeResult<K>>;
  }

  private async frameOf(name: 'popover' | 'settings'): Promise<Frame> {
    const handle = await this.page.locator(`iframe[name="${name}"]`).elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error(`The ${name} frame is not on the desk page`);
    await frame.waitForLoadState('load');
    await frame.waitForFunction(() => 'existTray' in globalThis);
    return frame;
  }
}

/**
 * Connects the way a person does: Settings → Account → "Try it with the local sandbox",
 * then, acting as the system browser, opens the Exist page the app opened in a new tab
 * of the same context and clicks Allow (or Deny). Returns that tab, left on the
 * localhost:8000 callback page. `tick` names scope checkboxes to tick first, e.g. 'Media read'.
 */
export async function connectThroughConsentPage(
  desk: Desk,
  context: BrowserContext,
  opts: { decision?: 'Allow' | 'Deny'; tick?: string[] } = {},
): Promise<Page> {
  const settings = await desk.openSettings('account');
  await settings.getByRole('tab', { name: 'Account' }).click();
  for (const name of opts.tick ?? []) await settings.getByRole('checkbox', { name, exact: true }).check();
  const before = desk.openedUrls().length;
  await settings.getByRole('button', { name: 'Try it with the local sandbox' }).click();
  await expect
    .poll(() => desk.openedUrls().length, { message: 'the app opened the Exist page' })
    .toBeGreaterThan(before);
  const authorizeUrl = desk.openedUrls().at(-1)!;
  expect(authorizeUrl).toMatch(/\/oauth2\/authorize\?/);
  await expect(desk.openedList.getByRole('link', { name: authorizeUrl })).toBeVisible();
  await expect(settings.getByRole('heading', { name: 'Waiting for Exist…' })).toBeVisible();

  const browser = await context.newPage();
  await browser.goto(authorizeUrl);
  await expect(browser.getByRole('heading', { name: /wants to access your Exist account/ })).toBeVisible();
  await browser.getByRole('button', { name: opts.decision ?? 'Allow', exact: true }).click();
  await expect(browser).toHaveURL(/^http:\/\/localhost:8000\//);
  return browser;
}

type HostModule = typeof import('../../src/host/index');

/** Worker-scoped: the host library, loaded once per worker. */
export interface HostWorkerFixtures {
  hostModule: HostModule;
}

export interface HostFixtures {
  /** Extra options for `startBrowserHost` (e.g. `{ sandbox: { autoApprove: true, timezone: 'UTC' } }`). */
  hostOptions: Partial<BrowserHostOptions>;
  /** A fresh browser host for this test (temp data dir, in-process sandbox). */
  host: BrowserHost;
  /** The host's Exist sandbox (admin controls: failNext, getState, ...). */
  sandbox: Sandbox;
  /** The desk page, loaded. */
  desk: Desk;
}

/**
 * The app's code is loaded with tsx (as `npm run dev:browser` runs it), not Playwright's
 * test transpiler, so whatever runs under tsx and vitest (JSON imports and the like)
 * runs here too.
 */
export const test = base.extend<HostFixtures, HostWorkerFixtures>({
  hostModule: [
    // Playwright reads fixture dependencies from the destructuring pattern: it must be `{}`.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use((await tsImport('../../src/host/index.ts', import.meta.url)) as HostModule);
    },
    { scope: 'worker' },
  ],
  hostOptions: [{}, { option: true }],
  host: async ({ hostOptions, hostModule }, use) => {
    // The outbox checks a lost or 5xx answer only after a 60 s grace (src/core/outbox/recovery.ts),
    // so that a late apply by Exist is seen; the journeys shorten it, as the CLI and reliability
    // tests do, so a 500 followed by recovery fits in a spec's wait.
    process.env.EXIST_TRAY_GRACE_MS ??= '1000';
    const dir = await mkdtemp(join(tmpdir(), 'exist-tray-e2e-'));
    const host = await hostModule.startBrowserHost({
      dataDir: join(dir, 'data'),
      build: 'never',
      log: (line) => console.log(`[host] ${line}`),
      ...hostOptions,
    });
    try {
      await use(host);
    } finally {
      await host.close();
      // The host may still be finishing a settings write as it closes: retry on ENOTEMPTY.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  },
  sandbox: async ({ host }, use) => {
    if (!host.sandbox) throw new Error('This test needs the sandbox, but the host was started without one');
    await use(host.sandbox);
  },
  desk: async ({ page, host }, use) => {
    const desk = new Desk(page, host);
    await desk.goto();
    await use(desk);
  },
});
