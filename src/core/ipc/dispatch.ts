/**
 * The one place where IPC payloads meet handlers, shared by the Electron IPC layer
 * (`src/main/ipc.ts`) and the browser host's WebSocket bridge (`src/host`), so both
 * apply the same checks in the same order: known channel, trusted sender, valid payload.
 * Handlers throw; this turns every outcome into a `Result` so nothing is thrown across IPC.
 */
import type { z } from 'zod';
import {
  INVOKE_CHANNELS,
  SEND_CHANNELS,
  type InvokeChannel,
  type InvokeHandlers,
  type SendChannel,
  type SendHandlers,
  type SenderInfo,
} from '../../shared/ipc-contract';
import { invokeSchemas, sendSchemas } from '../../shared/ipc-schemas';
import type { AppError, Result } from '../../shared/result';
import { describeError } from '../errors';

const invokeSet: ReadonlySet<string> = new Set(INVOKE_CHANNELS);
const sendSet: ReadonlySet<string> = new Set(SEND_CHANNELS);

export const isInvokeChannel = (c: unknown): c is InvokeChannel => typeof c === 'string' && invokeSet.has(c);
export const isSendChannel = (c: unknown): c is SendChannel => typeof c === 'string' && sendSet.has(c);

/** zod issues → one readable sentence naming the field. */
export function describeIssues(error: z.ZodError): AppError {
  const first = error.issues[0];
  const path = first?.path.join('.') ?? '';
  const message = first ? (path ? `${path}: ${first.message}` : first.message) : 'Invalid input';
  return path ? { code: 'invalid-payload', message, field: path } : { code: 'invalid-payload', message };
}

export interface Dispatcher {
  invoke(channel: unknown, payload: unknown, sender: SenderInfo): Promise<Result<unknown>>;
  send(channel: unknown, payload: unknown, sender: SenderInfo): Result<void>;
}

export interface DispatcherOptions {
  /** Told about unexpected errors (never payloads: they may hold secrets). */
  onInternalError?: (channel: string, error: unknown) => void;
}

export function createDispatcher(
  invoke: InvokeHandlers,
  send: SendHandlers,
  options: DispatcherOptions = {},
): Dispatcher {
  const toError = (channel: string, e: unknown): AppError => {
    const d = describeError(e);
    if (d.code !== 'internal') return d;
    // A bug: the log gets the error; the page gets the words, never the raw text.
    options.onInternalError?.(channel, e);
    return { code: d.code, message: d.message };
  };

  return {
    async invoke(channel, payload, sender) {
      if (!isInvokeChannel(channel))
        return { ok: false, error: { code: 'unknown-channel', message: 'Unknown request' } };
      if (!sender.trusted)
        return { ok: false, error: { code: 'untrusted-sender', message: 'Request from an untrusted page refused' } };
      const parsed = invokeSchemas[channel].safeParse(payload ?? {});
      if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
      try {
        const handler = invoke[channel] as (req: unknown, s: SenderInfo) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data, sender) };
      } catch (e) {
        return { ok: false, error: toError(channel, e) };
      }
    },
    send(channel, payload, sender) {
      if (!isSendChannel(channel)) return { ok: false, error: { code: 'unknown-channel', message: 'Unknown message' } };
      if (!sender.trusted)
        return { ok: false, error: { code: 'untrusted-sender', message: 'Message from an untrusted page refused' } };
      const parsed = sendSchemas[channel].safeParse(payload ?? {});
      if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
      try {
        (send[channel] as (p: unknown, s: SenderInfo) => void)(parsed.data, sender);
        return { ok: true, value: undefined };
      } catch (e) {
        return { ok: false, error: toError(channel, e) };
      }
    },
  };
}
