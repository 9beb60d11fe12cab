/**
 * The loopback HTTP listener that receives Exist's redirect (`http://localhost:8000/?code=…&state=…`).
 *
 * It exists only while an attempt is pending: it starts when the attempt starts and
 * closes after the first valid callback, on timeout, or on cancel. It binds loopback
 * only, on both resolutions of `localhost` (127.0.0.1 and ::1, since the browser may
 * pick either; a machine without IPv6 just gets 127.0.0.1).
 *
 * Security decisions:
 *  - A missing or wrong `state` gets a failure page but does NOT end the attempt:
 *    otherwise any local page or program could cancel a user's sign-in by hitting the
 *    port with junk. Only a callback carrying the secret state can end it.
 *  - Stray requests (favicon, other paths, other methods) get 404/405 and are ignored.
 *  - Pages carry `Referrer-Policy: no-referrer`, no scripts and no external resources,
 *    so the code in the URL goes nowhere else.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { REDIRECT_URI } from '../../shared/domain';
import { systemClock } from '../ports';
import type { Clock } from '../ports';
import { describeError } from '../errors';
import { oauthWords } from '../errors/oauth';
import { AuthFlowError } from './errors';
import { renderCallbackPage } from './callback-page';
import type { CallbackPage, RenderCallbackPage } from './callback-page';

export const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;

export interface CallbackListenerOptions {
  redirectUri?: string;
  /** The `state` put in the authorize URL. */
  expectedState: string;
  timeoutMs?: number;
  renderPage?: RenderCallbackPage;
  /**
   * Runs with the code before the browser gets its answer (exchange the code, store the
   * account), so the page can say who got connected. A rejection becomes an
   * `exchange-failed` outcome and a failure page; its message is shown, so it must be safe
   * (ExistError messages are).
   */
  onCode?: (code: string) => Promise<{ username?: string } | void>;
  signal?: AbortSignal;
  clock?: Clock;
}

export type CallbackOutcome = { ok: true; code: string; username?: string } | { ok: false; error: AuthFlowError };

export interface CallbackListener {
  /** Settles once: first valid callback, timeout, cancel or close. Never rejects. */
  result: Promise<CallbackOutcome>;
  /** Ends the attempt (as `cancelled` if still pending) and frees the port. */
  close(): Promise<void>;
  /** The port listened on and the loopback hosts actually bound. */
  port: number;
  hosts: string[];
}

/** The clear message for a taken redirect port (the port is registered at Exist and cannot move). */
export function portInUseMessage(redirectUri: string, port: number): string {
  return `Port ${port} is in use by another program. Exist sends you back to ${redirectUri} (the redirect URI registered for your client), so it cannot move: close the other program and try again.`;
}

function loopbackHosts(hostname: string): string[] {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return ['127.0.0.1', '::1'];
  if (h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)) return [h];
  throw new TypeError(`The redirect URI must point at this computer (localhost); got host ${hostname}.`);
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true, ipv6Only: host.includes(':') }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function sameSecret(a: string | null, b: string): boolean {
  if (a === null) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Starts listening for one OAuth callback. Rejects with `AuthFlowError('port-in-use')`
 * when the redirect port is taken; otherwise resolves once listening.
 */
export async function startCallbackListener(opts: CallbackListenerOptions): Promise<CallbackListener> {
  const redirectUri = opts.redirectUri ?? REDIRECT_URI;
  const url = new URL(redirectUri);
  if (url.protocol !== 'http:') throw new TypeError('The redirect URI must be an http://localhost URL.');
  const hosts = loopbackHosts(url.hostname);
  const port = Number(url.port || 80);
  const path = url.pathname || '/';
  const render = opts.renderPage ?? renderCallbackPage;
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;

  let phase: 'pending' | 'completing' | 'done' = 'pending';
  let settle!: (o: CallbackOutcome) => void;
  const result = new Promise<CallbackOutcome>((r) => (settle = r));
  const servers: Server[] = [];
  let cancelTimer: (() => void) | undefined = undefined;
  let closing: Promise<void> | undefined;

  const closeAll = (): Promise<void> => (closing ??= Promise.all(servers.map(closeServer)).then(() => undefined));

  const onAbort = (): void => {
    finish({ ok: false, error: new AuthFlowError('cancelled', 'The sign-in was cancelled.') });
    void closeAll();
  };

  function finish(o: CallbackOutcome): void {
    if (phase === 'done') return;
    phase = 'done';
    cancelTimer?.();
    opts.signal?.removeEventListener('abort', onAbort);
    settle(o);
  }

  function send(res: ServerResponse, status: number, page: CallbackPage | null, then?: () => void): void {
    const body = page ? render(page) : 'Not found\n';
    res.writeHead(status, {
      'Content-Type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
    });
    res.end(body, then);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (phase === 'done') {
      return send(res, 410, {
        kind: 'info',
        title: 'Sign-in finished',
        message: 'This sign-in attempt has already ended. You can close this tab.',
      });
    }
    // Built by concatenation: a path such as `//x` must stay a path, not become a host.
    const u = new URL(`http://localhost${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? '/'}`);
    if (u.pathname !== path) return send(res, 404, null);
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET', Connection: 'close' });
      res.end();
      return;
    }
    const q = u.searchParams;
    if (!sameSecret(q.get('state'), opts.expectedState)) {
      return send(res, 400, {
        kind: 'failure',
        title: 'This link does not match your sign-in',
        message:
          'Exist Tray did not start the sign-in this page belongs to, so it was ignored. If you are connecting Exist Tray, finish the sign-in from the page Exist Tray opened.',
      });
    }
    if (phase === 'completing') {
      return send(res, 409, {
        kind: 'info',
        title: 'Already connecting',
        message: 'Exist Tray is already finishing this sign-in. You can close this tab.',
      });
    }
    const error = q.get('error');
    if (error !== null) {
      const denied = error === 'access_denied';
      // The OAuth code in words that say what to do (core/errors/oauth.ts); the code itself only as detail.
      const oauthError = error.slice(0, 64);
      const message = denied ? oauthWords(oauthError) : `Not connected. ${oauthWords(oauthError)}`;
      finish({
        ok: false,
        error: new AuthFlowError(denied ? 'access-denied' : 'oauth-error', message, { oauthError }),
      });
      return send(
        res,
        200,
        { kind: 'failure', title: denied ? 'Access not allowed' : 'Not connected', message },
        () => void closeAll(),
      );
    }
    const code = q.get('code');
    if (!code) {
      const message = 'Exist sent you back without an authorisation code. Nothing was connected; please try again.';
      finish({ ok: false, error: new AuthFlowError('missing-code', message) });
      return send(res, 400, { kind: 'failure', title: 'Not connected', message }, () => void closeAll());
    }
    phase = 'completing';
    let username: string | undefined;
    try {
      const r = opts.onCode ? await opts.onCode(code) : undefined;
      username = r ? r.username : undefined;
    } catch (e) {
      // Words from the one mapper, never the error's own text (it may name a path, a URL or the code);
      // the raw error stays the AuthFlowError's cause, for the log.
      const message = `Exist Tray received the authorisation but could not finish connecting: ${describeError(e).message}`;
      finish({ ok: false, error: new AuthFlowError('exchange-failed', message, { cause: e }) });
      return send(res, 502, { kind: 'failure', title: 'Not connected', message }, () => void closeAll());
    }
    if ((phase as string) === 'done') {
      // Cancelled (or closed) while exchanging.
      return send(res, 200, {
        kind: 'info',
        title: 'Sign-in cancelled',
        message: 'The sign-in was cancelled in Exist Tray. You can close this tab.',
      });
    }
    finish(username === undefined ? { ok: true, code } : { ok: true, code, username });
    const title = username ? `Connected to Exist as ${username}` : 'Connected to Exist';
    return send(
      res,
      200,
      { kind: 'success', title, message: `${title} — you can close this tab.` },
      () => void closeAll(),
    );
  }

  const makeServer = (): Server => {
    const s = createServer((req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, null);
      });
    });
    s.on('clientError', (_e, socket) => socket.destroy());
    return s;
  };

  for (const host of hosts) {
    const s = makeServer();
    try {
      await listenOn(s, host, port);
      servers.push(s);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const optionalV6 =
        host === '::1' &&
        hosts.length > 1 &&
        (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL');
      if (optionalV6) continue;
      await Promise.all(servers.map(closeServer));
      if (code === 'EADDRINUSE') {
        throw new AuthFlowError('port-in-use', portInUseMessage(redirectUri, port), { cause: e });
      }
      throw new AuthFlowError(
        'listen-failed',
        `Could not listen on ${host} port ${port} for Exist's answer (${code ?? 'error'}).`,
        { cause: e },
      );
    }
  }

  cancelTimer = clock.setTimeout(() => {
    if (phase !== 'pending') return;
    finish({
      ok: false,
      error: new AuthFlowError(
        'timeout',
        `No answer from the browser within ${Math.round(timeoutMs / 60_000) || 1} minute(s); the sign-in was stopped.`,
      ),
    });
    void closeAll();
  }, timeoutMs);

  if (opts.signal) {
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
  }

  return {
    result,
    port,
    hosts: servers.map((s) => {
      const a = s.address();
      return a && typeof a === 'object' ? a.address : '';
    }),
    async close() {
      finish({ ok: false, error: new AuthFlowError('cancelled', 'The sign-in was cancelled.') });
      await closeAll();
    },
  };
}
