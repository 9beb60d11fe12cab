/**
 * The popover and the settings window, built to the Electron security checklist:
 * isolated, sandboxed, no Node in the page, pages served from app://renderer/ (never
 * file://) with a strict CSP (response header and meta tag), no navigation, no new
 * windows, external links only through the vetted opener.
 * Window options come from pure functions so tests assert the security settings.
 */
import {
  BrowserWindow,
  session,
  type App,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import type { SettingsTab } from '../shared/ipc-contract';
import { APP_PAGES_URL, appPageUrl } from './app-scheme';
import { pushTo } from './ipc';
import { serveAppScheme } from './protocol';
import { contentSecurityPolicy, isOwnPageUrl, type RendererOrigins } from './security';
import type { Point } from './tray-position';

export const POPOVER_SIZE = { width: 360, height: 480 } as const;

/** The pages' `--bg` (src/renderer/src/styles/base.css), so a window never flashes white before its page paints. */
export const BACKGROUND = { light: '#f6f6f7', dark: '#1e1e20' } as const;
export const SETTINGS_SIZE = { width: 760, height: 600 } as const;

/** The webPreferences every window of ours gets. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The popover: frameless, hidden until the tray is clicked, never in the taskbar. */
export function popoverWindowOptions(
  preload: string,
  platform: NodeJS.Platform,
  dark = false,
): BrowserWindowConstructorOptions {
  return {
    backgroundColor: dark ? BACKGROUND.dark : BACKGROUND.light,
    width: POPOVER_SIZE.width,
    height: POPOVER_SIZE.height,
    show: false,
    frame: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    title: 'Exist Tray',
    ...(platform === 'darwin' ? { type: 'panel' } : {}),
    webPreferences: secureWebPreferences(preload),
  };
}

/** The settings window: an ordinary window, shown when its page is ready. */
export function settingsWindowOptions(preload: string, icon?: string, dark = false): BrowserWindowConstructorOptions {
  return {
    backgroundColor: dark ? BACKGROUND.dark : BACKGROUND.light,
    width: SETTINGS_SIZE.width,
    height: SETTINGS_SIZE.height,
    minWidth: 560,
    minHeight: 420,
    show: false,
    title: 'Exist Tray Settings',
    autoHideMenuBar: true,
    ...(icon ? { icon } : {}),
    webPreferences: secureWebPreferences(preload),
  };
}

/** What the window layer needs from the app. */
export interface WindowsDeps {
  preloadPath: string;
  /** Folder holding popover.html and settings.html (out/renderer). */
  rendererDir: string;
  devServerUrl?: string | undefined;
  platform: NodeJS.Platform;
  /** Vetted opener for links the pages try to open in a new window. */
  openExternal(url: string): void;
  /** True once the app is quitting: the popover may then really close. */
  isQuitting(): boolean;
  icon?: string;
  log?(message: string, error?: unknown): void;
  /** The OS is in dark mode (nativeTheme), for the windows' background colour. */
  dark?(): boolean;
}

export interface AppWindows {
  readonly popover: BrowserWindow;
  showPopoverAt(p: Point): void;
  /** Show the popover at `position()` unless it is visible (or was just hidden by the click's blur). */
  togglePopover(position: () => Point): void;
  hidePopover(): void;
  openSettings(tab?: SettingsTab): void;
  /** Windows that receive pushes. */
  all(): BrowserWindow[];
  isOwnWebContents(wc: WebContents): boolean;
}

export function rendererOrigins(deps: Pick<WindowsDeps, 'devServerUrl'>): RendererOrigins {
  return { pagesUrl: APP_PAGES_URL, devServerUrl: deps.devServerUrl };
}

/**
 * The URL a page is loaded from: `app://renderer/<page>.html` (served by ./app-scheme.ts), or
 * the dev server in development. The sender check compares a frame's URL with this origin,
 * so whatever `%`, `[`, `]`, `~` or spaces the install path holds never reaches a URL.
 */
export function pageUrl(
  deps: Pick<WindowsDeps, 'devServerUrl'>,
  page: 'popover' | 'settings',
  query?: Record<string, string>,
): string {
  if (!deps.devServerUrl) return appPageUrl(page, query);
  const url = new URL(`${page}.html`, deps.devServerUrl.endsWith('/') ? deps.devServerUrl : `${deps.devServerUrl}/`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url.href;
}

/** Loads one of our pages (dev server in development, app://renderer/ otherwise). */
function loadPage(
  win: BrowserWindow,
  deps: WindowsDeps,
  page: 'popover' | 'settings',
  query?: Record<string, string>,
): void {
  // loadURL rejects when the load fails or the window goes first (a quit during start-up): say so, never crash.
  win.loadURL(pageUrl(deps, page, query)).catch((e: unknown) => deps.log?.(`The ${page} page did not load`, e));
}

/**
 * No navigation away from our pages, no new windows (https links go to the system
 * browser through the vetted opener), no webviews. Applied to every webContents.
 */
export function hardenWebContents(
  contents: WebContents,
  origins: RendererOrigins,
  openExternal: (url: string) => void,
): void {
  // Our pages never navigate (in-page hash changes do not emit this); a link click that would is stopped.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPageUrl(url, origins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** Every webContents the app ever creates gets the same treatment. */
export function hardenAllWebContents(app: App, origins: RendererOrigins, openExternal: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origins, openExternal));
}

/**
 * Our pages' CSP as a response header, every permission request denied. In production the
 * app:// handler sends the header itself (./app-scheme.ts); this hook adds it to the dev
 * server's pages only.
 */
export function installSessionPolicy(ses: Session, origins: RendererOrigins): void {
  const csp = contentSecurityPolicy(origins.devServerUrl);
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!/^https?:/.test(details.url) || !isOwnPageUrl(details.url, origins)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Click on the tray while the popover is open: its blur hides it first; don't reopen it. */
const BLUR_TOGGLE_WINDOW_MS = 250;

export function createWindows(deps: WindowsDeps): AppWindows {
  const origins = rendererOrigins(deps);
  // Our windows set no partition: they use the default session, where app:// is served.
  serveAppScheme(session.defaultSession, deps.rendererDir, contentSecurityPolicy());
  installSessionPolicy(session.defaultSession, origins);

  const dark = () => deps.dark?.() ?? false;
  const popover = new BrowserWindow(popoverWindowOptions(deps.preloadPath, deps.platform, dark()));
  if (deps.platform === 'darwin') popover.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  // Created hidden; shown only once its page has painted (a show asked for earlier waits for it).
  let popoverReady = false;
  let pendingShow: Point | null = null;
  popover.once('ready-to-show', () => {
    popoverReady = true;
    if (pendingShow) showPopoverAt(pendingShow);
    pendingShow = null;
  });
  loadPage(popover, deps, 'popover');
  let hiddenByBlurAt = 0;
  popover.on('blur', () => {
    if (popover.webContents.isDevToolsOpened()) return;
    hiddenByBlurAt = Date.now();
    popover.hide();
  });
  popover.on('close', (event) => {
    if (!deps.isQuitting()) {
      event.preventDefault();
      popover.hide();
    }
  });

  let settings: BrowserWindow | null = null;

  function showPopoverAt(p: Point): void {
    if (!popoverReady) {
      pendingShow = p;
      return;
    }
    popover.setPosition(p.x, p.y, false);
    popover.show();
    popover.focus();
  }

  return {
    popover,
    showPopoverAt,
    togglePopover(position) {
      if (popover.isVisible()) {
        popover.hide();
        return;
      }
      if (Date.now() - hiddenByBlurAt < BLUR_TOGGLE_WINDOW_MS) return;
      showPopoverAt(position());
    },
    hidePopover: () => {
      pendingShow = null;
      popover.hide();
    },
    openSettings(tab) {
      if (settings && !settings.isDestroyed()) {
        if (tab) pushTo(settings, 'window:show-tab', { tab });
        if (settings.isMinimized()) settings.restore();
        settings.show();
        settings.focus();
        return;
      }
      const win = new BrowserWindow(settingsWindowOptions(deps.preloadPath, deps.icon, dark()));
      settings = win;
      win.once('ready-to-show', () => {
        win.show();
        win.focus();
      });
      win.on('closed', () => {
        if (settings === win) settings = null;
      });
      loadPage(win, deps, 'settings', tab ? { tab } : undefined);
    },
    all: () => [popover, settings].filter((w): w is BrowserWindow => !!w && !w.isDestroyed()),
    isOwnWebContents(wc) {
      return [popover, settings].some((w) => !!w && !w.isDestroyed() && w.webContents.id === wc.id);
    },
  };
}
