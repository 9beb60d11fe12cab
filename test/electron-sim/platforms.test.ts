/**
 * Platform differences, each booting the real bundle under the Electron model
 * (./model.mjs; the doc lines are in ./DOCS.md). Each case is a bug found on today's
 * code (issue 15) and fails without its fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, type Sim } from './driver';
import { bootPerTest } from './suite';

const boot = bootPerTest('exist-sim');

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const visibleWindows = async (sim: Sim) => (await sim.state()).windows.filter((w) => w.visible).map((w) => w.url ?? '');

describe('macOS', () => {
  it('a login launch (args are ignored there) stays in the tray: wasOpenedAtLogin is asked', async () => {
    const { sim } = await boot('darwin', { openedAtLogin: true });
    await sim.call('waitForWindow', { name: 'popover' }); // the popover page loads, hidden
    await settle(1500); // the first-run Settings window would have opened by now
    expect(await visibleWindows(sim)).toEqual([]);
    expect((await sim.state()).log.filter((e) => e.type === 'show')).toEqual([]);
  }, 120_000);

  it('activate (Finder, Dock, Spotlight relaunch) shows the popover', async () => {
    const { sim } = await boot('darwin');
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('waitForWindow', { name: 'popover' });
    await sim.call('activate');
    await settle(300);
    expect((await visibleWindows(sim)).some((u) => /popover\.html/.test(u))).toBe(true);
  }, 120_000);

  it('launch at login that needs approval says so in words', async () => {
    const { sim } = await boot('darwin', { darwinLoginApproval: 'requires-approval' });
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('click', { name: 'settings', role: 'tab', label: 'General' });
    await sim.call('click', { name: 'settings', role: 'checkbox', label: 'Launch at login' });
    await sim.call('waitForText', { name: 'settings', text: 'System Settings → General → Login Items' });
    expect(await sim.call<string>('text', { name: 'settings' })).not.toMatch(/did not allow/);
  }, 120_000);

  it('the dock icon is hidden and the tray image is a template', async () => {
    const { sim } = await boot('darwin');
    const s = await sim.state();
    expect(s.log.some((e) => e.type === 'dock-hide')).toBe(true);
    expect(s.tray).toMatchObject({ template: true });
  }, 120_000);
});

describe('Windows', () => {
  it('sets the installer’s AppUserModelID (electron-builder.yml appId) before ready', async () => {
    const appId = /^appId:\s*(\S+)/m.exec(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))?.[1];
    const { sim } = await boot('win32');
    expect((await sim.state()).appUserModelId).toBe(appId);
  }, 120_000);
});

describe('Linux', () => {
  it('Wayland: the GlobalShortcutsPortal switch is set before ready, so the shortcut is delivered', async () => {
    const { sim } = await boot(
      'linux',
      { wayland: true },
      { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' },
    );
    const s = await sim.state();
    expect(s.switches).toContainEqual(['enable-features', expect.stringContaining('GlobalShortcutsPortal')]);
    expect(s.log.some((e) => e.type === 'switch-after-ready')).toBe(false);
    await sim.call('waitForWindow', { name: 'popover' });
    expect(await sim.call('pressShortcut', { accelerator: 'CommandOrControl+Shift+E' })).toBe(true);
  }, 120_000);

  it('Wayland: Settings → General says the shortcut is unavailable (register() true is no proof) until a press arrives', async () => {
    const { sim } = await boot(
      'linux',
      { wayland: true },
      { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' },
    );
    expect((await sim.state()).shortcuts).toContain('CommandOrControl+Shift+E'); // register() answered true
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('click', { name: 'settings', role: 'tab', label: 'General' });
    await sim.call('waitForText', { name: 'settings', text: 'Shortcut unavailable on this desktop' });
    const text = await sim.call<string>('text', { name: 'settings' });
    expect(text).toMatch(/Wayland/);
    expect(text).not.toMatch(/Active: CommandOrControl\+Shift\+E/);
    // A press that reaches the app is the proof: the status turns active.
    await sim.call('waitForWindow', { name: 'popover' });
    expect(await sim.call('pressShortcut', { accelerator: 'CommandOrControl+Shift+E' })).toBe(true);
    await sim.call('waitForText', { name: 'settings', text: 'Active: CommandOrControl+Shift+E opens the popover' });
    expect(await sim.call<string>('text', { name: 'settings' })).not.toMatch(/unavailable on this desktop/);
  }, 120_000);

  it('X11: a shortcut taken at start shows as unavailable with the reason', async () => {
    const { sim } = await boot('linux', { takenShortcuts: ['CommandOrControl+Shift+E'] });
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('click', { name: 'settings', role: 'tab', label: 'General' });
    await sim.call('waitForText', { name: 'settings', text: 'Shortcut unavailable on this desktop' });
    expect(await sim.call<string>('text', { name: 'settings' })).toMatch(/taken by another app/);
  }, 120_000);

  // The log is read while the app runs; quitting right after first run is the next test.
  it('writes a log file in the data folder', { retry: 1, timeout: 120_000 }, async () => {
    const { sim, dir } = await boot('linux');
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('waitForText', { name: 'settings', text: 'Try it with the local sandbox' });
    const log = join(dir, 'logs', 'main.log');
    await expect
      .poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 15_000 })
      .toMatch(/Exist Tray \S+ starting on linux/);
  });

  // Once timed out (120 s) in a full CI run on 2 busy cores. Not reproduced since: 10 of 10 under
  // two busy-loop processes, 4 of 4 quitting at boot, 4 of 4 as soon as Settings exists (exit in
  // 0.7–3.4 s). If it hangs again, the failure says where: the model's last events and stderr.
  it('quits right after first run with exit code 0', { timeout: 150_000 }, async () => {
    const { sim } = await boot('linux');
    await sim.call('waitForWindow', { name: 'settings' });
    await sim.call('waitForText', { name: 'settings', text: 'Try it with the local sandbox' });
    await sim.call('quit');
    const code = await Promise.race([
      sim.exited,
      new Promise<'no exit'>((r) => setTimeout(() => r('no exit'), 60_000)),
    ]);
    if (code === 'no exit') {
      const last = await sim
        .state()
        .then((s) => JSON.stringify(s.log.slice(-30).map(({ t: _t, ...e }) => e)))
        .catch((e: unknown) => `(no state: ${String(e)})`);
      throw new Error(
        `no exit 60 s after quit; the model's last events: ${last}\nstderr: ${sim.stderr().slice(-2000)}`,
      );
    }
    expect(code).toBe(0);
  });
});
