/**
 * The shell's security decisions as pure functions (no electron import), so each
 * rule of the Electron security checklist that we rely on is unit-tested:
 * which frames may talk to main, which URLs may leave for the system browser,
 * and the Content-Security-Policy our pages get.
 */
import type { SenderInfo } from '../shared/ipc-contract';
import type { Result } from '../shared/result';

/** Where our own pages come from: the app:// scheme (./app-scheme.ts) or, in development, the dev server. */
export interface RendererOrigins {
  /** `app://renderer/` (trailing slash): the origin the windows actually load. file:// is never ours. */
  pagesUrl: string;
  /** electron-vite's dev server in development (`ELECTRON_RENDERER_URL`); absent when packaged. */
  devServerUrl?: string | undefined;
}

/** Whether `url` is one of our pages (on the app:// pages origin, or on the dev server's origin). */
export function isOwnPageUrl(url: string, origins: RendererOrigins): boolean {
  let u: URL;
  let pages: URL;
  try {
    u = new URL(url);
    pages = new URL(origins.pagesUrl);
  } catch {
    return false;
  }
  // A custom scheme's URL has the origin "null" in WHATWG terms: compare scheme and host, and refuse
  // credentials and ports (the handler serves neither).
  if (u.protocol === pages.protocol && pages.protocol !== 'file:')
    return u.host === pages.host && u.hostname !== '' && !u.port && !u.username && !u.password;
  if (origins.devServerUrl) {
    try {
      return u.origin === new URL(origins.devServerUrl).origin && (u.protocol === 'http:' || u.protocol === 'https:');
    } catch {
      return false;
    }
  }
  return false;
}

export interface SenderFacts {
  /** The sending frame's URL; null when the frame is gone (navigated or destroyed). */
  frameUrl: string | null;
  /** The frame is its page's top frame (not an iframe). */
  isTopFrame: boolean;
  /** The frame's webContents belongs to a window this app created. */
  fromOwnWindow: boolean;
}

/** The sender-trust decision: only the top frame of one of our windows showing one of our pages. */
export function senderInfo(facts: SenderFacts, origins: RendererOrigins): SenderInfo {
  const url = facts.frameUrl ?? '';
  return {
    url,
    trusted: facts.fromOwnWindow && facts.isTopFrame && facts.frameUrl !== null && isOwnPageUrl(url, origins),
  };
}

/** Hosts allowed beyond plain https: the configured Exist server and, while it runs, the loopback sandbox. */
export interface ExternalUrlPolicy {
  existUrl: string;
  sandboxUrl?: string | null | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Whether a URL may be handed to `shell.openExternal`: https only (no credentials in
 * the URL), or the configured Exist host, or the loopback sandbox while it runs.
 * Everything else (file:, javascript:, custom schemes, plain http) is refused: an
 * opened URL can start other programs.
 */
export function vetExternalUrl(raw: string, policy: ExternalUrlPolicy): Result<string> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, error: { code: 'bad-url', message: 'That is not a valid link.' } };
  }
  if (u.username || u.password)
    return { ok: false, error: { code: 'bad-url', message: 'Links with a user name or password are not opened.' } };
  if (u.protocol === 'https:') return { ok: true, value: u.href };
  const sameOrigin = (base: string | null | undefined) => {
    if (!base) return false;
    try {
      return new URL(base).origin === u.origin;
    } catch {
      return false;
    }
  };
  if (u.protocol === 'http:' && sameOrigin(policy.existUrl)) return { ok: true, value: u.href };
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname) && sameOrigin(policy.sandboxUrl))
    return { ok: true, value: u.href };
  return {
    ok: false,
    error: { code: 'url-refused', message: `Only https links are opened (refused ${u.protocol}//${u.host}).` },
  };
}

/**
 * The Content-Security-Policy of our pages, sent as a response header: by the app:// handler
 * (./app-scheme.ts) in production, by `onHeadersReceived` for the dev server. The pages' meta
 * tag repeats it without `frame-ancestors` (which a meta tag cannot carry).
 * Production: scripts and styles only from the app itself, no network at all (the
 * renderer talks to main over IPC only). Development adds the dev server's origin and
 * its HMR websocket, plus the inline preamble `@vitejs/plugin-react` injects.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  const ws = dev ? `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : '';
  const directives = [
    "default-src 'none'",
    dev ? `script-src 'self' 'unsafe-inline' ${dev.origin}` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? `connect-src 'self' ${dev.origin} ${ws}` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ];
  return directives.join('; ');
}
