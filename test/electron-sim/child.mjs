/**
 * One simulated Electron process: `node --import ./register.mjs child.mjs` with the
 * scenario in SIM_CONFIG (JSON). It pretends to be `platform`, builds the model around a
 * headless Chromium, imports the app folder's `main` (package.json) exactly as Electron
 * would, emits `ready`, and then answers the driver's requests over the fork IPC channel.
 * It exits with the app's own exit code when the app quits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { createModel } from './model.mjs';

const config = JSON.parse(process.env.SIM_CONFIG ?? '{}');
const { platform, appPath, resourcesPath, userData, argv = [], options = {} } = config;

Object.defineProperty(process, 'platform', { value: platform });
process.resourcesPath = resourcesPath;
process.type = 'browser';
process.versions.electron = '45.5.0';
process.argv = [process.execPath, ...argv];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    // Electron lets file: pages load their own module scripts; plain Chromium needs this switch (DOCS.md M3).
    '--allow-file-access-from-files',
  ],
});
const { electron, control } = createModel({ platform, browser, appPath, userData, env: process.env, options });
globalThis.__electronSim = { electron, control };

let exiting = false;
control.onExit.push((code) => {
  if (exiting) return;
  exiting = true;
  process.send?.({ type: 'exit', code });
  void browser
    .close()
    .catch(() => undefined)
    .finally(() => process.exit(code));
});

const win = (name) =>
  control.windows.find((w) => !w.isDestroyed() && w._page && w._page.url().includes(`/${name}.html`)) ?? null;

async function waitForWindow(name, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const w = win(name);
    if (w && w._readyToShow) return w;
    if (Date.now() > end) throw new Error(`no ${name} window within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const page = async (name) => (await waitForWindow(name))._page;
let browserPage = null; // "the system browser" shell.openExternal hands URLs to

const ops = {
  state: () => ({
    windows: control.windows.map((w) => ({
      id: w.id,
      url: w._page ? w.webContents.getURL() : null, // app://… as Electron reports it (model M7)
      visible: w.isVisible(),
      destroyed: w.isDestroyed(),
      readyToShow: w._readyToShow,
      backgroundColor: w.options.backgroundColor ?? null,
      size: [w.getBounds().width, w.getBounds().height],
    })),
    tray: control.tray
      ? {
          tooltip: control.tray.tooltip,
          image: control.tray.image?.path ?? null,
          template: !!control.tray.image?.template,
          menu: control.tray.menu?.items.map((i) => i.label ?? i.type) ?? null,
        }
      : null,
    log: control.log,
    notifications: control.notifications,
    opened: control.opened,
    appUserModelId: control.appUserModelId,
    loginItems: [...control.loginItems.entries()],
    switches: [...control.switches.entries()],
    shortcuts: [...control.shortcuts.keys()],
    appMenu: control.appMenu?.items.map((i) => i.label ?? i.role) ?? null,
  }),
  clickTray: () => control.clickTray(),
  rightClickTray: () => control.rightClickTray(),
  trayMenuLabels: () => control.trayMenuLabels(),
  clickTrayMenu: ({ label }) => control.clickTrayMenu(label),
  clickAppMenu: ({ label }) => control.clickAppMenu(label),
  pressShortcut: ({ accelerator }) => control.pressShortcut(accelerator),
  secondInstance: ({ argv: a, data }) => control.secondInstance(a, data),
  openUrl: ({ url }) => control.openUrl(url),
  activate: () => control.activate(),
  setDarwinLoginApproval: ({ status }) => control.setDarwinLoginApproval(status),
  quit: () => electron.app.quit(),
  waitForWindow: async ({ name }) => (await waitForWindow(name)).id,
  text: async ({ name }) => (await page(name)).locator('body').innerText(),
  waitForText: async ({ name, text, timeout = 15_000 }) => {
    const p = await page(name);
    try {
      await p.getByText(text, { exact: false }).first().waitFor({ timeout });
    } catch {
      const body = await p
        .locator('body')
        .innerText()
        .catch(() => '?');
      throw new Error(
        `"${text}" did not appear in ${name} within ${timeout} ms; the page says: ${body.slice(0, 1500)}`,
      );
    }
  },
  waitForRole: async ({ name, role, label, exact = false, timeout = 15_000 }) => {
    const p = await page(name);
    try {
      await p.getByRole(role, { name: label, exact }).first().waitFor({ timeout });
    } catch {
      const body = await p
        .locator('body')
        .innerText()
        .catch(() => '?');
      throw new Error(`no ${role} "${label}" in ${name} within ${timeout} ms; the page says: ${body.slice(0, 1500)}`);
    }
  },
  click: async ({ name, role, label, exact = false }) => {
    await (await page(name)).getByRole(role, { name: label, exact }).first().click({ timeout: 10_000 });
  },
  evaluate: async ({ name, source }) => (await page(name)).evaluate(source),
  /** A page that is not one of the app's windows (a web page in the same session) calls the IPC bridge itself. */
  foreignInvoke: async ({ channel }) => {
    const p = await control.context.newPage();
    try {
      await p.goto('data:text/html,<title>not ours</title>');
      return await p.evaluate((c) => globalThis.__simIpc('invoke', c, [{}]), channel);
    } finally {
      await p.close();
    }
  },
  /**
   * One of OUR windows shown `url` directly (as if a navigation slipped past the guards, which the
   * model does not intercept: M6), its frame calling IPC; then the window gets its page back.
   */
  ownWindowInvoke: async ({ name, url, channel }) => {
    const w = await waitForWindow(name);
    const back = w.webContents.getURL();
    try {
      await w._page.goto(await control.chromiumUrlFor(url), { waitUntil: 'load' });
      return {
        frameUrl: w.webContents.getURL(),
        answer: await w._page.evaluate((c) => globalThis.__simIpc('invoke', c, [{}]), channel),
      };
    } finally {
      await w._page.goto(await control.chromiumUrlFor(back), { waitUntil: 'load' });
    }
  },
  /** A page of another origin in the same session frames `url` (an app:// URL): what does the frame show? */
  frameFromForeign: async ({ url }) => {
    const p = await control.context.newPage();
    try {
      const src = await control.chromiumUrlFor(url);
      await p.goto(`data:text/html,<title>not ours</title><iframe src="${encodeURI(src)}"></iframe>`);
      await p.locator('iframe').waitFor();
      await p.waitForLoadState('load');
      const frame = p.frames().find((f) => f !== p.mainFrame());
      const title = await frame?.evaluate(() => document.title).catch(() => null);
      const api = await frame?.evaluate(() => typeof globalThis.existTray).catch(() => null);
      return { frameUrl: frame ? control.fromSimUrl(frame.url()) : null, title: title ?? null, api: api ?? null };
    } finally {
      await p.close();
    }
  },
  browserOpen: async ({ url }) => {
    browserPage ??= await (await browser.newContext()).newPage();
    await browserPage.goto(url);
    return browserPage.url();
  },
  browserClick: async ({ role, label }) => {
    await browserPage.getByRole(role, { name: label }).first().click({ timeout: 10_000 });
    await browserPage.waitForLoadState('load');
    return browserPage.url();
  },
  browserText: async () => browserPage.locator('body').innerText(),
  /**
   * For bench/shell-popover.ts, timed here (not across the fork channel): the tray's open
   * gesture (a click, or on Linux the menu's "Open Exist Tray") → the popover window visible
   * with `selector` in its page. Milliseconds, performance.now().
   */
  timeOpen: async ({ selector, timeout = 15_000 }) => {
    const t0 = performance.now();
    if (control.clickTray() === 'menu') control.clickTrayMenu('Open Exist Tray');
    const end = Date.now() + timeout;
    const visible = (async () => {
      for (;;) {
        const w = win('popover');
        if (w?.isVisible()) return;
        if (Date.now() > end) throw new Error(`the popover was not shown within ${timeout} ms`);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const content = (await page('popover')).locator(selector).first().waitFor({ state: 'visible', timeout });
    await Promise.all([visible, content]);
    return performance.now() - t0;
  },
};

process.on('message', async (msg) => {
  const { id, op, args } = msg;
  try {
    const fn = ops[op];
    if (!fn) throw new Error(`unknown op ${op}`);
    const value = await fn(args ?? {});
    process.send?.({ id, ok: true, value: value ?? null });
  } catch (e) {
    process.send?.({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});

const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8'));
await import(pathToFileURL(join(appPath, pkg.main)).href);
await control.emitReady();
process.send?.({ type: 'booted' });
