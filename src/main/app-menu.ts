/**
 * The macOS application menu: without one, Cmd+C/V/X/A/Z do nothing in text fields and
 * Cmd+Q and Cmd+, are missing. Other platforms get no menu bar (the windows are small).
 */
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(actions: {
  settings(): void;
  syncNow(): void;
  quit(): void;
}): MenuItemConstructorOptions[] {
  return [
    {
      label: 'Exist Tray',
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CommandOrControl+,', click: () => actions.settings() },
        { label: 'Sync now', click: () => actions.syncNow() },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { label: 'Quit Exist Tray', accelerator: 'CommandOrControl+Q', click: () => actions.quit() },
      ],
    },
    { role: 'editMenu' },
    { role: 'windowMenu' },
  ];
}
