/**
 * The CLI's end of the local socket: hand one command to the running app.
 * `null` means no app is listening (no socket, or a stale one), so the CLI may safely
 * use its own outbox: the command never reached an app. Once connected, a missing
 * answer is an error rather than `null`, because the app may already have applied it.
 * Nothing is sent to a socket (or folder) that belongs to another user.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { checkSocketOwner, type OwnershipPorts } from './private-dir';
import { MAX_LINE_BYTES, remoteResponseSchema, type RemoteCommand, type RemoteResult } from './protocol';

export interface SendOptions {
  /** Whole-exchange limit; default 10 s (a `sync` may take a few calls). */
  timeoutMs?: number;
  /** lstat and uid for the owner check (tests). */
  ownership?: OwnershipPorts;
}

const isPipe = (path: string) => path.startsWith('\\\\.\\pipe\\') || path.startsWith('\\\\?\\pipe\\');

/**
 * Hands `command` to the app listening on `socketPath`, after checking that the socket
 * and its folder are this user's (another user's socket gets nothing, and an error).
 */
export async function sendToRunningApp(
  socketPath: string,
  command: RemoteCommand,
  options: SendOptions = {},
): Promise<RemoteResult | null> {
  if (!isPipe(socketPath)) {
    const check = await checkSocketOwner(socketPath, dirname(socketPath), options.ownership);
    if (check === 'absent') return null;
    if (check !== 'ok') return { ok: false, error: check.toAppError() };
  }
  return exchange(socketPath, command, options);
}

const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK']);

function exchange(socketPath: string, command: RemoteCommand, options: SendOptions): Promise<RemoteResult | null> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const id = randomUUID();
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    let buffer = '';
    const socket = connect(socketPath);
    const finish = (r: RemoteResult | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => {
      finish(
        connected
          ? {
              ok: false,
              error: {
                code: 'app-timeout',
                message: `Exist Tray did not answer within ${Math.round(timeoutMs / 1000)} s; it may or may not have applied the command. Check the app before trying again.`,
              },
            }
          : null,
      );
    }, timeoutMs);

    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ id, ...command })}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE_BYTES) {
        finish({ ok: false, error: { code: 'bad-answer', message: 'Exist Tray sent an answer that is too large.' } });
        return;
      }
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let parsed;
        try {
          parsed = remoteResponseSchema.safeParse(JSON.parse(line));
        } catch {
          parsed = null;
        }
        if (!parsed?.success) {
          finish({
            ok: false,
            error: {
              code: 'bad-answer',
              message: 'Exist Tray sent an answer this command line does not understand (different versions?).',
            },
          });
          return;
        }
        const r = parsed.data;
        if (r.id !== id && r.id !== null) continue;
        finish(r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error });
        return;
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (!connected && NOT_LISTENING.has(e.code ?? '')) finish(null);
      else if (!connected)
        finish({
          ok: false,
          error: { code: 'app-unreachable', message: `Could not reach the running Exist Tray: ${e.message}` },
        });
      else
        finish({
          ok: false,
          error: {
            code: 'app-disconnected',
            message:
              'The connection to Exist Tray broke; it may or may not have applied the command. Check the app before trying again.',
          },
        });
    });
    socket.on('close', () => {
      if (connected)
        finish({
          ok: false,
          error: {
            code: 'app-disconnected',
            message: 'Exist Tray closed the connection without answering; it may or may not have applied the command.',
          },
        });
    });
  });
}
