/**
 * A model of Electron 45's main-process API, for booting the REAL built bundle
 * (out/main/index.js) under plain Node. Windows are Chromium pages (Playwright,
 * /usr/bin/chromium) that load the real renderer and run the real preload
 * (out/preload/index.cjs) under a sandboxed-`require` model and a copy-and-freeze
 * contextBridge; IPC crosses from the page to this process through one Playwright
 * binding, so `senderFrame.url` is the URL Chromium really has for the sending frame.
 *
 * Every behaviour below is tagged [D#] with the Electron 45 doc line it follows; the
 * lines are quoted in ./DOCS.md (one place, to audit the model). Where the docs are
 * silent the model says so in DOCS.md ("model choice").
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { format as formatUrl } from 'node:url';

/** The page-side half: runs the preload in a closure with a sandboxed require [D10][D11]. */
function pageBootstrap({ preloadSource, nonce }) {
  if (window.top !== window) return; // preloads run in the main frame only [D12]
  const bridge = globalThis.__simIpc;
  const listeners = new Map();
  const clone = (v) => (typeof v === 'function' ? v : structuredClone(v));
  const ipcRenderer = {
    invoke: (channel, ...args) => bridge('invoke', channel, args.map(clone)),
    send: (channel, ...args) => void bridge('send', channel, args.map(clone)),
    on(channel, l) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(l);
      return ipcRenderer;
    },
    removeListener(channel, l) {
      listeners.get(channel)?.delete(l);
      return ipcRenderer;
    },
    sendSync() {
      throw new Error('electron-sim: sendSync is not modelled');
    },
  };
  // Copy-and-freeze [D11]: objects are copied (prototypes dropped) and frozen; functions are proxied,
  // their arguments and results copied across.
  const copy = (v) => {
    if (typeof v === 'function')
      return Object.freeze((...args) => {
        const r = v(...args.map(clone));
        return r && typeof r.then === 'function' ? r.then(clone) : typeof r === 'function' ? copy(r) : clone(r);
      });
    if (Array.isArray(v)) return Object.freeze(v.map(copy));
    if (v && typeof v === 'object') {
      const o = {};
      for (const k of Object.keys(v)) o[k] = copy(v[k]);
      return Object.freeze(o);
    }
    return v;
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: copy(api), enumerable: true, writable: false, configurable: false });
    },
  };
  const electronModule = Object.freeze({ contextBridge, ipcRenderer, webFrame: {}, nativeImage: {}, webUtils: {} });
  const allowed = { electron: electronModule, events: {}, timers: { setTimeout, clearTimeout }, url: { URL } };
  const sandboxedRequire = (name) => {
    if (name in allowed) return allowed[name];
    throw new Error(`module not found: ${name}`);
  };
  const module = { exports: {} };
  const process = Object.freeze({ platform: nonce.platform, sandboxed: true, contextIsolated: true, type: 'renderer' });
  new Function('require', 'module', 'exports', 'process', preloadSource)(
    sandboxedRequire,
    module,
    module.exports,
    process,
  );
  Object.defineProperty(window, `__simPush_${nonce.key}`, {
    value: (channel, args) => {
      for (const l of listeners.get(channel) ?? []) l({ sender: ipcRenderer }, ...args);
    },
    enumerable: false,
  });
}

export function createModel({ platform, browser, appPath, userData, env = {}, options = {} }) {
  const log = []; // everything observable, in order
  const record = (type, data = {}) => log.push({ type, t: Date.now(), ...data });
  let ready = false;
  const beforeReady = (what) => {
    if (!ready) throw new Error(`${what} cannot be used before the app's 'ready' event [D1]`);
  };
  const pushKey = Math.random().toString(36).slice(2);

  // ------------------------------------------------------------------ app
  const switches = new Map();
  const loginItems = new Map(); // win32: Run key name → {path, args}; darwin: one service
  let darwinLoginStatus = 'not-registered';
  let appUserModelId = null;
  let exitCode = null;
  const onExit = [];

  const app = new EventEmitter();
  Object.assign(app, {
    isPackaged: options.packaged ?? true,
    commandLine: {
      appendSwitch(name, value = '') {
        if (ready) record('switch-after-ready', { name }); // switches must be set before ready [D20]
        const prev = switches.get(name);
        switches.set(name, prev && name === 'enable-features' ? `${prev},${value}` : value);
      },
      hasSwitch: (n) => switches.has(n),
      getSwitchValue: (n) => switches.get(n) ?? '',
      appendArgument() {},
    },
    isReady: () => ready,
    whenReady: () => readyPromise,
    getPath(name) {
      const known = { userData, appData: resolvePath(userData, '..'), home: env.HOME ?? '/home/sim', temp: '/tmp' };
      if (!(name in known)) throw new Error(`Failed to get '${name}' path`);
      return known[name];
    },
    getAppPath: () => appPath,
    getVersion: () => JSON.parse(readFileSync(resolvePath(appPath, 'package.json'), 'utf8')).version,
    getName: () => JSON.parse(readFileSync(resolvePath(appPath, 'package.json'), 'utf8')).productName,
    setAsDefaultProtocolClient(protocol, path, args) {
      record('protocol-client', { protocol, path: path ?? null, args: args ?? null });
      return true;
    },
    requestSingleInstanceLock(data) {
      record('single-instance-lock', { data });
      return !options.secondInstance;
    },
    setAppUserModelId(id) {
      if (platform === 'win32') appUserModelId = id; // [D16]
    },
    setLoginItemSettings(s) {
      record('set-login-item', { settings: s });
      if (platform === 'win32') {
        // [D4] args/path written to the Run key; name defaults to the AUMID
        const name = s.name ?? appUserModelId ?? `electron.app.${app.getName()}`;
        if (s.openAtLogin) loginItems.set(name, { path: s.path ?? process.execPath, args: s.args ?? [] });
        else loginItems.delete(name);
      } else if (platform === 'darwin') {
        // [D5] args are Windows-only; macOS 13+ may need the user's approval
        darwinLoginStatus = s.openAtLogin ? (options.darwinLoginApproval ?? 'enabled') : 'not-registered';
      }
    },
    getLoginItemSettings(o = {}) {
      if (platform === 'win32') {
        // [D6] "The command-line arguments to compare against. Defaults to an empty array."
        const path = o.path ?? process.execPath;
        const args = o.args ?? [];
        const entries = [...loginItems.values()].filter((e) => e.path === path);
        return {
          openAtLogin: entries.some((e) => JSON.stringify(e.args) === JSON.stringify(args)),
          executableWillLaunchAtLogin: entries.length > 0,
          launchItems: [],
        };
      }
      if (platform === 'darwin')
        return {
          openAtLogin: darwinLoginStatus === 'enabled',
          status: darwinLoginStatus,
          wasOpenedAtLogin: !!options.openedAtLogin, // [D7]
          wasOpenedAsHidden: false, // [D7] not available on macOS 13 and up
          openAsHidden: false,
          restoreState: false,
        };
      return { openAtLogin: false, executableWillLaunchAtLogin: false };
    },
    quit() {
      void quitSequence();
    },
    exit(code = 0) {
      finish(code);
    },
    focus() {},
    // [D28] macOS only: "Hides all application windows without minimizing them." (docs/api/app.md)
    ...(platform === 'darwin'
      ? {
          hide() {
            record('app-hide');
            for (const w of windows) if (!w._destroyed) w.hide();
          },
        }
      : {}),
    setName() {},
    dock:
      platform === 'darwin'
        ? {
            hide: () => record('dock-hide'),
            show: () => (record('dock-show'), Promise.resolve()),
            setBadge() {},
          }
        : undefined,
  });
  let markReady;
  const readyPromise = new Promise((r) => (markReady = r));

  const finish = (code) => {
    if (exitCode !== null) return;
    exitCode = code;
    record('exit', { code });
    for (const f of onExit) f(code);
  };

  let quitting = false;
  async function quitSequence() {
    if (quitting) return;
    quitting = true;
    try {
      // [D2] before-quit first; preventDefault cancels
      if (cancelled('before-quit')) return;
      // [D2] then every window is closed; a window's close preventDefault cancels the quit
      for (const w of [...windows]) {
        if (w.isDestroyed()) continue;
        if (cancelledOn(w, 'close')) {
          record('quit-cancelled-by-window', { id: w.id });
          return;
        }
        await w._destroy();
      }
      // [D3] window-all-closed is not emitted when quitting through app.quit()
      if (cancelled('will-quit')) return;
      app.emit('quit', {}, 0);
      finish(0);
    } finally {
      quitting = false;
    }
  }
  const cancelled = (name) => cancelledOn(app, name);
  function cancelledOn(emitter, name) {
    let prevented = false;
    emitter.emit(name, { preventDefault: () => (prevented = true), sender: emitter });
    record('event', { name, prevented, on: emitter === app ? 'app' : `window ${emitter.id}` });
    return prevented;
  }

  // ------------------------------------------------------------------ custom schemes (app://) [D21][D24]–[D27], M7
  // Chromium cannot navigate to a scheme it does not know, so a registered scheme is carried over a
  // reserved host: app://renderer/x ⇄ https://renderer.app.scheme.invalid/x (http:// when the scheme is
  // not `secure`). Every request to such a host is answered by the APP'S OWN protocol.handle handler
  // (Playwright routing), given a Request for the app:// URL; its status, headers and body go back to
  // Chromium unchanged, so a CSP response header is enforced by Chromium itself. Everything the app or
  // the tests can observe (getURL, senderFrame.url, console messages) reads app://….
  const SCHEME_HOST_SUFFIX = '.scheme.invalid';
  const privilegedSchemes = new Map(); // scheme → privileges
  let privilegesRegistered = false;
  const schemes = new Map(); // scheme → handler
  let schemeRouting = null;
  function toSimUrl(url) {
    const u = new URL(url);
    const scheme = u.protocol.slice(0, -1);
    const p = privilegedSchemes.get(scheme) ?? {};
    return `${p.secure ? 'https' : 'http'}://${u.hostname}.${scheme}${SCHEME_HOST_SUFFIX}${u.pathname}${u.search}${u.hash}`;
  }
  function fromSimUrl(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      return url;
    }
    const m = /^([^.]+)\.([a-z][a-z0-9+-]*)\.scheme\.invalid$/.exec(u.hostname);
    if (!m || !(u.protocol === 'https:' || u.protocol === 'http:')) return url;
    return `${m[2]}://${m[1]}${u.pathname}${u.search}${u.hash}`;
  }
  async function serveSchemeRequest(route) {
    const req = route.request();
    const url = fromSimUrl(req.url());
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = schemes.get(scheme);
    const privileges = privilegedSchemes.get(scheme) ?? {};
    // [D26] fetch() reaches a custom scheme only with supportFetchAPI
    if (!handler || (req.resourceType() === 'fetch' && !privileges.supportFetchAPI)) {
      record('scheme-refused', { url, resourceType: req.resourceType() });
      return route.abort('failed');
    }
    const method = req.method();
    const body = method === 'GET' || method === 'HEAD' ? undefined : (req.postDataBuffer() ?? undefined);
    let res;
    try {
      // [D24] the handler gets a GlobalRequest and answers a GlobalResponse
      res = await handler(new Request(url, { method, headers: req.headers(), body }));
    } catch (e) {
      record('scheme-handler-error', { url, error: String(e) });
      return route.abort('failed');
    }
    record('scheme-request', { url, status: res.status, resourceType: req.resourceType() });
    await route.fulfill({
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: Buffer.from(await res.arrayBuffer()),
    });
  }
  function createProtocolModel() {
    return {
      registerSchemesAsPrivileged(list) {
        // [D21] before ready only, and only once (that it throws: A)
        if (ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
        if (privilegesRegistered) throw new Error('protocol.registerSchemesAsPrivileged can be called only once');
        privilegesRegistered = true;
        for (const { scheme, privileges = {} } of list) privilegedSchemes.set(scheme, { ...privileges });
        record('privileged-schemes', { schemes: list });
      },
      handle(scheme, handler) {
        beforeReady('protocol.handle'); // [D25] "can only be used after the ready event"
        if (schemes.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`); // (A)
        schemes.set(scheme, handler);
        schemeRouting ??= contextPromise.then((c) =>
          c.route(
            (u) => u.hostname.endsWith(SCHEME_HOST_SUFFIX),
            (route) => serveSchemeRequest(route),
          ),
        );
      },
      unhandle: (scheme) => schemes.delete(scheme),
      isProtocolHandled: (scheme) => schemes.has(scheme),
    };
  }
  /** The URL Chromium is given for `url`: a handled, standard scheme is carried over its reserved host [D27]. */
  async function chromiumUrlFor(url) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(url) || /^(https?|file|data|about|blob):/i.test(url)) return url;
    const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
    if (!schemes.has(scheme)) throw new Error(`ERR_UNKNOWN_URL_SCHEME (-302) loading '${url}'`);
    if (!privilegedSchemes.get(scheme)?.standard)
      throw new Error(
        `electron-sim: '${scheme}:' is not registered as standard; relative URLs would not resolve [D27]`,
      );
    await schemeRouting;
    return toSimUrl(url);
  }

  // ------------------------------------------------------------------ windows
  const windows = [];
  let focused = null;
  let nextId = 1;
  let context = null;
  const contextPromise = browser.newContext({ viewport: { width: 360, height: 480 } }).then(async (c) => {
    context = c;
    await c.exposeBinding('__simIpc', (source, kind, channel, args) => ipcFromPage(source, kind, channel, args));
    return c;
  });

  class WebContents extends EventEmitter {
    constructor(win) {
      super();
      this.id = win.id;
      this._win = win;
      this._openHandler = null;
    }
    getURL() {
      return fromSimUrl(this._win._page?.url() ?? ''); // app://… for a custom scheme [M7]
    }
    send(channel, ...args) {
      const p = this._win._page;
      if (!p || this._win.isDestroyed()) return;
      void p
        .evaluate(([k, c, a]) => globalThis[`__simPush_${k}`]?.(c, a), [pushKey, channel, args])
        .catch(() => undefined);
    }
    isDestroyed() {
      return this._win.isDestroyed();
    }
    setWindowOpenHandler(h) {
      this._openHandler = h;
    }
    isDevToolsOpened() {
      return false;
    }
    openDevTools() {}
    get mainFrame() {
      const url = this.getURL();
      return { url, parent: null };
    }
    get session() {
      return session.defaultSession;
    }
  }

  class BrowserWindow extends EventEmitter {
    static getAllWindows() {
      return windows.filter((w) => !w.isDestroyed());
    }
    static getFocusedWindow() {
      return focused;
    }
    constructor(opts = {}) {
      super();
      beforeReady('BrowserWindow');
      this.id = nextId++;
      this.options = opts;
      this._visible = false;
      this._destroyed = false;
      this._readyToShow = false;
      this._loaded = false;
      this._position = [0, 0];
      this._page = null;
      this._preload = opts.webPreferences?.preload ?? null;
      this.webContents = new WebContents(this);
      windows.push(this);
      record('window-created', {
        id: this.id,
        show: opts.show !== false,
        backgroundColor: opts.backgroundColor ?? null,
        webPreferences: opts.webPreferences ?? {},
      });
      app.emit('web-contents-created', {}, this.webContents);
      this._pageReady = contextPromise.then(async (c) => {
        if (this._destroyed) throw new Error('window destroyed');
        const page = await c.newPage();
        this._page = page;
        record('page-created', { id: this.id });
        page.on('console', (m) => {
          if (m.type() === 'error')
            record('console-error', { id: this.id, text: m.text(), url: fromSimUrl(page.url()) });
        });
        page.on('pageerror', (e) =>
          record('console-error', { id: this.id, text: String(e), url: fromSimUrl(page.url()) }),
        );
        if (this._preload) {
          const preloadSource = readFileSync(this._preload, 'utf8');
          await page.addInitScript(pageBootstrap, { preloadSource, nonce: { key: pushKey, platform } });
        }
        record('page-prepared', { id: this.id });
        return page;
      });
      if (opts.show !== false) this.show(); // [D8] show defaults to true
    }
    async loadURL(url) {
      const page = await this._pageReady;
      record('load', { id: this.id, url });
      try {
        await page.goto(await chromiumUrlFor(url), { waitUntil: 'load' });
      } catch (e) {
        record('load-failed', { id: this.id, url, error: String(e) });
        this.webContents.emit('did-fail-load', {}, -2, String(e), url);
        throw e;
      }
      this._loaded = true;
      this.webContents.emit('did-finish-load', {});
      // [D9] ready-to-show: once, after the first paint, only if the window has not been shown yet
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
      if (!this._readyToShow && !this._visible && !this._destroyed) {
        this._readyToShow = true;
        record('ready-to-show', { id: this.id });
        this.emit('ready-to-show', {});
      }
      this._readyToShow = true;
    }
    loadFile(filePath, o = {}) {
      // [D13] Electron builds the file: URL with url.format from path.resolve(appPath, file)
      return this.loadURL(
        formatUrl({
          protocol: 'file',
          slashes: true,
          pathname: resolvePath(app.getAppPath(), filePath),
          query: o.query,
          search: o.search,
          hash: o.hash,
        }),
      );
    }
    show() {
      if (this._destroyed) return;
      record('show', { id: this.id, pageReady: this._readyToShow, url: this._page ? this.webContents.getURL() : null });
      this._visible = true;
      this.emit('show');
      this.focus();
    }
    showInactive() {
      record('show', { id: this.id, pageReady: this._readyToShow, inactive: true });
      this._visible = true;
    }
    hide() {
      if (!this._visible) return;
      record('hide', { id: this.id });
      this._visible = false;
      if (focused === this) this._blur();
      this.emit('hide');
    }
    focus() {
      if (!this._visible || focused === this) return;
      const prev = focused;
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the model's focus pointer
      focused = this;
      if (prev && !prev._destroyed) prev._blurOnly();
      this.emit('focus');
    }
    _blurOnly() {
      this.emit('blur');
    }
    _blur() {
      focused = null;
      this.emit('blur');
    }
    isVisible() {
      return this._visible;
    }
    isFocused() {
      return focused === this;
    }
    isDestroyed() {
      return this._destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    setPosition(x, y) {
      this._position = [x, y];
    }
    getPosition() {
      return this._position;
    }
    getBounds() {
      const { width = 800, height = 600 } = this.options;
      return { x: this._position[0], y: this._position[1], width, height };
    }
    setBackgroundColor(c) {
      this.options.backgroundColor = c;
    }
    setVisibleOnAllWorkspaces() {}
    setAlwaysOnTop() {}
    setSkipTaskbar() {}
    close() {
      if (this._destroyed) return;
      if (cancelledOn(this, 'close')) return;
      void this._destroy().then(() => {
        if (!quitting && windows.every((w) => w._destroyed)) app.emit('window-all-closed'); // [D3]
      });
    }
    destroy() {
      void this._destroy();
    }
    async _destroy() {
      if (this._destroyed) return;
      this._destroyed = true;
      this._visible = false;
      if (focused === this) focused = null;
      await this._pageReady.then((p) => p.close()).catch(() => undefined);
      this.emit('closed');
    }
  }

  const windowOfPage = (page) => windows.find((w) => w._page === page) ?? null;

  // ------------------------------------------------------------------ IPC
  const handlers = new Map();
  const ipcMain = new EventEmitter();
  Object.assign(ipcMain, {
    handle(channel, fn) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`); // [D14]
      handlers.set(channel, fn);
    },
    handleOnce(channel, fn) {
      ipcMain.handle(channel, (...a) => (handlers.delete(channel), fn(...a)));
    },
    removeHandler: (channel) => handlers.delete(channel),
  });
  async function ipcFromPage(source, kind, channel, args) {
    const win = windowOfPage(source.page);
    const frame = source.frame;
    const parent = frame.parentFrame();
    const event = {
      sender: win?.webContents ?? { id: -1 },
      // [D15] senderFrame: the frame that sent the message, with its real URL
      senderFrame: {
        url: fromSimUrl(frame.url()),
        parent: parent ? { url: fromSimUrl(parent.url()) } : null,
        name: frame.name(),
      },
      processId: 1,
      frameId: 1,
    };
    record('ipc', { kind, channel, frameUrl: fromSimUrl(frame.url()), top: !parent });
    if (kind === 'invoke') {
      const h = handlers.get(channel);
      if (!h)
        throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return await h(event, ...args);
    }
    ipcMain.emit(channel, { ...event, reply() {}, returnValue: undefined }, ...args);
    return undefined;
  }

  // ------------------------------------------------------------------ menus, tray, notifications
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- Electron's MenuItem is a class
  class MenuItem {
    constructor(o) {
      Object.assign(this, { type: 'normal', enabled: true, visible: true, ...o });
      if (o.submenu && !(o.submenu instanceof Menu)) this.submenu = Menu.buildFromTemplate(o.submenu);
    }
  }
  class Menu {
    constructor() {
      this.items = [];
    }
    static buildFromTemplate(t) {
      const m = new Menu();
      m.items = t.map((o) => new MenuItem(o));
      return m;
    }
    static setApplicationMenu(m) {
      appMenu = m;
      record('application-menu', { labels: m ? m.items.map((i) => i.label ?? i.role ?? i.type) : null });
    }
    static getApplicationMenu() {
      return appMenu;
    }
    popup() {
      record('menu-popup');
    }
  }
  let appMenu = null;

  const TRAY_BOUNDS = {
    linux: { x: 0, y: 0, width: 0, height: 0 }, // [D17] getBounds is macOS/Windows only
    darwin: { x: 1180, y: 0, width: 22, height: 24 },
    win32: { x: 1780, y: 1040, width: 24, height: 40 },
  };
  let tray = null;
  class Tray extends EventEmitter {
    constructor(image) {
      super();
      beforeReady('Tray');
      this.image = image;
      this.menu = null;
      this.tooltip = '';
      this.destroyed = false;
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the model's one tray
      tray = this;
      record('tray-created', { image: describeImage(image) });
    }
    setImage(image) {
      this.image = image;
      record('tray-image', { image: describeImage(image) });
    }
    setToolTip(t) {
      this.tooltip = t;
    }
    // [D23] setTitle is a macOS method: the model offers it on darwin only.
    setTitle(t) {
      if (platform !== 'darwin') throw new TypeError('tray.setTitle is not a function');
      this.title = t;
      record('tray-title', { title: t });
    }
    setContextMenu(m) {
      this.menu = m;
    }
    setIgnoreDoubleClickEvents() {}
    getBounds() {
      return { ...TRAY_BOUNDS[platform] };
    }
    popUpContextMenu(m) {
      lastPopped = m ?? this.menu;
      record('tray-menu-shown', { labels: (m ?? this.menu)?.items.map((i) => i.label ?? i.type) ?? [] });
    }
    destroy() {
      this.destroyed = true;
      record('tray-destroyed');
    }
    isDestroyed() {
      return this.destroyed;
    }
  }

  const notifications = [];
  class Notification extends EventEmitter {
    static isSupported() {
      return true;
    }
    constructor(o) {
      super();
      this.o = o;
    }
    show() {
      // [D16] Windows toasts go out under the app's AppUserModelID
      notifications.push({
        ...this.o,
        aumid: platform === 'win32' ? (appUserModelId ?? `electron.app.${app.getName()}`) : null,
      });
      record('notification', { title: this.o.title });
    }
    close() {}
  }

  const describeImage = (img) => ({ path: img?.path ?? null, template: !!img?.template, empty: !!img?.empty });
  const nativeImage = {
    createFromPath(path) {
      const img = {
        path,
        template: false,
        empty: !existsSync(path),
        setTemplateImage(b) {
          img.template = b;
        },
        isTemplateImage: () => img.template,
        isEmpty: () => img.empty,
        getSize: () => ({ width: 16, height: 16 }),
      };
      return img;
    },
    createEmpty: () => nativeImage.createFromPath(''),
  };
  const nativeTheme = Object.assign(new EventEmitter(), {
    shouldUseDarkColors: !!options.darkTheme,
    shouldUseDarkColorsForSystemIntegratedUI: !!options.darkPanel,
    themeSource: 'system',
  });

  // ------------------------------------------------------------------ screen, shortcuts, secrets, misc
  const display = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 };
  display.workArea =
    platform === 'darwin'
      ? { x: 0, y: 24, width: 1920, height: 1056 }
      : platform === 'win32'
        ? { x: 0, y: 0, width: 1920, height: 1040 }
        : { x: 0, y: 32, width: 1920, height: 1048 };
  const screen = {
    getCursorScreenPoint: () => (beforeReady('screen'), options.wayland ? { x: 0, y: 0 } : { x: 900, y: 20 }),
    getPrimaryDisplay: () => display,
    getDisplayMatching: () => display,
    getDisplayNearestPoint: () => display,
    getAllDisplays: () => [display],
  };

  const shortcuts = new Map();
  const globalShortcut = {
    register(acc, cb) {
      beforeReady('globalShortcut');
      if ((options.takenShortcuts ?? []).includes(acc)) return false;
      shortcuts.set(acc, cb);
      return true; // [D18] on Wayland true is returned even where no portal will deliver the key
    },
    unregister: (acc) => shortcuts.delete(acc),
    unregisterAll: () => shortcuts.clear(),
    isRegistered: (acc) => shortcuts.has(acc),
  };
  const shortcutDelivers = () =>
    !(platform === 'linux' && options.wayland) || switches.get('enable-features')?.includes('GlobalShortcutsPortal');

  const backend = options.safeStorageBackend ?? (platform === 'linux' ? 'gnome_libsecret' : 'native');
  const safeStorage = {
    // [D19] async API; on Linux the backend may be basic_text (no real encryption)
    isEncryptionAvailable: () => ready,
    isAsyncEncryptionAvailable: () => Promise.resolve(backend !== 'unavailable'),
    getSelectedStorageBackend: () => (platform === 'linux' ? backend : undefined),
    encryptStringAsync: (s) => Promise.resolve(Buffer.from(`sim1:${Buffer.from(s, 'utf8').toString('base64')}`)),
    decryptStringAsync: (b) => {
      const t = Buffer.from(b).toString('utf8');
      if (!t.startsWith('sim1:'))
        return Promise.reject(
          new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'),
        );
      return Promise.resolve({ result: Buffer.from(t.slice(5), 'base64').toString('utf8'), shouldReEncrypt: false });
    },
  };

  const opened = [];
  const shell = {
    openExternal: (url) => (opened.push(url), record('open-external', { url }), Promise.resolve()),
    openPath: () => Promise.resolve(''),
    showItemInFolder() {},
  };
  const dialog = { showErrorBox: (title, content) => record('error-box', { title, content }) };
  const headerHooks = [];
  const session = {
    get defaultSession() {
      beforeReady('session.defaultSession');
      return defaultSession;
    },
  };
  const defaultSession = {
    webRequest: { onHeadersReceived: (fn) => headerHooks.push(fn) },
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    protocol: null,
  };
  const protocol = createProtocolModel();
  defaultSession.protocol = protocol;
  const powerMonitor = new EventEmitter();
  const net = { isOnline: () => true, fetch: (...a) => fetch(...a) };

  const electron = {
    app,
    BrowserWindow,
    ipcMain,
    Tray,
    Menu,
    MenuItem,
    Notification,
    nativeImage,
    nativeTheme,
    screen,
    globalShortcut,
    safeStorage,
    dialog,
    shell,
    session,
    powerMonitor,
    net,
    protocol,
  };

  // ------------------------------------------------------------------ the driver's handle
  const findMenuItem = (menu, label) => {
    for (const item of menu?.items ?? []) {
      if (item.label === label) return item;
      const sub = item.submenu && findMenuItem(item.submenu, label);
      if (sub) return sub;
    }
    return null;
  };
  const trayEvent = { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, preventDefault() {} };

  const control = {
    log,
    notifications,
    opened,
    windows,
    get tray() {
      return tray;
    },
    get appMenu() {
      return appMenu;
    },
    get appUserModelId() {
      return appUserModelId;
    },
    loginItems,
    switches,
    shortcuts,
    onExit,
    get exitCode() {
      return exitCode;
    },
    get context() {
      return context;
    },
    /** Electron emits `ready` once the main script has run (and `open-url` may come first on macOS). */
    async emitReady() {
      await contextPromise;
      if (platform === 'darwin') app.emit('will-finish-launching');
      for (const url of options.openUrlBeforeReady ?? []) app.emit('open-url', { preventDefault() {} }, url); // [D22]
      ready = true;
      app.emit('ready', {}, {});
      markReady();
    },
    /** A left click on the tray icon, per platform [D17]. */
    clickTray() {
      if (!tray || tray.destroyed) throw new Error('no tray icon');
      if (platform === 'linux') {
        // AppIndicator: the icon is only shown with a menu, and activating it opens the menu.
        if (!tray.menu) throw new Error('AppIndicator: a tray without a context menu is not shown [D17]');
        tray.popUpContextMenu(tray.menu);
        return 'menu';
      }
      if (platform === 'darwin' && tray.menu) {
        tray.popUpContextMenu(tray.menu); // macOS: a tray with a context menu opens it on click
        return 'menu';
      }
      tray.emit('click', trayEvent, tray.getBounds(), { x: 0, y: 0 });
      return 'click';
    },
    rightClickTray() {
      if (platform === 'linux') return control.clickTray();
      if (tray.menu) {
        tray.popUpContextMenu(tray.menu);
        return 'menu';
      }
      tray.emit('right-click', trayEvent, tray.getBounds());
      return 'right-click';
    },
    trayMenuLabels() {
      const m = log.filter((e) => e.type === 'tray-menu-shown').at(-1);
      return m?.labels ?? [];
    },
    clickTrayMenu(label) {
      const menu = lastPopped ?? tray.menu;
      const item = findMenuItem(menu, label);
      if (!item) throw new Error(`no tray menu item "${label}"`);
      item.click?.(item, null, trayEvent);
    },
    clickAppMenu(label) {
      const item = findMenuItem(appMenu, label);
      if (!item) throw new Error(`no application menu item "${label}"`);
      item.click?.(item, null, trayEvent);
    },
    pressShortcut(acc) {
      const cb = shortcuts.get(acc);
      if (!cb) return false;
      if (!shortcutDelivers()) return false;
      cb();
      return true;
    },
    secondInstance(argv, additionalData) {
      app.emit('second-instance', { preventDefault() {} }, argv, '/', additionalData ?? null);
    },
    openUrl(url) {
      app.emit('open-url', { preventDefault() {} }, url);
    },
    activate() {
      app.emit(
        'activate',
        { preventDefault() {} },
        windows.some((w) => w._visible && !w._destroyed),
      );
    },
    setDarwinLoginApproval(status) {
      options.darwinLoginApproval = status;
    },
    headerHooks,
    schemes,
    privilegedSchemes,
    /** The URL Chromium has for an app:// URL (M7), for tests that open our pages from a hostile page. */
    chromiumUrlFor,
    fromSimUrl,
  };
  let lastPopped = null;
  return { electron, control };
}
