/**
 * A small recording fake of the Electron main-process API, aliased to `electron` in
 * vitest (importing the real package tries to download a binary). It records what the
 * shell asked for so tests can assert it; `resetElectronStub()` starts each test clean.
 * Only what `src/main` uses is here.
 */
import { EventEmitter } from 'node:events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a fake must accept Electron's many listener shapes
type Listener = (...args: any[]) => unknown;

/** Mimics Electron's Event with preventDefault. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextId = 1;

export class FakeFrame {
  parent: FakeFrame | null;
  constructor(
    public url: string,
    parent: FakeFrame | null = null,
  ) {
    this.parent = parent;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  sent: [string, unknown][] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  url = '';
  destroyed = false;
  devToolsOpened = false;
  mainFrame = new FakeFrame('');
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = fn;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isDevToolsOpened(): boolean {
    return this.devToolsOpened;
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((w) => !w.destroyed);
  }
  static fromWebContents(wc: FakeWebContents): BrowserWindow | null {
    return BrowserWindow.windows.find((w) => w.webContents === wc) ?? null;
  }
  readonly id = nextId++;
  readonly webContents = new FakeWebContents();
  visible: boolean;
  position: [number, number] = [0, 0];
  loaded: { url?: string; file?: string; options?: unknown } | null = null;
  destroyed = false;
  minimized = false;
  calls: string[] = [];
  constructor(public options: Record<string, unknown> = {}) {
    super();
    this.visible = options.show !== false;
    BrowserWindow.windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    this.webContents.url = url;
    return Promise.resolve();
  }
  loadFile(file: string, options?: unknown): Promise<void> {
    this.loaded = { file, options };
    this.webContents.url = `file://${file}`;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
    this.calls.push('show');
  }
  hide(): void {
    this.visible = false;
    this.calls.push('hide');
  }
  focus(): void {
    this.calls.push('focus');
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  getPosition(): [number, number] {
    return this.position;
  }
  setVisibleOnAllWorkspaces(): void {}
  setAlwaysOnTop(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    const e = new FakeEvent();
    this.emit('close', e);
    if (!e.defaultPrevented) this.destroy();
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class IpcMainFake {
  handlers = new Map<string, Listener>();
  listeners = new Map<string, Listener[]>();
  handle(channel: string, fn: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, fn: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), fn]);
    return this;
  }
  removeAllListeners(channel?: string): this {
    if (channel === undefined) this.listeners.clear();
    else this.listeners.delete(channel);
    return this;
  }
  /** Test helper: what `ipcRenderer.invoke` would get back. */
  async invoke(channel: string, event: unknown, payload: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, payload);
  }
  /** Test helper: `ipcRenderer.send`. */
  emitSend(channel: string, event: unknown, payload: unknown): void {
    for (const fn of this.listeners.get(channel) ?? []) fn(event, payload);
  }
}
export const ipcMain = new IpcMainFake();

class AppFake extends EventEmitter {
  isPackaged = false;
  name = 'Exist Tray';
  userData = '/tmp/exist-tray-stub';
  loginItem = { openAtLogin: false };
  protocols: unknown[][] = [];
  quitCalled = 0;
  dock = { hidden: false, hide: () => void (this.dock.hidden = true) };
  getPath(name: string): string {
    return name === 'userData' ? this.userData : `/tmp/exist-tray-stub/${name}`;
  }
  getAppPath(): string {
    return process.cwd();
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    this.protocols.push(args);
    return true;
  }
  setLoginItemSettings(s: { openAtLogin: boolean }): void {
    this.loginItem = { openAtLogin: s.openAtLogin };
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return this.loginItem;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  quit(): void {
    this.quitCalled++;
  }
  focus(): void {}
}
export const app = new AppFake();

export const nativeImage = {
  createFromPath(path: string) {
    return {
      path,
      template: false,
      setTemplateImage(t: boolean) {
        this.template = t;
      },
      isEmpty: () => false,
    };
  },
};

export class Tray extends EventEmitter {
  static trays: Tray[] = [];
  tooltip = '';
  title = '';
  contextMenu: unknown = null;
  poppedUp: unknown[] = [];
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  destroyed = false;
  constructor(public image: unknown) {
    super();
    Tray.trays.push(this);
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(m: unknown): void {
    this.contextMenu = m;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  popUpContextMenu(m?: unknown): void {
    this.poppedUp.push(m);
  }
  setImage(i: unknown): void {
    this.image = i;
  }
  setIgnoreDoubleClickEvents(): void {}
  getBounds() {
    return this.bounds;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export const Menu = {
  applicationMenu: undefined as unknown,
  buildFromTemplate(template: unknown[]) {
    return { template, items: template };
  },
  setApplicationMenu(m: unknown) {
    Menu.applicationMenu = m;
  },
};

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  async isAsyncEncryptionAvailable() {
    return safeStorage.available;
  },
  isEncryptionAvailable() {
    return safeStorage.available;
  },
  getSelectedStorageBackend() {
    return safeStorage.backend;
  },
  /** Reversible but not plain: enough to tell "encrypted" from "plain" in tests. */
  async encryptStringAsync(s: string) {
    return Buffer.from(`enc:${Buffer.from(s).toString('hex')}`);
  },
  async decryptStringAsync(b: Buffer) {
    const t = b.toString();
    if (!t.startsWith('enc:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: Buffer.from(t.slice(4), 'hex').toString(), shouldReEncrypt: false };
  },
};

export class Notification extends EventEmitter {
  static supported = true;
  static shown: Notification[] = [];
  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(public options: { title: string; body: string; actions?: { type: string; text: string }[] }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const shell = {
  opened: [] as string[],
  async openExternal(url: string) {
    shell.opened.push(url);
  },
};

export const powerMonitor = new EventEmitter();

export const globalShortcut = {
  registered: new Map<string, Listener>(),
  taken: new Set<string>(),
  register(accelerator: string, fn: Listener) {
    if (globalShortcut.taken.has(accelerator)) return false;
    globalShortcut.registered.set(accelerator, fn);
    return true;
  },
  unregister(accelerator: string) {
    globalShortcut.registered.delete(accelerator);
  },
  unregisterAll() {
    globalShortcut.registered.clear();
  },
  isRegistered(accelerator: string) {
    return globalShortcut.registered.has(accelerator);
  },
};

class NativeThemeFake extends EventEmitter {
  shouldUseDarkColors = false;
  shouldUseDarkColorsForSystemIntegratedUI = true;
}
export const nativeTheme = new NativeThemeFake();

const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  scaleFactor: 1,
};
export const screen = {
  cursor: { x: 0, y: 0 },
  display,
  getCursorScreenPoint: () => screen.cursor,
  getPrimaryDisplay: () => screen.display,
  getDisplayNearestPoint: () => screen.display,
  getDisplayMatching: () => screen.display,
};

class WebRequestFake {
  headersListener: Listener | null = null;
  onHeadersReceived(fn: Listener): void {
    this.headersListener = fn;
  }
}
class ProtocolFake {
  handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  privileged: unknown[] = [];
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme has been handled: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
}
export const protocol = new ProtocolFake();
class SessionFake {
  webRequest = new WebRequestFake();
  protocol = new ProtocolFake();
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  setPermissionRequestHandler(fn: Listener): void {
    this.permissionRequestHandler = fn;
  }
  setPermissionCheckHandler(fn: Listener): void {
    this.permissionCheckHandler = fn;
  }
}
export const session = { defaultSession: new SessionFake() };

export const net = {
  online: true,
  isOnline: () => net.online,
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    contextBridge.exposed.set(key, api);
  },
};

export const ipcRenderer = new EventEmitter();

/** Back to a clean slate between tests. */
export function resetElectronStub(): void {
  BrowserWindow.windows = [];
  Tray.trays = [];
  ipcMain.handlers.clear();
  ipcMain.listeners.clear();
  app.removeAllListeners();
  app.isPackaged = false;
  app.loginItem = { openAtLogin: false };
  app.protocols = [];
  app.quitCalled = 0;
  Menu.applicationMenu = undefined;
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  Notification.supported = true;
  Notification.shown = [];
  shell.opened = [];
  powerMonitor.removeAllListeners();
  globalShortcut.registered.clear();
  globalShortcut.taken.clear();
  nativeTheme.removeAllListeners();
  nativeTheme.shouldUseDarkColors = false;
  screen.cursor = { x: 0, y: 0 };
  session.defaultSession = new SessionFake();
  protocol.handlers.clear();
  protocol.privileged = [];
  net.online = true;
  contextBridge.exposed.clear();
}

export default {
  app,
  BrowserWindow,
  contextBridge,
  globalShortcut,
  ipcMain,
  ipcRenderer,
  Menu,
  nativeImage,
  nativeTheme,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
};
