/**
 * Loaded into the REAL Electron main process before the app (`electron -r instrument.cjs
 * <app>`, see ./electron-driver.ts), so the `_electron` driver can do what a test cannot do
 * to a real desktop: find the app's Tray (Electron has no getter for it), click it and its
 * menu, press a registered global shortcut, and see what the app asked of Electron. It only
 * records and forwards, except two things a test must not do to the desktop it runs on:
 * `tray.popUpContextMenu` (a native menu grabs the pointer) and `shell.openExternal` (the
 * driver's own browser opens the URL) are recorded instead.
 * Everything lands in `globalThis.__shellRecord`, read through `electronApp.evaluate`.
 */
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with `-r`, before the app: CommonJS
const { app, Tray, Notification, globalShortcut, nativeImage, shell } = require('electron');

const rec = {
  created: [],
  shows: [],
  consoleErrors: [],
  opened: [],
  notifications: [],
  loginItemSets: [],
  shortcuts: new Map(),
  tray: null,
  trayMenu: null,
  trayImage: null,
  lastPopped: null,
};
globalThis.__shellRecord = rec;

const wrap = (obj, name, fn) => {
  const orig = obj[name];
  obj[name] = function (...args) {
    return fn.call(this, orig, args);
  };
};

// Tray: remember the instance, its menu and its image (the path is tagged at createFromPath;
// the constructor's image is the last one created before the tray is first seen).
const imagePaths = new WeakMap();
let lastImage = null;
wrap(nativeImage, 'createFromPath', (orig, [path]) => {
  const img = orig(path);
  imagePaths.set(img, path);
  lastImage = img;
  return img;
});
for (const name of ['setToolTip', 'setContextMenu', 'setImage', 'setTitle']) {
  if (typeof Tray.prototype[name] !== 'function') continue;
  wrap(Tray.prototype, name, function (orig, args) {
    if (rec.tray !== this) rec.trayImage = lastImage;
    rec.tray = this;
    if (name === 'setContextMenu') rec.trayMenu = args[0] ?? null;
    if (name === 'setImage') rec.trayImage = args[0];
    if (name === 'setToolTip') rec.tooltip = String(args[0]);
    return orig.apply(this, args);
  });
}
Tray.prototype.popUpContextMenu = function (menu) {
  rec.tray = this;
  rec.lastPopped = menu ?? rec.trayMenu;
};
const labels = (menu) => menu?.items.map((i) => i.label || i.type) ?? null;
const findItem = (menu, label) => {
  for (const item of menu?.items ?? []) {
    if (item.label === label) return item;
    const sub = item.submenu && findItem(item.submenu, label);
    if (sub) return sub;
  }
  return null;
};
const trayEvent = { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, preventDefault() {} };

/** What the driver reads and does, in the main process. */
rec.trayState = () =>
  rec.tray && {
    tooltip: rec.tooltip ?? '',
    image: (rec.trayImage && imagePaths.get(rec.trayImage)) ?? null,
    template: !!rec.trayImage?.isTemplateImage?.(),
    menu: labels(rec.trayMenu),
  };
/** The OS's side of a click, as the Electron model has it (DOCS.md D17, M1): an attached menu opens on click on Linux and macOS. */
rec.clickTray = () => {
  if (!rec.tray) throw new Error('no tray icon');
  if (rec.trayMenu && process.platform !== 'win32') {
    rec.lastPopped = rec.trayMenu;
    return 'menu';
  }
  rec.tray.emit('click', trayEvent, rec.tray.getBounds(), { x: 0, y: 0 });
  return 'click';
};
rec.rightClickTray = () => {
  if (!rec.tray) throw new Error('no tray icon');
  if (rec.trayMenu) {
    rec.lastPopped = rec.trayMenu;
    return 'menu';
  }
  rec.tray.emit('right-click', trayEvent, rec.tray.getBounds());
  return 'right-click';
};
rec.trayMenuLabels = () => labels(rec.lastPopped) ?? [];
rec.clickTrayMenu = (label, focusedWindow) => {
  const item = findItem(rec.lastPopped ?? rec.trayMenu, label);
  if (!item) throw new Error(`no tray menu item "${label}"`);
  item.click(trayEvent, focusedWindow ?? undefined, undefined);
};
rec.pressShortcut = (accelerator) => {
  const cb = rec.shortcuts.get(accelerator);
  if (!cb) return false;
  cb();
  return true;
};

// Windows: shown at creation, shown before ready-to-show, console errors of our pages.
app.on('browser-window-created', (_e, win) => {
  let ready = false;
  const visible = win.isVisible();
  rec.created.push({ show: visible, backgroundColor: null });
  if (visible) rec.shows.push({ id: win.id, urlAtShow: null, pageReady: false });
  win.once('ready-to-show', () => (ready = true));
  win.on('show', () => rec.shows.push({ id: win.id, urlAtShow: win.webContents.getURL() || null, pageReady: ready }));
});
app.on('web-contents-created', (_e, wc) => {
  // Electron 45: one details object ({ level: 'error', message }); older: (event, level 3, message).
  wc.on('console-message', (details, level, message) => {
    const lvl = details?.level ?? level;
    if (lvl === 'error' || lvl === 3)
      rec.consoleErrors.push({ url: wc.getURL(), text: String(details?.message ?? message) });
  });
});

wrap(globalShortcut, 'register', (orig, [accelerator, cb]) => {
  const ok = orig(accelerator, cb);
  if (ok) rec.shortcuts.set(accelerator, cb);
  return ok;
});
wrap(globalShortcut, 'unregister', (orig, [accelerator]) => {
  rec.shortcuts.delete(accelerator);
  return orig(accelerator);
});
wrap(globalShortcut, 'unregisterAll', (orig) => {
  rec.shortcuts.clear();
  return orig();
});

shell.openExternal = (url) => {
  rec.opened.push(String(url));
  return Promise.resolve();
};
wrap(Notification.prototype, 'show', function (orig) {
  rec.notifications.push({ title: this.title });
  return orig.call(this);
});
wrap(app, 'setLoginItemSettings', (orig, [settings]) => {
  rec.loginItemSets.push({ ...settings });
  return orig(settings);
});
