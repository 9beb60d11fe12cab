/**
 * The tray icon: a left click toggles the popover placed by the icon; a right click
 * shows the menu. Linux AppIndicator trays emit no clicks at all, so there the menu is
 * always attached and "Open" places the popover near the pointer.
 */
import { join } from 'node:path';
import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import type { Rect } from './tray-position';
import type { TrayIconVariant, TrayState } from '../core/traystate';

export interface TrayActions {
  /** Toggle the popover; `bounds` is the icon's, or null when the platform does not say. */
  toggle(bounds: Rect | null): void;
  open(): void;
  settings(): void;
  syncNow(): void;
  quit(): void;
}

/**
 * The icon file: a template image on macOS (the OS tints it); on Linux one coloured glyph
 * that reads on dark and light panels (Ubuntu's panel is dark whatever the app theme, and
 * Electron cannot ask the panel); on Windows the variant for the taskbar's theme. A state
 * variant (scripts/make-icons.mjs) unless all is well.
 */
export function trayIconPath(
  buildDir: string,
  platform: NodeJS.Platform,
  darkPanel: boolean,
  variant: TrayIconVariant = 'ok',
): string {
  const v = variant === 'ok' ? '' : `-${variant}`;
  if (platform === 'darwin') return join(buildDir, variant === 'ok' ? 'trayTemplate.png' : `tray${v}Template.png`);
  if (platform === 'linux') return join(buildDir, `tray-linux${v}.png`);
  return join(buildDir, `${darkPanel ? 'tray-dark' : 'tray-light'}${v}.png`);
}

/** "Exist Tray — 3 values waiting to sync". */
export function trayTooltip(pending: number): string {
  if (pending <= 0) return 'Exist Tray — all synced';
  return `Exist Tray — ${pending} ${pending === 1 ? 'value' : 'values'} waiting to sync`;
}

/** The context menu: the state in words (disabled; AppIndicator shows no tooltip), Open, Settings, Sync now, Quit. */
export function trayMenuTemplate(
  actions: Pick<TrayActions, 'open' | 'settings' | 'syncNow' | 'quit'>,
  header?: string,
): MenuItemConstructorOptions[] {
  const top: MenuItemConstructorOptions[] =
    header === undefined ? [] : [{ label: header, enabled: false }, { type: 'separator' }];
  return [
    ...top,
    { label: 'Open Exist Tray', click: () => actions.open() },
    { label: 'Settings…', click: () => actions.settings() },
    { label: 'Sync now', click: () => actions.syncNow() },
    { type: 'separator' },
    { label: 'Quit Exist Tray', click: () => actions.quit() },
  ];
}

/** Whether the taskbar/panel is dark, so the icon needs a light glyph. */
function darkPanel(platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return nativeTheme.shouldUseDarkColorsForSystemIntegratedUI;
  return nativeTheme.shouldUseDarkColors;
}

export interface AppTray {
  setPending(n: number): void;
  /** Icon variant, tooltip, menu header and (macOS) title from src/core/traystate. */
  setState(s: TrayState): void;
  bounds(): Rect | null;
  destroy(): void;
}

export function createTray(buildDir: string, platform: NodeJS.Platform, actions: TrayActions): AppTray {
  let variant: TrayIconVariant = 'ok';
  const image = () => {
    const img = nativeImage.createFromPath(trayIconPath(buildDir, platform, darkPanel(platform), variant));
    if (platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  const tray = new Tray(image());
  let menu = Menu.buildFromTemplate(trayMenuTemplate(actions));
  let stateShown = false;
  let title = '';
  const bounds = (): Rect | null => {
    const b = tray.getBounds();
    return b.width > 0 && b.height > 0 ? b : null;
  };
  tray.setToolTip(trayTooltip(0));

  if (platform === 'linux') {
    // AppIndicator: no click events reach the app; the menu is the only way in.
    tray.setContextMenu(menu);
    tray.on('click', () => actions.toggle(bounds())); // some X11 trays do emit it
  } else {
    tray.setIgnoreDoubleClickEvents(true);
    tray.on('click', () => actions.toggle(bounds()));
    tray.on('right-click', () => tray.popUpContextMenu(menu));
  }
  const onTheme = () => {
    if (platform !== 'darwin') tray.setImage(image());
  };
  nativeTheme.on('updated', onTheme);

  return {
    // Only until the first tray state arrives: the state says the count in words, and a later
    // bare count must not overwrite "reconnect needed" or "paused until 14:00".
    setPending: (n) => {
      if (!stateShown) tray.setToolTip(trayTooltip(n));
    },
    setState(s) {
      stateShown = true;
      if (s.iconVariant !== variant) {
        variant = s.iconVariant;
        tray.setImage(image());
      }
      tray.setToolTip(s.tooltip);
      // docs/api/tray.md: tray.setTitle(title[, options]) is macOS only; digits of one width, so a +1 does not shift the icon.
      if (platform === 'darwin' && s.title !== title) {
        title = s.title;
        tray.setTitle(s.title, { fontType: 'monospacedDigit' });
      }
      menu = Menu.buildFromTemplate(trayMenuTemplate(actions, s.menuHeader));
      if (platform === 'linux') tray.setContextMenu(menu);
    },
    bounds,
    destroy() {
      nativeTheme.off('updated', onTheme);
      tray.destroy();
    },
  };
}
