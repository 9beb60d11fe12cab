/**
 * The running app's end of the local socket. Owner-only: the socket's folder is the
 * user's private runtime folder, created 0700 and verified (owner, mode, no symlink)
 * before use — a folder someone else pre-created is refused (./private-dir.ts) — and the
 * socket itself is 0600, so another local user can neither drive someone's Exist account
 * nor answer the CLI in the app's place. A socket file left by a crashed app is
 * detected and replaced.
 */
import { chmod, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { UserError, describeError } from '../errors';
import { ensurePrivateDir, type OwnershipPorts } from './private-dir';
import { MAX_LINE_BYTES, remoteRequestSchema, type RemoteCommand, type RemoteResponse } from './protocol';

/** Applies one validated command; throw a `UserError` for a readable refusal. */
export type RemoteHandler = (command: RemoteCommand) => Promise<unknown>;

export interface RemoteServer {
  readonly path: string;
  close(): Promise<void>;
}

export interface RemoteServerOptions {
  /** Told about unexpected handler errors (never the payload). */
  onInternalError?: (error: unknown) => void;
  platform?: NodeJS.Platform;
  /** lstat and uid for the folder check (tests). */
  ownership?: OwnershipPorts;
}

const isWindowsPipe = (path: string) => path.startsWith('\\\\.\\pipe\\') || path.startsWith('\\\\?\\pipe\\');

/** Start listening on `socketPath`; rejects with a UserError when another app already listens there. */
export async function startRemoteServer(
  socketPath: string,
  handler: RemoteHandler,
  options: RemoteServerOptions = {},
): Promise<RemoteServer> {
  const pipe = isWindowsPipe(socketPath) || (options.platform ?? process.platform) === 'win32';
  if (!pipe) await ensurePrivateDir(dirname(socketPath), options.ownership);

  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, handler, options);
  });

  try {
    await listen(server, socketPath);
  } catch (e) {
    if (pipe || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    if (await isListening(socketPath)) {
      throw new UserError('already-running', `Another Exist Tray is already listening on ${socketPath}.`);
    }
    await unlink(socketPath).catch(() => undefined); // stale file from a crashed app
    await listen(server, socketPath);
  }
  if (!pipe) await chmod(socketPath, 0o600);

  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Whether something answers on the socket (ECONNREFUSED/ENOENT: a stale file). */
function isListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function serveConnection(socket: Socket, handler: RemoteHandler, options: RemoteServerOptions): void {
  socket.setEncoding('utf8');
  let buffer = '';
  const reply = (r: RemoteResponse) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`);
  };
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (Buffer.byteLength(buffer) > MAX_LINE_BYTES && !buffer.includes('\n')) {
      reply({ id: null, ok: false, error: { code: 'too-large', message: 'Request too large' } });
      socket.end();
      buffer = '';
      return;
    }
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) void answer(line, handler, options).then(reply);
    }
  });
}

/** One request line → one response. Never throws. */
export async function answer(
  line: string,
  handler: RemoteHandler,
  options: RemoteServerOptions = {},
): Promise<RemoteResponse> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { id: null, ok: false, error: { code: 'invalid-json', message: 'The request is not valid JSON' } };
  }
  const id = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : null;
  const parsed = remoteRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const message = issue ? (path ? `${path}: ${issue.message}` : issue.message) : 'Invalid request';
    return {
      id,
      ok: false,
      error: path ? { code: 'invalid-request', message, field: path } : { code: 'invalid-request', message },
    };
  }
  const { id: reqId, ...command } = parsed.data;
  try {
    return { id: reqId, ok: true, value: (await handler(command as RemoteCommand)) ?? null };
  } catch (e) {
    const error = describeError(e, { internalMessage: 'The running app could not apply the command.' });
    if (error.code !== 'internal') return { id: reqId, ok: false, error };
    options.onInternalError?.(e); // a bug: logged here; the CLI gets the words only
    return { id: reqId, ok: false, error: { code: error.code, message: error.message } };
  }
}
