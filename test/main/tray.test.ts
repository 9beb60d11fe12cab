import { beforeEach, describe, expect, it } from 'vitest';
import { Tray, nativeTheme, resetElectronStub } from '../stubs/electron';
import { createTray, trayIconPath, trayMenuTemplate, trayTooltip, type TrayActions } from '../../src/main/tray';

beforeEach(() => resetElectronStub());

function actions() {
  const log: string[] = [];
  const a: TrayActions = {
    toggle: (b) => log.push(`toggle:${b ? `${b.x},${b.y}` : 'null'}`),
    open: () => log.push('open'),
    settings: () => log.push('settings'),
    syncNow: () => log.push('sync'),
    quit: () => log.push('quit'),
  };
  return { a, log };
}

describe('tray', () => {
  it('menu: Open, Settings, Sync now, Quit, each wired', () => {
    const { a, log } = actions();
    const items = trayMenuTemplate(a).filter((i) => i.type !== 'separator');
    expect(items.map((i) => i.label)).toEqual(['Open Exist Tray', 'Settings…', 'Sync now', 'Quit Exist Tray']);
    for (const i of items) (i.click as () => void)();
    expect(log).toEqual(['open', 'settings', 'sync', 'quit']);
  });

  it('tooltip carries the pending count', () => {
    expect(trayTooltip(0)).toMatch(/all synced/);
    expect(trayTooltip(1)).toMatch(/1 value waiting/);
    expect(trayTooltip(12)).toMatch(/12 values waiting/);
  });

  it('icons: template on macOS, light/dark variants elsewhere', () => {
    expect(trayIconPath('/b', 'darwin', true)).toBe('/b/trayTemplate.png');
    expect(trayIconPath('/b', 'linux', true)).toBe('/b/tray-linux.png');
    expect(trayIconPath('/b', 'linux', false)).toBe('/b/tray-linux.png');
    expect(trayIconPath('/b', 'win32', false)).toBe('/b/tray-light.png');
  });

  it('Linux: the context menu is always attached (AppIndicator sends no clicks)', () => {
    const { a } = actions();
    createTray('/b', 'linux', a);
    const t = Tray.trays[0]!;
    expect(t.contextMenu).not.toBeNull();
  });

  it('Windows/macOS: left click toggles with the icon bounds, right click pops the menu', () => {
    const { a, log } = actions();
    const tray = createTray('/b', 'win32', a);
    const t = Tray.trays[0]!;
    expect(t.contextMenu).toBeNull();
    t.bounds = { x: 1700, y: 1044, width: 24, height: 32 };
    t.emit('click');
    t.emit('right-click');
    expect(log).toEqual(['toggle:1700,1044']);
    expect(t.poppedUp).toHaveLength(1);
    t.bounds = { x: 0, y: 0, width: 0, height: 0 };
    t.emit('click');
    expect(log).toEqual(['toggle:1700,1044', 'toggle:null']);
    tray.setPending(3);
    expect(t.tooltip).toMatch(/3 values/);
  });

  it('switches the icon variant when the taskbar theme changes (Windows)', () => {
    const { a } = actions();
    nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = false;
    createTray('/b', 'win32', a);
    const t = Tray.trays[0]!;
    expect((t.image as { path: string }).path).toBe('/b/tray-light.png');
    nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = true;
    nativeTheme.emit('updated');
    expect((t.image as { path: string }).path).toBe('/b/tray-dark.png');
  });

  it('Linux keeps one glyph whatever the app theme (the panel is not the app)', () => {
    const { a } = actions();
    createTray('/b', 'linux', a);
    const t = Tray.trays[0]!;
    nativeTheme.shouldUseDarkColors = true;
    nativeTheme.emit('updated');
    expect((t.image as { path: string }).path).toBe('/b/tray-linux.png');
  });
});
