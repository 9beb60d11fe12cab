/**
 * The tray shows state (issue 18): the icon variant file exists for every state, the
 * tooltip and the Linux menu's first (disabled) item say it in words, macOS gets a title.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Tray, resetElectronStub } from '../stubs/electron';
import { createTray, trayIconPath, type TrayActions } from '../../src/main/tray';
import { trayState, type TrayIconVariant } from '../../src/core/traystate';

beforeEach(() => resetElectronStub());
const noop: TrayActions = { toggle() {}, open() {}, settings() {}, syncNow() {}, quit() {} };
const BUILD = join(__dirname, '..', '..', 'build');
const VARIANTS: TrayIconVariant[] = ['ok', 'pending', 'offline', 'paused', 'failed', 'reconnect', 'disconnected'];
const offline2 = trayState({ account: 'connected', pending: 2, failed: 0, stopCode: 'offline', pausedUntil: null });

describe('tray state in the shell', () => {
  it('every variant has its icon on every platform and theme, at 1× and 2×', () => {
    for (const v of VARIANTS)
      for (const [platform, dark] of [
        ['darwin', false],
        ['linux', true],
        ['win32', false],
      ] as const) {
        const p = trayIconPath(BUILD, platform, dark, v);
        expect(existsSync(p), p).toBe(true);
        expect(existsSync(p.replace(/\.png$/, '@2x.png')), p).toBe(true);
      }
    expect(trayIconPath('/b', 'darwin', false, 'failed')).toBe('/b/tray-failedTemplate.png');
    expect(trayIconPath('/b', 'linux', true, 'pending')).toBe('/b/tray-linux-pending.png');
  });

  it('Linux: the menu’s first item is the state, disabled; the icon switches variant', () => {
    createTray('/b', 'linux', noop).setState(offline2);
    const t = Tray.trays[0]!;
    const items = (t.contextMenu as { items: { label?: string; enabled?: boolean }[] }).items;
    expect(items[0]).toEqual({ label: "2 waiting — Exist can't be reached", enabled: false });
    expect((t.image as { path: string }).path).toBe('/b/tray-linux-offline.png');
    expect(t.tooltip).toBe("Exist Tray — 2 waiting — Exist can't be reached");
  });

  it('macOS: the title shows the chosen value; the template variant is used', () => {
    createTray('/b', 'darwin', noop).setState({ ...offline2, title: '12' });
    const t = Tray.trays[0]!;
    expect(t.title).toBe('12');
    expect((t.image as { path: string; template: boolean }).path).toBe('/b/tray-offlineTemplate.png');
  });

  it('a pending count that arrives after the state does not replace the state in words', () => {
    const tray = createTray('/b', 'win32', noop);
    tray.setState(offline2);
    tray.setPending(2);
    expect(Tray.trays[0]!.tooltip).toBe("Exist Tray — 2 waiting — Exist can't be reached");
  });
});
