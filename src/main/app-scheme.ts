/**
 * The `app://` scheme our pages are served from (Electron security checklist item 18:
 * "Avoid usage of the `file://` protocol and prefer usage of custom protocols"). This
 * module owns the scheme's name, its privileges, the page URLs and the request handler;
 * it imports no `electron` (./protocol.ts registers it), so every refusal is unit-tested.
 *
 * Decisions:
 * - One host, `app://renderer/…`, mapped onto out/renderer and nothing else. Any other
 *   host, any method but GET/HEAD, and any path that could leave the folder is a 404:
 *   a `..` or `.` segment (also percent-encoded), an encoded `/` or `\`, a `:` (a
 *   Windows drive or an NTFS stream), an empty segment, NUL, a directory, or a symlink
 *   whose real path is outside the folder's real path.
 * - Files are read here rather than through `net.fetch(file://…)` (the docs' example):
 *   the real-path check must see the file that is served, and no file:// load is left in
 *   the app at all (the GrantFileProtocolExtraPrivileges fuse stays off).
 * - Every answer carries the Content-Security-Policy as a response header (the meta tag
 *   in the pages cannot carry `frame-ancestors`), plus `nosniff`.
 * - A handwritten MIME table of the few types Vite emits (a library for seven entries
 *   would be more code to review than the table).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
/** The pages' base URL (trailing slash): what the sender check and navigation guards compare with. */
export const APP_PAGES_URL = `${APP_SCHEME}://${APP_HOST}/`;

/**
 * The privileges `protocol.registerSchemesAsPrivileged` gets (docs/api/structures/custom-scheme.md):
 * - `standard`: relative URLs resolve (Vite's `./assets/…`) and the pages have an origin,
 *   so `'self'` in the CSP means `app://renderer` and web storage works;
 * - `secure`: a secure context, like https (no mixed-content downgrade);
 * - `supportFetchAPI`: the docs' own example sets it; module scripts (`type="module"
 *   crossorigin`) are fetched in CORS mode, and same-origin `fetch` is what `connect-src
 *   'self'` already allows. `corsEnabled` stays off, so no other origin reads app:// answers;
 *   `bypassCSP` stays off, so the CSP applies to everything the pages load.
 */
export const APP_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/** The URL of one of our pages, e.g. `app://renderer/settings.html?tab=sync`. */
export function appPageUrl(page: string, query?: Record<string, string>): string {
  const url = new URL(`${page}.html`, APP_PAGES_URL);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url.href;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** `p` is strictly inside `root` (both absolute and resolved). */
function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

/** The path segments of an app:// URL for our host, decoded and vetted; null for anything we do not serve. */
export function appPathSegments(rawUrl: string): string[] | null {
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) return null;
  const parts: string[] = [];
  for (const raw of u.pathname.split('/').slice(1)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null; // malformed %-escape
    }
    if (s === '' || s === '.' || s === '..' || /[\\/:\0]/.test(s)) return null;
    parts.push(s);
  }
  return parts.length > 0 ? parts : null;
}

/** The real path of the file an app:// URL names, if it is a file under `rootReal`; else null. */
export async function resolveAppFile(rootReal: string, rawUrl: string): Promise<string | null> {
  const parts = appPathSegments(rawUrl);
  if (!parts) return null;
  const candidate = resolve(rootReal, ...parts);
  if (!inside(rootReal, candidate)) return null;
  try {
    const real = await realpath(candidate); // a symlink is judged by where it points
    if (!inside(rootReal, real)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

export interface AppSchemeHandlerOptions {
  /** out/renderer: the only folder served. */
  rendererDir: string;
  /** The pages' Content-Security-Policy, sent as a response header on every answer. */
  csp: string;
}

/** The `protocol.handle('app', …)` handler: a Fetch `Request` in, a `Response` out. */
export function createAppSchemeHandler(opts: AppSchemeHandlerOptions): (request: Request) => Promise<Response> {
  let root: Promise<string> | null = null;
  const rootReal = () => (root ??= realpath(opts.rendererDir));
  const headers = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': opts.csp,
    'X-Content-Type-Options': 'nosniff',
  });
  const notFound = () => new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = await resolveAppFile(await rootReal(), request.url).catch(() => null);
    if (!file) return notFound();
    const body = await readFile(file).catch(() => null);
    if (!body) return notFound();
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: headers(type),
    });
  };
}
