/**
 * The in-page bridge (served as /__host/bridge.js, a classic script that runs before
 * the renderer's module script): builds `window.existTray` with the same `buildApi`
 * the Electron preload uses, over the host's WebSocket instead of Electron IPC. The
 * socket authenticates with the host's HttpOnly session cookie, so the page never
 * sees the token. On the desk page (`data-role="desk"`) it also exposes
 * `window.existTrayHost` for the host-only messages that stand in for the desktop.
 *
 * Compiled with Node types only (see tsconfig.node.json), so the few browser globals
 * it needs are declared here rather than pulling the DOM library into the program.
 */
import { buildApi } from '../../preload/build-api';
import type { Result } from '../../shared/result';
import type { DeskAction, HostMessage, SocketRole } from '../protocol';
import { IPC_PATH } from '../protocol';
import { createSocketTransport, type SocketLike } from './transport';

interface BrowserGlobals {
  WebSocket: new (url: string) => SocketLike;
  location: { href: string; protocol: string; host: string };
  document: { currentScript: { dataset: Record<string, string | undefined> } | null };
  setTimeout(fn: () => void, ms: number): unknown;
  existTray?: unknown;
  existTrayHost?: unknown;
}

/** What the desk page script gets: host messages (buffered until the first listener) and tray commands. */
export interface DeskHostApi {
  onMessage(listener: (message: HostMessage) => void): () => void;
  command(action: DeskAction): Promise<Result<unknown>>;
}

const g = globalThis as unknown as BrowserGlobals;
const role: SocketRole = g.document.currentScript?.dataset.role === 'desk' ? 'desk' : 'page';

const url = new URL(IPC_PATH, g.location.href);
url.protocol = g.location.protocol === 'https:' ? 'wss:' : 'ws:';
url.searchParams.set('role', role);
url.searchParams.set('page', g.location.href);

const hostListeners = new Set<(message: HostMessage) => void>();
const buffered: HostMessage[] = [];

const socket = createSocketTransport({
  url: url.href,
  createSocket: (u) => new g.WebSocket(u),
  reconnect: { schedule: (fn, ms) => void g.setTimeout(fn, ms) },
  onHostMessage(message) {
    if (hostListeners.size === 0) buffered.push(message);
    for (const l of [...hostListeners]) l(message);
  },
});

g.existTray = buildApi(socket.transport);

if (role === 'desk') {
  const host: DeskHostApi = {
    onMessage(listener) {
      hostListeners.add(listener);
      for (const m of buffered.splice(0)) listener(m);
      return () => {
        hostListeners.delete(listener);
      };
    },
    command: (action) => socket.command(action),
  };
  g.existTrayHost = Object.freeze(host);
  // Open the socket now so the desk gets its snapshot without waiting for a call.
  socket.transport.subscribe('app:notification', () => undefined);
}
