/**
 * The host side of the bridge: a WebSocket endpoint that plays the role of Electron's
 * ipcMain. The upgrade is refused unless the request comes from the host's own origin
 * (Host and Origin headers) and carries the session cookie (HttpOnly, handed out only
 * for a one-time launch token, see ./gate.ts); every frame then goes through the shared
 * dispatcher, so validation is exactly Electron's. Bad frames get an error answer and
 * never take the host down.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Dispatcher } from '../core/ipc/dispatch';
import type { PushChannel, SenderInfo } from '../shared/ipc-contract';
import type { Result } from '../shared/result';
import {
  IPC_PATH,
  type ClientMessage,
  type DeskAction,
  type HostMessage,
  type ServerMessage,
  type SocketRole,
} from './protocol';

/** Up to 2 MiB of CSV travels in one import call; JSON escaping can double it. */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;

const messageId = z.union([z.number().int().safe(), z.string().min(1).max(100)]);
const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: messageId, channel: z.string().max(200), payload: z.unknown().optional() }),
  z.object({
    type: z.literal('send'),
    id: messageId.optional(),
    channel: z.string().max(200),
    payload: z.unknown().optional(),
  }),
  z.object({ type: z.literal('desk'), id: messageId, action: z.enum(['sync-now', 'quit']) }),
]);

/** Constant-time token comparison. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export interface HostIdentity {
  /** The session token. */
  token: string;
  /** Name of the HttpOnly cookie that carries it. */
  cookieName: string;
  /** Origins (scheme://host:port) the host answers as, e.g. http://127.0.0.1:PORT and http://localhost:PORT. */
  origins(): readonly string[];
}

/** Whether the Host header names this host (a defence against DNS rebinding). */
export function hostHeaderAllowed(id: HostIdentity, host: string | undefined): boolean {
  return typeof host === 'string' && id.origins().some((o) => o === `http://${host}`);
}

/**
 * The session secret a request carries: only the HttpOnly cookie. (No `?token=` or
 * bearer header: a secret in a URL ends up in logs and histories, and a browser that
 * never got the cookie through a launch link has no business here.)
 */
export function requestToken(id: HostIdentity, req: IncomingMessage): string | null {
  return readCookie(req.headers.cookie, id.cookieName);
}

export interface BridgeServerOptions {
  server: Server;
  identity: HostIdentity;
  dispatcher: Dispatcher;
  /** Tray menu actions from the desk page. */
  onDeskCommand(action: DeskAction): Promise<Result<unknown>>;
  /** The first message a desk socket gets. */
  deskSnapshot(): HostMessage;
  log?(line: string): void;
}

export interface BridgeServer {
  /** A contract push, to every connected page. */
  push(channel: PushChannel, payload: unknown): void;
  /** A host-only message, to desk pages. */
  toDesk(message: HostMessage): void;
  /** How many sockets are connected (tests). */
  connections(): number;
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  role: SocketRole;
  sender: SenderInfo;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`,
  );
  socket.destroy();
}

/** Attaches the IPC WebSocket endpoint (`/__host/ipc`) to `server`. */
export function attachBridgeServer(options: BridgeServerOptions): BridgeServer {
  const { identity, dispatcher } = options;
  const log = options.log ?? (() => undefined);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Set<Client>();

  const deliver = (client: Client, message: ServerMessage): void => {
    if (client.ws.readyState !== client.ws.OPEN) return;
    client.ws.send(JSON.stringify(message), (e) => {
      if (e) log(`bridge: could not deliver a message (${e.message})`);
    });
  };
  const answerError = (client: Client, id: number | string | null, code: string, message: string): void =>
    deliver(client, { id, result: { ok: false, error: { code, message } } });

  const onMessage = async (client: Client, raw: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) return answerError(client, null, 'bad-message', 'Messages must be JSON text');
    let data: unknown;
    try {
      data = JSON.parse(raw.toString());
    } catch {
      return answerError(client, null, 'bad-message', 'Messages must be JSON');
    }
    const parsed = clientMessageSchema.safeParse(data);
    if (!parsed.success) {
      const rawId = (data as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
      return answerError(client, id, 'bad-message', 'Not a bridge message: expected {type, id, channel, payload}');
    }
    const m: ClientMessage = parsed.data;
    switch (m.type) {
      case 'invoke': {
        const result = await dispatcher.invoke(m.channel, m.payload, client.sender);
        return deliver(client, { id: m.id, result });
      }
      case 'send': {
        const result = dispatcher.send(m.channel, m.payload, client.sender);
        if (m.id !== undefined) deliver(client, { id: m.id, result });
        else if (!result.ok) log(`bridge: ${m.channel} refused: ${result.error.message}`);
        return;
      }
      case 'desk': {
        if (client.role !== 'desk')
          return answerError(client, m.id, 'not-allowed', 'Only the desk page sends tray commands');
        return deliver(client, { id: m.id, result: await options.onDeskCommand(m.action) });
      }
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://host.invalid');
    } catch {
      return refuse(socket, 400, 'Bad Request');
    }
    if (url.pathname !== IPC_PATH) return refuse(socket, 404, 'Not Found');
    if (!hostHeaderAllowed(identity, req.headers.host)) return refuse(socket, 403, 'Forbidden');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !identity.origins().includes(origin)) return refuse(socket, 403, 'Forbidden');
    if (!tokenMatches(identity.token, requestToken(identity, req))) return refuse(socket, 403, 'Forbidden');

    const role: SocketRole = url.searchParams.get('role') === 'desk' ? 'desk' : 'page';
    const page = url.searchParams.get('page');
    const sameOrigin = (() => {
      try {
        return page !== null && new URL(page).origin === origin;
      } catch {
        return false;
      }
    })();
    const sender: SenderInfo = { url: sameOrigin && page ? page : `${origin}/`, trusted: true };

    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, role, sender };
      clients.add(client);
      ws.on('message', (raw, isBinary) => {
        onMessage(client, raw, isBinary).catch((e: unknown) => {
          log(`bridge: internal error handling a message: ${e instanceof Error ? e.message : String(e)}`);
          answerError(client, null, 'internal', 'The browser host could not handle that message');
        });
      });
      ws.on('error', (e) => log(`bridge: socket error (${e.message})`));
      ws.on('close', () => clients.delete(client));
      if (role === 'desk') deliver(client, options.deskSnapshot());
    });
  };
  options.server.on('upgrade', onUpgrade);

  return {
    push(channel, payload) {
      for (const c of clients) deliver(c, { push: channel, payload });
    },
    toDesk(message) {
      for (const c of clients) if (c.role === 'desk') deliver(c, message);
    },
    connections: () => clients.size,
    close() {
      options.server.off('upgrade', onUpgrade);
      for (const c of clients) c.ws.terminate();
      clients.clear();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
