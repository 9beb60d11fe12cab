/**
 * Helpers for the browser host tests: a host with a tiny stand-in renderer (so no
 * Vite renderer build is needed) and raw WebSocket clients that collect messages.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../src/host/index';

export const PAGE_HTML = `<!doctype html>
<html><head><meta charset="UTF-8"><title>t</title>
<script type="module" crossorigin src="./assets/page.js"></script>
</head><body><div id="root"></div></body></html>`;

export interface TestHost {
  host: BrowserHost;
  dir: string;
  cleanup(): Promise<void>;
}

export async function startTestHost(options: Partial<BrowserHostOptions> = {}): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), 'exist-host-test-'));
  const rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'popover.html'), PAGE_HTML);
  await writeFile(join(rendererDir, 'settings.html'), PAGE_HTML);
  await writeFile(join(rendererDir, 'assets/page.js'), 'export {};\n');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  const host = await startBrowserHost({ dataDir: join(dir, 'data'), rendererDir, sandbox: false, ...options });
  return {
    host,
    dir,
    async cleanup() {
      await host.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A socket plus every JSON message it received, with a way to wait for one. */
export interface Peer {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  next(predicate: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  sendJson(value: unknown): void;
  close(): void;
}

export interface ConnectOptions {
  origin?: string | null;
  cookie?: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Opens a socket to the host's IPC endpoint; by default with the right origin and cookie. */
export function connect(host: BrowserHost, opts: ConnectOptions = {}): Promise<Peer> {
  const url = new URL('/__host/ipc', host.url);
  url.protocol = 'ws:';
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...opts.headers };
  const cookie = opts.cookie === undefined ? `${host.cookieName}=${host.token}` : opts.cookie;
  if (cookie !== null) headers.cookie = cookie;
  const origin = opts.origin === undefined ? host.origin : opts.origin;
  const ws = new WebSocket(url, { headers, ...(origin !== null ? { origin } : {}) });
  const messages: Record<string, unknown>[] = [];
  const waiters: {
    predicate: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.predicate(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const peer: Peer = {
    ws,
    messages,
    next(predicate) {
      const seen = messages.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    sendJson: (value) => ws.send(JSON.stringify(value)),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(peer));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one frame and waits for the answer with the same id. */
export async function request(
  peer: Peer,
  message: { id: number | string } & Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const answer = peer.next((m) => m.id === message.id);
  peer.sendJson(message);
  return answer;
}
