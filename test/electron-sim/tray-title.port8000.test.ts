/**
 * The macOS tray title (issue 18) in the real bundle under the Electron model: with
 * "Show in the menu bar: Pages read" chosen, a +1 in the popover puts today's total beside
 * the icon through `tray.setTitle` (the model records each call, [D23] in ./DOCS.md; the
 * method exists on macOS only). On Linux the same choice never calls it (the model throws
 * there, as Electron has no such method, and the tray state would stop updating).
 * Connects through the sandbox consent page, whose callback binds port 8000.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, installApp, launchSim, type Install, type Sim, type SimPlatform, type SimState } from './driver';

let install: Install;
beforeAll(() => {
  ensureBuilt();
  install = installApp('Exist Tray');
}, 300_000);
afterAll(() => install?.remove());

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const titles = (s: SimState) => s.log.filter((e) => e.type === 'tray-title').map((e) => e.title);

async function connectWithPagesRead(sim: Sim): Promise<void> {
  await sim.call('waitForWindow', { name: 'settings' });
  await sim.call('click', { name: 'settings', role: 'tab', label: 'Account' });
  await sim.call('click', { name: 'settings', role: 'button', label: 'Try it with the local sandbox' });
  const authorize = await until('the consent page to be opened', async () =>
    (await sim.state()).opened.find((u) => /\/oauth2\/authorize\?/.test(u)),
  );
  await sim.call('browserOpen', { url: authorize });
  await sim.call('browserClick', { role: 'button', label: 'Allow' });
  await sim.call('waitForText', { name: 'settings', text: 'Connected to the local sandbox' });
  await sim.call('click', { name: 'settings', role: 'tab', label: 'Attributes' });
  await sim.call('click', { name: 'settings', role: 'button', label: 'Add Pages read', exact: true });
  await sim.call('waitForRole', { name: 'settings', role: 'button', label: 'Pages read added' });
}

async function plusOne(sim: Sim): Promise<void> {
  const how = await sim.call<string>('clickTray');
  if (how === 'menu') await sim.call('clickTrayMenu', { label: 'Open Exist Tray' });
  await sim.call('waitForWindow', { name: 'popover' });
  await sim.call('click', { name: 'popover', role: 'button', label: 'Add 1 to Pages read' });
  await sim.call('waitForText', { name: 'popover', text: 'All synced', timeout: 20_000 });
}

const PLATFORMS: SimPlatform[] = ['darwin', 'linux'];

describe.each(PLATFORMS)('the tray title on %s (real bundle, Electron model)', (platform) => {
  let sim: Sim;
  let userData: string;

  beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), `exist-sim-title-${platform}-`));
    const env = { HOME: userData, XDG_CONFIG_HOME: join(userData, 'config'), XDG_SESSION_TYPE: 'x11' };
    sim = launchSim({ platform, install, userData, argv: [], env });
    await sim.booted;
  }, 120_000);
  afterAll(async () => {
    sim?.kill();
    await sim?.exited;
    rmSync(userData, { recursive: true, force: true, maxRetries: 5 });
  });

  it('“Show in the menu bar: Pages read”, then a +1: the title is today’s total (macOS only)', async () => {
    await connectWithPagesRead(sim);
    const saved = await sim.call<{ ok: boolean }>('evaluate', {
      name: 'settings',
      source: "(async () => globalThis.existTray.settings.set({ trayTitleAttribute: 'pages_read' }))()",
    });
    expect(saved).toMatchObject({ ok: true });
    if (platform === 'darwin')
      await until('the title “0” for nothing logged yet', async () => titles(await sim.state()).at(-1) === '0');

    await plusOne(sim);
    if (platform === 'darwin') {
      await until('the title to follow the +1', async () => titles(await sim.state()).at(-1) === '1');
    } else {
      // The tray state still follows (the state in words heads the menu) and no title was ever set.
      const s = await until('the tray state after the +1', async () => {
        const st = await sim.state();
        return st.tray?.tooltip.includes('all synced') ? st : undefined;
      });
      expect(titles(s)).toEqual([]);
    }
    expect(sim.stderr()).not.toMatch(/setTitle is not a function/);
  }, 120_000);
});
