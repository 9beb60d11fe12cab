/**
 * startBrowserHost: runs the electron-free core under Node, serves the built renderer
 * and the desk page on 127.0.0.1, and bridges the IPC contract over a WebSocket with the
 * same dispatcher (validation, sender check) as Electron. Used by `npm run dev:browser`
 * and by the Playwright suite, which drives the real renderer in Chromium.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promises as fs, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAppCore } from '../core/app/index';
import type { AppCore, SandboxLauncher, ShellEffects } from '../core/app/types';
import { openPlainSecretStore } from '../core/auth/secrets-files';
import { describeError } from '../core/errors';
import { createDispatcher } from '../core/ipc/dispatch';
import { systemClock, type Clock, type FetchLike, type Notifier } from '../core/ports';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index';
import type { Result } from '../shared/result';
import { attachBridgeServer, hostHeaderAllowed, requestToken, tokenMatches, type HostIdentity } from './bridge-server';
import { createLaunchTokens, HELP_CSP, helpPageHtml, newSecret, withoutCommandJobs } from './gate';
import { REPO_ROOT, ensureBridgeBuilt, ensureRendererBuilt, type BuildMode } from './build';
import { DESK_CSP, deskPageHtml } from './desk-page';
import { CONTENT_TYPES, json, send, serveStatic, text } from './http';

export { injectBridge } from './http';
import { createHostNotifier, createHostOpener, createHostShell, type ShellRecord } from './ports';
import { BRIDGE_PATH, type DeskAction, type HostMessage, type HostNotification } from './protocol';

export interface BrowserHostOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Where the core keeps its files (secrets.json is 0600). Created if missing. */
  dataDir: string;
  /** An Exist-compatible server. Without it the host starts the sandbox and uses it. */
  existUrl?: string;
  /**
   * The local Exist sandbox, also offered to the core as "Try it with the local sandbox".
   * Default true; options are passed to `startSandbox`; false: no sandbox at all.
   */
  sandbox?: boolean | SandboxOptions;
  clock?: Clock;
  fetch?: FetchLike;
  /** A built renderer to serve instead of out/renderer (then nothing is built). */
  rendererDir?: string;
  /** How to treat out/renderer when `rendererDir` is not given; default 'auto' (build when stale). */
  build?: BuildMode;
  /** Whether the desk page also window.open()s every URL the app opens (the CLI's default). */
  openInBrowser?: boolean;
  /**
   * Let the bridge add and run command jobs (a shell command run as the user). Off by
   * default: any page that got the session could otherwise run programs. CLI flag
   * `--allow-command-jobs`.
   */
  allowCommandJobs?: boolean;
  /** Called after the tray menu's Quit (the CLI exits; tests may ignore it). */
  onQuit?: () => void;
  log?: (line: string) => void;
}

export interface BrowserHost {
  /** The desk page's clean URL, e.g. http://127.0.0.1:PORT/ (a browser without the session gets the help page). */
  url: string;
  /**
   * The start link the launching terminal prints: the desk page with a one-time token
   * (`/?launch=…`) that is traded for the session cookie. Works once.
   */
  launchUrl: string;
  /** A further one-time start link (tests: one per browser context). */
  issueLaunchUrl(): string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** The session secret (cookie `cookieName`); only in-process code (tests) sees it. */
  token: string;
  cookieName: string;
  core: AppCore;
  /** The running sandbox, when there is one. */
  readonly sandbox: Sandbox | null;
  /** The Exist base URL the core was given. */
  existUrl: string | undefined;
  /** Every `Notifier.notify` call, oldest first (live array). */
  notifications: HostNotification[];
  /** Every URL the app opened "in the system browser", oldest first (live array). */
  openedUrls: string[];
  /** What the shell effects were asked to do (live object). */
  shell: ShellRecord;
  /** The ports as given to the core, so tests can drive the desk page directly. */
  notifier: Notifier;
  shellEffects: ShellEffects;
  close(): Promise<void>;
}

function readVersion(): string {
  try {
    return (
      (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'
    );
  } catch {
    return '0.0.0';
  }
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? systemClock;
  const dataDir = resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });

  // ---- sandbox
  const sandboxOptions: SandboxOptions | null =
    options.sandbox === false ? null : typeof options.sandbox === 'object' ? options.sandbox : {};
  let sandbox: Sandbox | null = null;
  let sandboxPort: number | undefined;
  const launcher: SandboxLauncher | undefined = sandboxOptions
    ? {
        async start() {
          if (!sandbox) {
            sandbox = await startSandbox({ ...sandboxOptions, port: sandboxPort ?? sandboxOptions.port ?? 0 });
            sandboxPort = sandbox.port;
          }
          return { url: sandbox.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
        },
        async stop() {
          const s = sandbox;
          sandbox = null;
          await s?.close();
        },
      }
    : undefined;
  let existUrl = options.existUrl;
  if (!existUrl && launcher) existUrl = (await launcher.start()).url;

  // ---- builds
  const rendererDir = resolve(
    options.rendererDir ?? (await ensureRendererBuilt({ mode: options.build ?? 'auto', log })).outDir,
  );
  const [bridgeCode, deskJs, deskCss] = await Promise.all([
    ensureBridgeBuilt({ mode: options.build === 'never' ? 'never' : 'auto' }),
    fs.readFile(join(REPO_ROOT, 'src/host/client/desk.js'), 'utf8'),
    fs.readFile(join(REPO_ROOT, 'src/host/client/desk.css'), 'utf8'),
  ]);

  // ---- identity
  const token = newSecret();
  const launchTokens = createLaunchTokens();
  let port = 0;
  const identity: HostIdentity = {
    token,
    get cookieName() {
      return `exist_tray_host_${port}`;
    },
    origins: () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
  };
  const sessionCookie = () => `${identity.cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`;

  // ---- records and ports
  const notifications: HostNotification[] = [];
  const openedUrls: string[] = [];
  const shell: ShellRecord = {
    pendingCount: 0,
    launchAtLogin: null,
    globalShortcut: null,
    popoverCloses: 0,
    settingsOpened: [],
    trayState: null,
  };
  let bridge: ReturnType<typeof attachBridgeServer> | null = null;
  const toDesk = (m: HostMessage) => bridge?.toDesk(m);

  const notifier = createHostNotifier(notifications, () => clock.now(), toDesk);
  const shellEffects = createHostShell(shell, toDesk, (tab) => bridge?.push('window:show-tab', { tab }));
  const core = createAppCore({
    whenOutboxLocked: 'wait',
    dataDir,
    secrets: openPlainSecretStore(dataDir),
    notifier,
    opener: createHostOpener(openedUrls, toDesk, log),
    clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    shell: shellEffects,
    ...(launcher ? { sandbox: launcher } : {}),
    ...(existUrl ? { existUrl } : {}),
    info: {
      name: 'exist-tray',
      productName: 'Exist Tray',
      version: readVersion(),
      platform: process.platform,
      host: 'browser',
    },
  });

  // ---- HTTP (helpers in ./http.ts)
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostHeaderAllowed(identity, req.headers.host)) return text(res, 403, 'Forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'Method not allowed', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const hasSession = tokenMatches(token, requestToken(identity, req));
    const help = (status: number, reason: 'no-session' | 'used-link') =>
      send(res, status, CONTENT_TYPES['.html']!, helpPageHtml(reason), {
        'Content-Security-Policy': HELP_CSP,
        'X-Frame-Options': 'DENY',
      });
    switch (url.pathname) {
      case '/':
      case '/index.html':
        if (url.searchParams.has('launch')) {
          // Trade the one-time token for the cookie, then drop it from the address bar.
          if (!launchTokens.consume(url.searchParams.get('launch'))) return help(403, 'used-link');
          return send(res, 303, 'text/plain; charset=utf-8', 'See /', { 'Set-Cookie': sessionCookie(), Location: '/' });
        }
        if (!hasSession) return help(401, 'no-session');
        return send(res, 200, CONTENT_TYPES['.html']!, deskPageHtml(), {
          'Content-Security-Policy': DESK_CSP,
          'X-Frame-Options': 'DENY',
        });
      case BRIDGE_PATH:
        return send(res, 200, CONTENT_TYPES['.js']!, bridgeCode);
      case '/__host/desk.js':
        return send(res, 200, CONTENT_TYPES['.js']!, deskJs);
      case '/__host/desk.css':
        return send(res, 200, CONTENT_TYPES['.css']!, deskCss);
      case '/__host/opened':
      case '/__host/notifications':
        if (!hasSession) return text(res, 403, 'Forbidden');
        return json(res, url.pathname === '/__host/opened' ? { opened: openedUrls } : { notifications });
      default:
        if (url.pathname.startsWith('/__host/')) return text(res, 404, 'Not found');
        // The app's pages load the bridge; without the session they get the help page.
        if (/\.html$/i.test(url.pathname) && !hasSession) return help(401, 'no-session');
        return serveStatic(res, url.pathname, rendererDir);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`host: ${req.url ?? ''} failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) text(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  // ---- bridge
  const onDeskCommand = async (action: DeskAction): Promise<Result<unknown>> => {
    switch (action) {
      case 'sync-now':
        try {
          await core.commands.syncNow();
          return { ok: true, value: null };
        } catch (e) {
          const error = describeError(e, { internalMessage: 'Sync failed; see the host log.' });
          if (error.code !== 'internal') return { ok: false, error };
          log(`host: sync now failed: ${error.detail ?? ''}`);
          return { ok: false, error: { code: error.code, message: error.message } };
        }
      case 'quit':
        toDesk({ host: 'quit' });
        setTimeout(() => options.onQuit?.(), 0);
        return { ok: true, value: null };
    }
  };
  bridge = attachBridgeServer({
    server,
    identity,
    dispatcher: createDispatcher(options.allowCommandJobs ? core.invoke : withoutCommandJobs(core.invoke), core.send, {
      onInternalError: (channel, e) =>
        log(`core: ${channel} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    }),
    onDeskCommand,
    deskSnapshot: () => ({
      host: 'snapshot',
      snapshot: {
        pendingCount: shell.pendingCount,
        notifications,
        opened: openedUrls,
        openInBrowser: options.openInBrowser ?? false,
        trayState: shell.trayState,
      },
    }),
    log,
  });
  const offPush = core.onPush((channel, payload) => bridge?.push(channel, payload));

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      offPush();
      await bridge?.close();
      await core.stop().catch((e: unknown) => log(`core: stop failed: ${String(e)}`));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await launcher?.stop();
    })());

  try {
    await core.start();
  } catch (e) {
    await close();
    throw e;
  }

  const issueLaunchUrl = () => `${origin}/?launch=${launchTokens.issue()}`;
  return {
    url: `${origin}/`,
    launchUrl: issueLaunchUrl(),
    issueLaunchUrl,
    origin,
    port,
    token,
    cookieName: identity.cookieName,
    core,
    get sandbox() {
      return sandbox;
    },
    existUrl,
    notifications,
    openedUrls,
    shell,
    notifier,
    shellEffects,
    close,
  };
}
