/**
 * Builds the renderer-facing `ExistTrayApi` from the contract's channel lists over
 * any transport. The Electron preload passes an ipcRenderer transport; the browser
 * host passes a WebSocket one; tests pass a fake. Only channels named in the
 * contract become methods, so no caller can reach an arbitrary channel.
 * No electron import here: this file is shared with the browser host's client.
 */
import {
  INVOKE_CHANNELS,
  PUSH_CHANNELS,
  SEND_CHANNELS,
  methodName,
  pushMethodName,
  type ExistTrayApi,
} from '../shared/ipc-contract';
import type { Result } from '../shared/result';

export interface ApiTransport {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  send(channel: string, payload: unknown): void;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function buildApi(transport: ApiTransport): ExistTrayApi {
  const api: Record<string, Record<string, unknown>> = {};
  const ns = (name: string) => (api[name] ??= {});
  for (const channel of INVOKE_CHANNELS) {
    const [n, m] = methodName(channel);
    ns(n)[m] = (request: unknown = {}) =>
      transport.invoke(channel, request).catch((e: unknown) => ({
        ok: false,
        error: { code: 'ipc-failed', message: e instanceof Error ? e.message : 'The app did not answer' },
      }));
  }
  for (const channel of SEND_CHANNELS) {
    const [n, m] = methodName(channel);
    ns(n)[m] = (payload: unknown = {}) => transport.send(channel, payload);
  }
  for (const channel of PUSH_CHANNELS) {
    const [n, m] = pushMethodName(channel);
    ns(n)[m] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return transport.subscribe(channel, listener);
    };
  }
  for (const group of Object.values(api)) Object.freeze(group);
  return Object.freeze(api) as unknown as ExistTrayApi;
}
