/**
 * The browser host end to end in Chromium: the desk page, the tray icon and menu, the
 * popover and settings pages talking to the real core through the real bridge, and
 * the bridge's security (no token, no connection).
 */
import { expect, test } from './fixtures';

interface ProbeGlobals {
  WebSocket: new (url: string) => {
    addEventListener(type: string, cb: (e: { code?: number }) => void): void;
  };
  location: { host: string };
  __shownTabs?: unknown[];
  existTray: import('../../src/shared/ipc-contract').ExistTrayApi;
}

test('the desk page shows the tray, and the tray icon toggles the popover', async ({ desk }) => {
  await expect(desk.notificationsLog).toBeAttached();
  await expect(desk.openedList).toBeAttached();
  await expect(desk.popoverDialog).toBeHidden();

  await desk.trayIcon.click();
  await expect(desk.popoverDialog).toBeVisible();
  await expect(desk.trayIcon).toHaveAttribute('aria-expanded', 'true');
  const box = await desk.popoverDialog.boundingBox();
  const icon = await desk.trayIcon.boundingBox();
  expect(box && icon && box.y >= icon.y + icon.height).toBe(true);
  const frameBox = await desk.page.locator('iframe[name="popover"]').boundingBox();
  expect([frameBox?.width, frameBox?.height]).toEqual([360, 480]);

  await desk.trayIcon.click();
  await expect(desk.popoverDialog).toBeHidden();
  await expect(desk.trayIcon).toHaveAttribute('aria-expanded', 'false');
});

test('the popover reads app info through the bridge from the real core', async ({ desk }) => {
  await desk.openPopover();
  const frame = await desk.popoverFrame();
  const info = await frame.evaluate(() => (globalThis as unknown as ProbeGlobals).existTray.app.getInfo({}));
  expect(info).toMatchObject({ ok: true, value: { name: 'exist-tray', productName: 'Exist Tray', host: 'browser' } });
  expect(await desk.invoke('settings', 'app:get-info', {})).toEqual(info);
});

test('a payload failing validation gets invalid-payload, not a crash', async ({ desk }) => {
  await desk.openPopover();
  const bad = await desk.invoke('popover', 'values:increment', { name: 'Pages Read', delta: 1 });
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload', field: 'name' } });
  const extra = await desk.invoke('popover', 'app:get-info', { unexpected: true } as unknown as Record<string, never>);
  expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  // The bridge still answers afterwards.
  expect(await desk.invoke('popover', 'app:get-info', {})).toMatchObject({ ok: true });
});

test('a WebSocket without the session token is refused', async ({ desk, page, context, host, sandbox }) => {
  const tryConnect = () =>
    new Promise<string>((resolve) => {
      const g = globalThis as unknown as ProbeGlobals;
      const ws = new g.WebSocket(`ws://${g.location.host}/__host/ipc`);
      ws.addEventListener('open', () => resolve('open'));
      ws.addEventListener('close', () => resolve('refused'));
    });
  // With the cookie the desk got, a socket opens ...
  expect(await page.evaluate(tryConnect)).toBe('open');
  // ... without it, it is refused.
  await context.clearCookies();
  expect(await page.evaluate(tryConnect)).toBe('refused');

  // From another origin (same site, other port) even a browser that holds the cookie is refused.
  await desk.goto();
  const other = await context.newPage();
  await other.goto(`${sandbox.url}/`);
  const fromOther = await other.evaluate((hostPort) => {
    return new Promise<string>((resolve) => {
      const g = globalThis as unknown as ProbeGlobals;
      const ws = new g.WebSocket(`ws://127.0.0.1:${hostPort}/__host/ipc`);
      ws.addEventListener('open', () => resolve('open'));
      ws.addEventListener('close', () => resolve('refused'));
    });
  }, host.port);
  expect(fromOther).toBe('refused');
});

test('the tray menu opens the popover and settings, by right-click and by the ⋯ button', async ({ desk }) => {
  await desk.trayIcon.click({ button: 'right' });
  await expect(desk.trayMenu).toBeVisible();
  // The state in words heads the menu (disabled), as in the Electron tray.
  await expect(desk.trayMenu.getByRole('menuitem')).toHaveText([
    'Not connected to Exist',
    'Open',
    'Settings',
    'Sync now',
    'Quit',
  ]);
  await desk.page.keyboard.press('Escape');
  await expect(desk.trayMenu).toBeHidden();

  await desk.trayMenuItem('Open', 'right-click');
  await expect(desk.popoverDialog).toBeVisible();

  await desk.trayMenuItem('Settings', 'button');
  await expect(desk.settingsDialog).toBeVisible();
  expect(desk.host.shell.settingsOpened).toEqual([null]);
  expect(await desk.invoke('settings', 'app:get-info', {})).toMatchObject({ ok: true, value: { host: 'browser' } });

  await desk.page.getByRole('button', { name: 'Close Settings' }).click();
  await expect(desk.settingsDialog).toBeHidden();
});

test('opening settings at a tab pushes window:show-tab to the settings page', async ({ desk }) => {
  const frame = await desk.settingsFrame();
  await frame.evaluate(() => {
    const g = globalThis as unknown as ProbeGlobals;
    g.__shownTabs = [];
    g.existTray.window.onShowTab((p) => g.__shownTabs!.push(p));
  });
  await desk.openSettings('sync');
  await expect
    .poll(() => frame.evaluate(() => (globalThis as unknown as ProbeGlobals).__shownTabs))
    .toEqual([{ tab: 'sync' }]);
  expect(desk.host.shell.settingsOpened).toEqual(['sync']);
});

test('window:close from the popover hides it', async ({ desk }) => {
  await desk.openPopover();
  const frame = await desk.popoverFrame();
  await frame.evaluate(() => (globalThis as unknown as ProbeGlobals).existTray.window.close({}));
  await expect(desk.popoverDialog).toBeHidden();
});

test('links opened externally are listed on the desk and recorded', async ({ desk, host }) => {
  await desk.openPopover();
  const frame = await desk.popoverFrame();
  await frame.evaluate(() => {
    const api = (globalThis as unknown as ProbeGlobals).existTray;
    api.shell.openExternal({ url: 'javascript:alert(1)' });
    api.shell.openExternal({ url: 'https://exist.io/account/apps/' });
  });
  await expect(desk.openedList.getByRole('link', { name: 'https://exist.io/account/apps/' })).toBeVisible();
  await expect(desk.openedList.getByRole('listitem')).toHaveCount(1);
  expect(desk.openedUrls()).toEqual(['https://exist.io/account/apps/']);
  // The context holds the session cookie from the start link; the secret is never in a URL.
  const res = await desk.page.request.get(`${host.origin}/__host/opened`);
  expect(await res.json()).toEqual({ opened: ['https://exist.io/account/apps/'] });
  const refused = await desk.page.request.get(`${host.origin}/__host/opened`, { headers: { cookie: '' } });
  expect(refused.status()).toBe(403);
});

test('only the start link lets a browser in, and only once', async ({ browser, host }) => {
  const link = host.issueLaunchUrl();
  const first = await browser.newContext();
  const page = await first.newPage();
  await page.goto(link);
  // Traded for the cookie and redirected to the clean URL: the token is not in the address bar.
  await expect(page).toHaveURL(host.url);
  await expect(page.getByRole('button', { name: 'Exist Tray', exact: true })).toBeVisible();
  expect((await first.cookies()).find((c) => c.name === host.cookieName)).toMatchObject({
    httpOnly: true,
    sameSite: 'Strict',
  });

  // Another browser profile: without a link it gets the help page; with the used link, too.
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto(host.url);
  await expect(other.getByRole('heading', { name: 'Open Exist Tray from your terminal' })).toBeVisible();
  await other.goto(link);
  await expect(other.getByText('already used')).toBeVisible();
  expect(await second.cookies()).toEqual([]);
  await first.close();
  await second.close();
});

test('notifications and the pending count appear on the desk', async ({ desk, host }) => {
  host.notifier.notify({ kind: 'reconnect-needed', title: 'Reconnect to Exist', body: 'Your Exist access ended.' });
  await expect(desk.notificationsLog.getByRole('listitem')).toHaveCount(1);
  expect((await desk.notifications())[0]).toContain('Reconnect to Exist');
  expect(host.notifications).toMatchObject([{ kind: 'reconnect-needed', title: 'Reconnect to Exist' }]);

  // The icon's title is the tray state in words (src/core/traystate); the count is a badge.
  await expect(desk.trayIcon).toHaveAttribute('title', 'Exist Tray — not connected to Exist');
  const badge = desk.page.locator('#tray-badge');
  host.shellEffects.setPendingCount(3);
  await expect(badge).toHaveText('3');
  await expect(badge).toBeVisible();
  await expect(desk.trayIcon).toHaveAccessibleName('Exist Tray');
  host.shellEffects.setPendingCount(0);
  await expect(badge).toBeHidden();

  // A reloaded desk gets the history back from the host.
  await desk.page.reload();
  await expect(desk.notificationsLog.getByRole('listitem')).toHaveCount(1);
});
