/**
 * The real bundle under the Electron model (./model.mjs, DOCS.md D21, D24–D27, M7) for linux,
 * darwin and win32: our pages come from app://renderer/ through the app's own protocol.handle
 * handler, the CSP arrives as a response header and Chromium enforces it (an injected inline
 * script is refused under the header's policy; another origin cannot frame the page), a
 * file:// copy of our own page is refused by the real sender check even inside our own
 * window, and encoded traversal from the page gets the handler's 404.
 * Needs `npm run build` (it builds when out/ is missing); binds no fixed port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, installApp, launchSim, type Install, type Sim, type SimPlatform } from './driver';

const PLATFORMS: SimPlatform[] = ['linux', 'darwin', 'win32'];

let install: Install;
beforeAll(() => {
  ensureBuilt();
  install = installApp('Exist %[]~ Tray');
}, 300_000);
afterAll(() => install?.remove());

/** Runs in our page: injects an inline script and collects the CSP violations it causes. */
const INJECT_INLINE = `new Promise((resolve) => {
  const seen = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    seen.push({ policy: e.originalPolicy, directive: e.effectiveDirective, disposition: e.disposition });
    if (seen.length >= 2) resolve({ ran: globalThis.__injected === 1, seen });
  });
  const s = document.createElement('script');
  s.textContent = 'globalThis.__injected = 1';
  document.head.append(s);
  // one policy only (the meta tag) reports once: settle after a quiet second
  setTimeout(() => resolve({ ran: globalThis.__injected === 1, seen }), 1500);
})`;

describe.each(PLATFORMS)('app:// pages on %s (real bundle, Electron model)', (platform) => {
  let sim: Sim;
  let userData: string;

  beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), `exist-scheme-${platform}-`));
    sim = launchSim({
      platform,
      install,
      userData,
      env: { HOME: userData, XDG_CONFIG_HOME: join(userData, 'config'), XDG_SESSION_TYPE: 'x11' },
    });
    await sim.booted;
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('waitForText', { name: 'settings', text: 'Try it with the local sandbox' });
    await sim.call('waitForWindow', { name: 'popover' }); // ready-to-show: its page has loaded
  }, 120_000);
  afterAll(async () => {
    sim?.kill();
    await sim?.exited;
    rmSync(userData, { recursive: true, force: true, maxRetries: 5 });
  });

  it('registers app:// as privileged before ready and loads both pages from it, through the app’s handler', async () => {
    const s = await sim.state();
    const registered = s.log.find((e) => e.type === 'privileged-schemes');
    expect(registered, 'registerSchemesAsPrivileged was not called').toBeDefined();
    expect(registered!.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    const live = s.windows.filter((w) => !w.destroyed).map((w) => w.url);
    expect(live).toContain('app://renderer/popover.html');
    expect(
      live.some((u) => /^app:\/\/renderer\/settings\.html(\?tab=\w+)?$/.test(u ?? '')),
      String(live),
    ).toBe(true);
    const served = s.log.filter((e) => e.type === 'scheme-request');
    expect(
      served.some((e) => /^app:\/\/renderer\/settings\.html/.test(String(e.url)) && e.status === 200),
      JSON.stringify(served.map((e) => [e.url, e.status])),
    ).toBe(true);
    // the module scripts and styles came through the handler too, and all were found
    expect(served.some((e) => /^app:\/\/renderer\/assets\/.+\.js$/.test(String(e.url)) && e.status === 200)).toBe(true);
    expect(served.filter((e) => e.status !== 200)).toEqual([]);
    // IPC from our app:// page is trusted by the real sender check
    const info = await sim.call('evaluate', {
      name: 'settings',
      source: '(async () => globalThis.existTray.app.getInfo({}))()',
    });
    expect(info).toMatchObject({ ok: true, value: { host: 'electron' } });
  }, 60_000);

  it('no console error from our pages', async () => {
    const s = await sim.state();
    const errors = s.log.filter((e) => e.type === 'console-error' && /^app:\/\/renderer\//.test(String(e.url)));
    expect(errors.map((e) => e.text)).toEqual([]);
  });

  it('the CSP arrives as a response header: an injected inline script is refused by the header’s policy too', async () => {
    const r = await sim.call<{ ran: boolean; seen: { policy: string; directive: string; disposition: string }[] }>(
      'evaluate',
      { name: 'settings', source: INJECT_INLINE },
    );
    expect(r.ran).toBe(false);
    const header = r.seen.find((v) => v.policy.includes("frame-ancestors 'none'"));
    expect(header, `violations: ${JSON.stringify(r.seen)}`).toMatchObject({
      directive: 'script-src-elem',
      disposition: 'enforce',
    });
  }, 30_000);

  it('another origin cannot frame our page (frame-ancestors in the header)', async () => {
    const r = await sim.call<{ frameUrl: string | null; title: string | null; api: string | null }>(
      'frameFromForeign',
      { url: 'app://renderer/popover.html' },
    );
    // Chromium replaces a frame refused by frame-ancestors with its error page
    expect(r.frameUrl, JSON.stringify(r)).toBe('chrome-error://chromewebdata/');
    expect(r.title).not.toBe('Exist Tray');
    expect(r.api).not.toBe('object');
  }, 30_000);

  it('a file:// copy of our page is refused by the sender check, even inside our own window', async () => {
    const fileUrl = pathToFileURL(join(install.appPath, 'out', 'renderer', 'settings.html')).href;
    const r = await sim.call<{ frameUrl: string; answer: unknown }>('ownWindowInvoke', {
      name: 'settings',
      url: fileUrl,
      channel: 'app:get-info',
    });
    expect(r.frameUrl).toMatch(/^file:\/\//);
    expect(r.answer).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    // and the window has its app:// page back, trusted again
    const again = await sim.call('evaluate', {
      name: 'settings',
      source: '(async () => globalThis.existTray.app.getInfo({}))()',
    });
    expect(again).toMatchObject({ ok: true });
  }, 60_000);

  it('traversal from the page gets the handler’s 404; the page’s own assets are fetched fine', async () => {
    const statuses = await sim.call<Record<string, number | string>>('evaluate', {
      name: 'settings',
      source: `(async () => {
        const out = {};
        const status = (u) => fetch(u).then((r) => r.status, (e) => String(e));
        out.own = await status(document.querySelector('script[type="module"]').src);
        for (const u of ['..%2fmain%2findex.js', '..%2f..%2fpackage.json', 'assets%2f..%2f..%2fpreload%2findex.cjs', '%2e%2e/%2e%2e/package.json', '..%5cmain%5cindex.js', '%2fetc%2fpasswd'])
          out[u] = await status(u);
        return out;
      })()`,
    });
    const { own, ...attacks } = statuses;
    expect(own).toBe(200);
    expect(Object.values(attacks)).toEqual(Object.keys(attacks).map(() => 404));
  }, 30_000);

  it('quits with exit code 0', async () => {
    await sim.call('quit').catch(() => undefined);
    expect(await sim.exited).toBe(0);
  }, 60_000);
});
