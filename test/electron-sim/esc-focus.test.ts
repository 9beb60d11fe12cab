/**
 * Issue 16: Esc in the popover gives focus back to where it was, booting the real bundle
 * under the Electron model (./model.mjs records window hides and, on macOS, `app.hide()`).
 * macOS: the popover hides, then the app (the previous app is activated again), unless
 * Settings is open; Windows (and Linux, same code path): the focused popover hides and
 * nothing else is done (the window manager activates the previous window).
 */
import { describe, expect, it } from 'vitest';
import type { Sim } from './driver';
import { bootPerTest } from './suite';

const boot = bootPerTest('exist-sim-esc');

const ESC = `document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))`;

/** Opens the popover from the tray, presses Esc in it, and returns what happened after the Esc. */
async function escFromPopover(sim: Sim) {
  const popoverId = await sim.call<number>('waitForWindow', { name: 'popover' });
  await sim.call('clickTray');
  await expect
    .poll(async () => (await sim.state()).windows.find((w) => w.id === popoverId)?.visible, { timeout: 15_000 })
    .toBe(true);
  const from = (await sim.state()).log.length;
  await sim.call('evaluate', { name: 'popover', source: ESC });
  await expect
    .poll(async () => (await sim.state()).windows.find((w) => w.id === popoverId)?.visible, { timeout: 15_000 })
    .toBe(false);
  await new Promise((r) => setTimeout(r, 300)); // anything Esc does after the hide
  const s = await sim.state();
  return {
    after: s.log.slice(from).filter((e) => e.type === 'hide' || e.type === 'app-hide'),
    popoverId,
    visible: s.windows.filter((w) => w.visible).map((w) => w.id),
  };
}

describe('Esc in the popover returns focus', () => {
  it('macOS, nothing else open: the popover hides, then the app, so the previous app is focused again', async () => {
    const { sim } = await boot('darwin', { openedAtLogin: true }); // no first-run Settings window
    const { after, popoverId } = await escFromPopover(sim);
    expect(after.map((e) => [e.type, e.id ?? null])).toEqual([
      ['hide', popoverId],
      ['app-hide', null],
    ]);
  }, 120_000);

  it('macOS with Settings open: only the popover hides (Settings keeps showing, and focus)', async () => {
    const { sim } = await boot('darwin');
    const settingsId = await sim.call<number>('waitForWindow', { name: 'settings' });
    const { after, popoverId, visible } = await escFromPopover(sim);
    expect(after.map((e) => e.type)).toEqual(['hide']);
    expect(after[0]?.id).toBe(popoverId);
    expect(visible).toContain(settingsId);
  }, 120_000);

  it('Windows: the focused popover hides, nothing more (the window manager activates the previous window)', async () => {
    const { sim } = await boot('win32');
    const { after, popoverId } = await escFromPopover(sim);
    expect(after.map((e) => [e.type, e.id])).toEqual([['hide', popoverId]]);
  }, 120_000);
});
