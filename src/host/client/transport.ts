/**
 * The WebSocket side of the browser host's bridge: an `ApiTransport` (the same shape
 * the Electron preload gives `buildApi`) over one socket. Runs in the page (bundled into
 * bridge.js) and under Node in tests (with the `ws` client), so it only touches the
 * small socket interface below, never DOM globals.
 */
import type { ApiTransport } from '../../preload/build-api';
import type { Result } from '../../shared/result';
import type { ClientMessage, DeskAction, HostMessage } from '../protocol';

/** The part of the WebSocket API the transport uses (browser WebSocket and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface SocketTransportOptions {
  url: string;
  createSocket(url: string): SocketLike;
  /** Host-only messages (desk page). */
  onHostMessage?(message: HostMessage): void;
  /** Reconnect after a lost connection while push listeners exist (not after a refused one). */
  reconnect?: { schedule(fn: () => void, ms: number): void };
}

export interface SocketTransport {
  transport: ApiTransport;
  /** Tray menu actions (desk page only). */
  command(action: DeskAction): Promise<Result<unknown>>;
  close(): void;
}

const OPEN = 1;

/**
 * Calls made before the socket is open are queued and sent on open; when the socket
 * closes, every unanswered call fails (buildApi turns that into `{ok:false}`), and the
 * next call opens a new socket.
 */
export function createSocketTransport(options: SocketTransportOptions): SocketTransport {
  let socket: SocketLike | null = null;
  let everOpened = false;
  let closedByUs = false;
  let nextId = 1;
  let retryMs = 500;
  const queue: string[] = [];
  const pending = new Map<number, { resolve(r: Result<unknown>): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const handle = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (typeof m.push === 'string') {
      for (const listener of [...(listeners.get(m.push) ?? [])]) {
        try {
          listener(m.payload);
        } catch (e) {
          console.error(`Exist Tray bridge: a ${m.push} listener threw`, e);
        }
      }
    } else if (typeof m.host === 'string') {
      options.onHostMessage?.(message as HostMessage);
    } else if (typeof m.id === 'number' && 'result' in m) {
      const p = pending.get(m.id);
      if (p) {
        pending.delete(m.id);
        p.resolve(m.result as Result<unknown>);
      }
    }
  };

  const connect = (): SocketLike => {
    if (socket) return socket;
    const s = options.createSocket(options.url);
    socket = s;
    s.addEventListener('open', () => {
      everOpened = true;
      retryMs = 500;
      for (const data of queue.splice(0)) s.send(data);
    });
    s.addEventListener('message', (event) => handle(event.data));
    s.addEventListener('error', () => {
      // A 'close' always follows; failing calls happens there.
    });
    s.addEventListener('close', () => {
      if (socket === s) socket = null;
      queue.length = 0;
      const failed = [...pending.values()];
      pending.clear();
      for (const p of failed) p.reject(new Error('The connection to Exist Tray was lost'));
      const wanted = [...listeners.values()].some((set) => set.size > 0);
      if (!closedByUs && everOpened && wanted && options.reconnect) {
        options.reconnect.schedule(() => {
          if (!socket && !closedByUs) connect();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      }
    });
    return s;
  };

  const post = (message: ClientMessage): void => {
    const data = JSON.stringify(message);
    const s = connect();
    if (s.readyState === OPEN) s.send(data);
    else queue.push(data);
  };

  const call = (build: (id: number) => ClientMessage): Promise<Result<unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post(build(id));
    });

  const transport: ApiTransport = {
    invoke: (channel, payload) => call((id) => ({ type: 'invoke', id, channel, payload })),
    send: (channel, payload) => post({ type: 'send', channel, payload }),
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      connect();
      return () => {
        set.delete(listener);
      };
    },
  };

  return {
    transport,
    command: (action) => call((id) => ({ type: 'desk', id, action })),
    close() {
      closedByUs = true;
      socket?.close();
    },
  };
}
