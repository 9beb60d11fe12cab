import { beforeEach, describe, expect, it } from 'vitest';
import { BrowserWindow, FakeEvent, FakeWebContents, app, resetElectronStub, session } from '../stubs/electron';
import {
  POPOVER_SIZE,
  createWindows,
  hardenAllWebContents,
  pageUrl,
  popoverWindowOptions,
  rendererOrigins,
  settingsWindowOptions,
  type WindowsDeps,
} from '../../src/main/windows';
import { isOwnPageUrl } from '../../src/main/security';

const secure = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  preload: '/app/out/preload/index.cjs',
};

function deps(over: Partial<WindowsDeps> = {}): WindowsDeps & { opened: string[] } {
  const opened: string[] = [];
  return {
    preloadPath: '/app/out/preload/index.cjs',
    rendererDir: '/app/out/renderer',
    platform: 'linux',
    openExternal: (u) => opened.push(u),
    isQuitting: () => false,
    opened,
    ...over,
  };
}

beforeEach(() => resetElectronStub());

describe('window options', () => {
  it('popover: 360×480, frameless, hidden, not in the taskbar, on top, fixed size, secure', () => {
    const o = popoverWindowOptions('/app/out/preload/index.cjs', 'win32');
    expect(o).toMatchObject({
      width: 360,
      height: 480,
      frame: false,
      show: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      resizable: false,
    });
    expect(o.webPreferences).toMatchObject(secure);
    expect(o.webPreferences?.nodeIntegrationInSubFrames).toBe(false);
    expect(o.webPreferences?.webviewTag).toBe(false);
  });
  it('settings: hidden until ready, secure', () => {
    const o = settingsWindowOptions('/app/out/preload/index.cjs');
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject(secure);
  });
});

describe('createWindows', () => {
  it('creates the popover ahead of time, hidden, loading the built page', () => {
    const w = createWindows(deps());
    expect(BrowserWindow.windows).toHaveLength(1);
    expect(w.popover.isVisible()).toBe(false);
    // Loaded from the app:// scheme (never file://): the origin the sender check compares with.
    expect((w.popover as unknown as BrowserWindow).loaded).toEqual({ url: 'app://renderer/popover.html' });
  });

  it('a popover asked for before its page painted is shown at ready-to-show, not before', () => {
    const w = createWindows(deps());
    const popover = w.popover as unknown as BrowserWindow;
    w.showPopoverAt({ x: 10, y: 20 });
    expect(popover.isVisible()).toBe(false);
    popover.emit('ready-to-show');
    expect(popover.isVisible()).toBe(true);
    expect(popover.position).toEqual([10, 20]);
  });

  it('windows get the theme’s background colour', () => {
    const light = createWindows(deps());
    expect((light.popover as unknown as BrowserWindow).options.backgroundColor).toBe('#f6f6f7');
    const dark = createWindows(deps({ dark: () => true }));
    expect((dark.popover as unknown as BrowserWindow).options.backgroundColor).toBe('#1e1e20');
  });

  it('trusts the app:// page it loads, and not the same file over file:// (install paths: test/electron-sim, `Exist %[]~ Tray`)', () => {
    const origins = rendererOrigins({});
    const loaded = pageUrl({}, 'popover');
    // What Chromium reports for a frame is the canonical form of the URL it was given.
    expect(isOwnPageUrl(new URL(loaded).href, origins)).toBe(true);
    expect(isOwnPageUrl('file:///opt/Exist%20%25%5B%5D~%20Tray/resources/app/out/renderer/popover.html', origins)).toBe(
      false,
    );
  });

  it('serves app:// on the default session (the one our windows use), before any page loads', () => {
    createWindows(deps());
    expect(session.defaultSession.protocol.isProtocolHandled('app')).toBe(true);
    expect(BrowserWindow.windows[0]!.loaded).toEqual({ url: 'app://renderer/popover.html' });
  });

  it('loads from the dev server in development', () => {
    const w = createWindows(deps({ devServerUrl: 'http://localhost:5173' }));
    expect((w.popover as unknown as BrowserWindow).loaded).toEqual({ url: 'http://localhost:5173/popover.html' });
  });

  it('shows the popover where asked, hides it on blur, and a close only hides it', () => {
    const w = createWindows(deps());
    const popover = w.popover as unknown as BrowserWindow;
    popover.emit('ready-to-show');
    w.showPopoverAt({ x: 10, y: 20 });
    expect(popover.isVisible()).toBe(true);
    expect(popover.position).toEqual([10, 20]);
    popover.emit('blur');
    expect(popover.isVisible()).toBe(false);
    w.showPopoverAt({ x: 10, y: 20 });
    popover.close();
    expect(popover.isDestroyed()).toBe(false);
    expect(popover.isVisible()).toBe(false);
  });

  it('toggle hides a visible popover', () => {
    const w = createWindows(deps());
    (w.popover as unknown as BrowserWindow).emit('ready-to-show');
    w.showPopoverAt({ x: 0, y: 0 });
    w.togglePopover(() => ({ x: 5, y: 5 }));
    expect(w.popover.isVisible()).toBe(false);
  });

  it('opens one settings window, with the tab, and reuses it', () => {
    const w = createWindows(deps());
    w.openSettings('sync');
    expect(BrowserWindow.windows).toHaveLength(2);
    const settings = BrowserWindow.windows[1]!;
    expect(settings.loaded).toEqual({ url: 'app://renderer/settings.html?tab=sync' });
    settings.emit('ready-to-show');
    expect(settings.isVisible()).toBe(true);
    w.openSettings('account');
    expect(BrowserWindow.windows).toHaveLength(2);
    expect(settings.webContents.sent).toContainEqual(['window:show-tab', { tab: 'account' }]);
    expect(w.all()).toHaveLength(2);
    expect(w.isOwnWebContents(settings.webContents as never)).toBe(true);
    expect(w.isOwnWebContents(new FakeWebContents() as never)).toBe(false);
  });

  it('adds the CSP header to the dev server’s pages only (app:// answers carry their own) and denies every permission', () => {
    createWindows(deps({ devServerUrl: 'http://localhost:5173' }));
    const ses = session.defaultSession;
    const answers: unknown[] = [];
    ses.webRequest.headersListener!({ url: 'http://localhost:5173/popover.html', responseHeaders: {} }, (r: unknown) =>
      answers.push(r),
    );
    ses.webRequest.headersListener!({ url: 'https://exist.io/', responseHeaders: {} }, (r: unknown) => answers.push(r));
    const csp = (answers[0] as { responseHeaders: Record<string, string[]> }).responseHeaders[
      'Content-Security-Policy'
    ]![0]!;
    expect(csp).toContain("default-src 'none'");
    expect(answers[1]).toEqual({});
    ses.webRequest.headersListener!(
      { url: 'file:///app/out/renderer/popover.html', responseHeaders: {} },
      (r: unknown) => answers.push(r),
    );
    expect(answers[2], 'file:// is not ours').toEqual({});
    let granted: boolean | null = null;
    ses.permissionRequestHandler!(null, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
    expect(ses.permissionCheckHandler!()).toBe(false);
  });
});

describe('hardening every webContents', () => {
  it('prevents navigation and webviews, and routes new windows to the vetted opener', () => {
    const d = deps();
    hardenAllWebContents(app as never, { pagesUrl: 'app://renderer/' }, d.openExternal);
    const wc = new FakeWebContents();
    app.emit('web-contents-created', {}, wc);
    const nav = new FakeEvent();
    wc.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.defaultPrevented).toBe(true);
    const view = new FakeEvent();
    wc.emit('will-attach-webview', view);
    expect(view.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://exist.io/' })).toEqual({ action: 'deny' });
    expect(d.opened).toEqual(['https://exist.io/']);
  });
});

it('POPOVER_SIZE matches the options', () => {
  expect(popoverWindowOptions('/p', 'linux')).toMatchObject(POPOVER_SIZE);
});
