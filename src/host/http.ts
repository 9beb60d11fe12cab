/**
 * The browser host's HTTP answers: common headers (no caching, no sniffing, no
 * referrer), and the built renderer's files, from inside its folder only. Who may get
 * what is decided in ./host.ts and ./gate.ts.
 */
import type { ServerResponse } from 'node:http';
import { promises as fs } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { BRIDGE_PATH } from './protocol';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Puts the bridge script before the page's first module script (or at the end of <head>). */
export function injectBridge(html: string): string {
  const tag = `<script src="${BRIDGE_PATH}"></script>`;
  const i = html.search(/<script\b[^>]*\btype=["']?module/i);
  if (i >= 0) return `${html.slice(0, i)}${tag}\n    ${html.slice(i)}`;
  const head = html.search(/<\/head>/i);
  if (head >= 0) return `${html.slice(0, head)}${tag}\n${html.slice(head)}`;
  return `${tag}\n${html}`;
}

/** Writes one answer with the host's common headers. */
export const send = (
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
) => {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
};
export const text = (res: ServerResponse, status: number, body: string) =>
  send(res, status, 'text/plain; charset=utf-8', body);
export const json = (res: ServerResponse, body: unknown) =>
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(body));

/** A file of the built renderer (HTML pages get the bridge injected); never one outside `rendererDir`. */
export const serveStatic = async (res: ServerResponse, pathname: string, rendererDir: string) => {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return text(res, 400, 'Bad path');
  }
  if (rel.includes('\0') || rel.split('/').some((seg) => seg.startsWith('.'))) return text(res, 404, 'Not found');
  const file = resolve(rendererDir, `.${rel}`);
  if (!file.startsWith(rendererDir + sep)) return text(res, 404, 'Not found');
  let body: Buffer;
  try {
    if (!(await fs.stat(file)).isFile()) return text(res, 404, 'Not found');
    body = await fs.readFile(file);
  } catch {
    return text(res, 404, 'Not found');
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.html') return send(res, 200, CONTENT_TYPES['.html']!, injectBridge(body.toString('utf8')));
  return send(res, 200, CONTENT_TYPES[ext] ?? 'application/octet-stream', body);
};
