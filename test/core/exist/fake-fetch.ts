/** A scripted fetch for client unit tests: records requests, answers from a queue or a handler. */
import type { FetchLike } from '../../../src/core/ports';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Answer =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | ((req: RecordedRequest, signal: AbortSignal | undefined) => Promise<Response> | Response);

export function jsonResponse(status: number, json: unknown, headers: Record<string, string> = {}): Response {
  return new Response(json === undefined ? null : JSON.stringify(json), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function fakeFetch(answers: Answer[] | ((req: RecordedRequest) => Answer)) {
  const requests: RecordedRequest[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const req: RecordedRequest = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(req);
    const a = Array.isArray(answers) ? answers.shift() : answers(req);
    if (a === undefined) throw new Error(`fakeFetch: no answer scripted for request ${requests.length}`);
    if (typeof a === 'function') return a(req, init?.signal ?? undefined);
    if (a.text !== undefined) return new Response(a.text, { status: a.status, headers: a.headers });
    return jsonResponse(a.status, a.json, a.headers);
  };
  return { fetch: fetchFn, requests };
}

/** A fetch that never answers but honours its AbortSignal (like a hung server). */
export const hangingAnswer: Answer = (_req, signal) =>
  new Promise<Response>((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** A rejection shaped like undici's `fetch failed` with a cause code. */
export function networkFailure(code: string): Answer {
  return () => {
    const cause = Object.assign(new Error(`connect ${code}`), { code });
    throw new TypeError('fetch failed', { cause });
  };
}

export const PROFILE = {
  username: 'demo',
  first_name: 'Demo',
  last_name: 'User',
  avatar: null,
  timezone: 'Europe/London',
  local_time: '2024-05-01T10:00:00',
  imperial_distance: false,
  imperial_weight: false,
  imperial_energy: false,
  imperial_liquid: false,
  imperial_temperature: false,
  trial: false,
  delinquent: false,
};

export const ATTRIBUTE = {
  template: 'pages_read',
  name: 'pages_read',
  label: 'Pages read',
  group: { name: 'media', label: 'Media', priority: 7 },
  service: { name: 'exist_tray', label: 'Exist Tray' },
  active: true,
  priority: 2,
  manual: false,
  value_type: 0,
  value_type_description: 'Integer',
};
