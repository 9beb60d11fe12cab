/**
 * The real bundle (out/main/index.js, out/preload/index.cjs, out/renderer) booted under
 * the Electron model (./model.mjs, cited in ./DOCS.md) for linux, darwin and win32, from
 * an install path holding `%[]~`: boot → first run → tray menu → popover → IPC through
 * the real handlers and sender checks → Settings → "Try it with the local sandbox" →
 * consent → +1 synced → deep link via a second instance → shortcut → launch at login on
 * and off → quit with exit 0. Binds the OAuth redirect port 8000 (the consent's callback),
 * hence the port8000 project. Needs `npm run build` (it says so when out/ is missing).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, installApp, launchSim, type Install, type Sim, type SimPlatform, type SimState } from './driver';

const PLATFORMS: SimPlatform[] = ['linux', 'darwin', 'win32'];
const SHORTCUT = 'CommandOrControl+Shift+E';

let install: Install;
beforeAll(() => {
  ensureBuilt();
  install = installApp('Exist %[]~ Tray');
}, 300_000);
afterAll(() => install?.remove());

const shows = (s: SimState) => s.log.filter((e) => e.type === 'show');
const pageOf = (s: SimState, id: number) => s.windows.find((w) => w.id === id)?.url ?? '';
const ourConsoleErrors = (s: SimState) =>
  s.log.filter((e) => e.type === 'console-error' && /\/renderer\//.test(String(e.url))).map((e) => e.text);

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the popover the way the platform offers: tray click (win32), menu (linux AppIndicator, macOS with a menu). */
async function openPopoverFromTray(sim: Sim): Promise<string> {
  const how = await sim.call<string>('clickTray');
  if (how === 'menu') await sim.call('clickTrayMenu', { label: 'Open Exist Tray' });
  await sim.call('waitForWindow', { name: 'popover' });
  await until('the popover to be visible', async () =>
    (await sim.state()).windows.some((w) => w.visible && /popover\.html/.test(w.url ?? '')),
  );
  return how;
}

describe.each(PLATFORMS)('Exist Tray on %s (real bundle, Electron model)', (platform) => {
  let sim: Sim;
  let userData: string;
  const env = () => ({ HOME: userData, XDG_CONFIG_HOME: join(userData, 'config'), XDG_SESSION_TYPE: 'x11' });

  beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), `exist-sim-${platform}-`));
    sim = launchSim({ platform, install, userData, argv: [], env: env() });
    await sim.booted;
  }, 120_000);
  afterAll(async () => {
    sim?.kill();
    await sim?.exited;
    rmSync(userData, { recursive: true, force: true, maxRetries: 5 });
  });

  it('first run: Settings → Account opens; no window is shown before its page is ready; the popover does not flash behind it', async () => {
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('waitForText', { name: 'settings', text: 'Try it with the local sandbox' });
    const s = await sim.state();
    for (const show of shows(s))
      expect(show, `window ${String(show.id)} shown before ready-to-show`).toMatchObject({ pageReady: true });
    const popoverShown = shows(s).filter((e) => /popover\.html/.test(pageOf(s, e.id as number)) || e.url === null);
    expect(popoverShown, 'the popover was shown at first run, behind Settings').toEqual([]);
  }, 120_000);

  it('the popover window is created hidden with the theme’s background colour', async () => {
    const s = await sim.state();
    const created = s.log.filter((e) => e.type === 'window-created');
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const c of created) {
      expect(c.show).toBe(false);
      expect(c.backgroundColor, 'backgroundColor is set (no white flash)').toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  it('IPC reaches the real handlers from our pages under an install path with %[]~, and a foreign page is refused', async () => {
    const info = await sim.call<{ ok: boolean; value?: { host: string }; error?: { message: string } }>('evaluate', {
      name: 'settings',
      source: '(async () => globalThis.existTray.app.getInfo({}))()',
    });
    expect(info, JSON.stringify(info)).toMatchObject({ ok: true, value: { host: 'electron' } });
    const text = await sim.call<string>('text', { name: 'settings' });
    expect(text).not.toMatch(/untrusted/i);
    // The preload model: no Node in the page, the API frozen.
    const probe = await sim.call<{ require: string; process: string; frozen: boolean }>('evaluate', {
      name: 'settings',
      source:
        '({ require: typeof globalThis.require, process: typeof globalThis.process, frozen: Object.isFrozen(globalThis.existTray) && Object.isFrozen(globalThis.existTray.app) })',
    });
    expect(probe).toEqual({ require: 'undefined', process: 'undefined', frozen: true });
    // A page that is not a window of ours, in the same session, is refused by the real sender check.
    const foreign = await sim.call('foreignInvoke', { channel: 'app:get-info' });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
  }, 90_000);

  it('no console error from our pages', async () => {
    expect(ourConsoleErrors(await sim.state())).toEqual([]);
  });

  it('tray: per-platform icon and menu; the popover opens from it and renders', async () => {
    // The tray state reaches the shell through a push after start: wait for its words.
    const s = await until('the tray state to be shown', async () => {
      const st = await sim.state();
      return st.tray?.tooltip.includes('not connected') ? st : undefined;
    });
    // The state in words heads the menu (disabled; AppIndicator shows no tooltip): not connected yet.
    const STATE = ['Not connected to Exist', 'separator'];
    const MENU = [...STATE, 'Open Exist Tray', 'Settings…', 'Sync now', 'separator', 'Quit Exist Tray'];
    // Linux (AppIndicator) needs the menu attached; elsewhere a right click pops it up.
    if (platform === 'linux') expect(s.tray?.menu).toEqual(MENU);
    else {
      expect(s.tray?.menu, 'no attached menu: a left click must reach the app').toBeNull();
      expect(await sim.call('rightClickTray')).toBe('right-click');
      expect(await sim.call('trayMenuLabels')).toEqual(MENU);
    }
    if (platform === 'darwin')
      expect(s.tray).toMatchObject({ template: true, image: expect.stringMatching(/tray(-\w+)?Template\.png$/) });
    const how = await openPopoverFromTray(sim);
    expect(how).toBe(platform === 'linux' ? 'menu' : 'click');
    await sim.call('waitForText', { name: 'popover', text: 'Connect your Exist account' });
  }, 120_000);

  it('Settings → "Try it with the local sandbox" → consent → connected; pages_read added; +1 synced', async () => {
    await sim.call('clickTrayMenu', { label: 'Settings…' });
    await sim.call('click', { name: 'settings', role: 'tab', label: 'Account' });
    await sim.call('click', { name: 'settings', role: 'button', label: 'Try it with the local sandbox' });
    const authorize = await until('the consent page to be opened', async () =>
      (await sim.state()).opened.find((u) => /\/oauth2\/authorize\?/.test(u)),
    );
    await sim.call('browserOpen', { url: authorize });
    const landed = await sim.call<string>('browserClick', { role: 'button', label: 'Allow' });
    expect(landed).toMatch(/^http:\/\/localhost:8000\//);
    await sim.call('waitForText', { name: 'settings', text: 'Connected to the local sandbox' });
    await sim.call('click', { name: 'settings', role: 'tab', label: 'Attributes' });
    await sim.call('click', { name: 'settings', role: 'button', label: 'Add Pages read', exact: true });
    await sim.call('waitForRole', { name: 'settings', role: 'button', label: 'Pages read added' });

    await openPopoverFromTray(sim);
    await sim.call('click', { name: 'popover', role: 'button', label: 'Add 1 to Pages read' });
    await sim.call('waitForText', { name: 'popover', text: 'All synced', timeout: 20_000 });
    // The day's total, as the popover shows it once Exist's answer is in.
    const value = await until('the popover to show the new total', async () => {
      const v = await sim.call<string>('evaluate', {
        name: 'popover',
        source: 'document.querySelector(\'[data-testid="value-pages_read"]\')?.textContent ?? ""',
      });
      return /\b1\b/.test(v) ? v : null;
    });
    expect(value).toMatch(/\b1\b/);
  }, 90_000);

  it('a deep link from a second instance is handed over, proposed in the popover, and added on confirm', async () => {
    const link = 'exist-tray://increment?attribute=pages_read&value=2';
    await sim.call('secondInstance', { argv: ['/opt/exist-tray', link], data: { argv: ['/opt/exist-tray', link] } });
    await sim.call('waitForText', { name: 'popover', text: 'A link asks to write' });
    await until('the popover to be visible', async () =>
      (await sim.state()).windows.some((w) => w.visible && /popover\.html/.test(w.url ?? '')),
    );
    await sim.call('click', { name: 'popover', role: 'button', label: 'Add it', exact: true });
    const value = await until('the total to include the link’s +2', async () => {
      const v = await sim.call<string>('evaluate', {
        name: 'popover',
        source: 'document.querySelector(\'[data-testid="value-pages_read"]\')?.textContent ?? ""',
      });
      return /\b3\b/.test(v) ? v : null;
    });
    expect(value).toMatch(/\b3\b/);
    if (platform === 'win32') {
      // Toasts go out under the installer's AppUserModelID: trigger one (a refused link says why).
      await sim.call('secondInstance', {
        argv: ['/opt/exist-tray', 'exist-tray://bogus'],
        data: { argv: ['/opt/exist-tray', 'exist-tray://bogus'] },
      });
      const n = await until('a notification', async () => (await sim.state()).notifications.at(-1));
      expect(n.aumid, 'toasts under the installer’s AppUserModelID').toBe('io.exist.tray');
    }
  }, 120_000);

  it('the global shortcut opens the popover', async () => {
    await sim.call('evaluate', { name: 'popover', source: 'undefined' });
    const s0 = await sim.state();
    expect(s0.shortcuts).toContain(SHORTCUT);
    // Hide it the way a user does: focus goes elsewhere (Settings).
    await sim.call('clickTrayMenu', { label: 'Settings…' });
    await until(
      'the popover to hide',
      async () => !(await sim.state()).windows.some((w) => w.visible && /popover/.test(w.url ?? '')),
    );
    expect(await sim.call('pressShortcut', { accelerator: SHORTCUT })).toBe(true);
    await until('the popover to show', async () =>
      (await sim.state()).windows.some((w) => w.visible && /popover/.test(w.url ?? '')),
    );
  }, 90_000);

  it('launch at login: on, then off, with the platform’s own mechanism', async () => {
    await sim.call('clickTrayMenu', { label: 'Settings…' });
    await sim.call('click', { name: 'settings', role: 'tab', label: 'General' });
    await sim.call('click', { name: 'settings', role: 'checkbox', label: 'Launch at login' });
    await sim.call('waitForText', { name: 'settings', text: 'Saved' });
    const text = await sim.call<string>('text', { name: 'settings' });
    expect(text).not.toMatch(/did not allow/);
    const on = await sim.state();
    const autostart = join(userData, 'config', 'autostart', 'exist-tray.desktop');
    if (platform === 'linux') expect(readFileSync(autostart, 'utf8')).toMatch(/^Exec=.* --hidden$/m);
    if (platform === 'win32')
      expect(on.loginItems).toEqual([['io.exist.tray', { path: expect.any(String), args: ['--hidden'] }]]);
    if (platform === 'darwin')
      expect(on.log.filter((e) => e.type === 'set-login-item').at(-1)).toMatchObject({
        settings: { openAtLogin: true },
      });

    await sim.call('click', { name: 'settings', role: 'checkbox', label: 'Launch at login' });
    await until('the change to be saved', async () => {
      const s = await sim.state();
      return (
        s.log.filter((e) => e.type === 'set-login-item').length >= 2 || (platform === 'linux' && !existsSync(autostart))
      );
    });
    const off = await sim.state();
    expect(await sim.call<string>('text', { name: 'settings' })).not.toMatch(/did not allow/);
    if (platform === 'linux') expect(existsSync(autostart)).toBe(false);
    if (platform === 'win32') expect(off.loginItems).toEqual([]);
  }, 90_000);

  it('quits from the tray menu with exit code 0, in Electron’s quit order', async () => {
    await sim.call('clickTrayMenu', { label: 'Quit Exist Tray' }).catch(() => undefined);
    expect(await sim.exited).toBe(0);
  }, 120_000);
});
