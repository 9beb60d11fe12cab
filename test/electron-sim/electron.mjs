/**
 * The fake `electron` module the hook resolves. The model itself (./model.mjs) is built
 * by the runner (./child.mjs) before the app is imported and put on globalThis, so the
 * bundle and electron-store get the same instances.
 */
const m = globalThis.__electronSim;
if (!m) throw new Error('electron-sim: the model was not set up (run the app through test/electron-sim/child.mjs)');
const e = m.electron;

export const app = e.app;
export const BrowserWindow = e.BrowserWindow;
export const ipcMain = e.ipcMain;
export const Tray = e.Tray;
export const Menu = e.Menu;
export const Notification = e.Notification;
export const nativeImage = e.nativeImage;
export const nativeTheme = e.nativeTheme;
export const screen = e.screen;
export const globalShortcut = e.globalShortcut;
export const safeStorage = e.safeStorage;
export const dialog = e.dialog;
export const shell = e.shell;
export const session = e.session;
export const powerMonitor = e.powerMonitor;
export const net = e.net;
export const protocol = e.protocol;
export const contextBridge = undefined; // renderer-only modules: absent in the main process
export const ipcRenderer = undefined;
export default e;
