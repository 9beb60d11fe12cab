/**
 * The Exist client's transport: one HTTP exchange with a timeout, the mapping of every
 * transport failure and HTTP status to an `ExistError`, and the API call (bearer token,
 * one refresh after a 401, metering). Reads, writes and the OAuth token endpoint all go
 * through `exchange`; only API calls go through `api` (and so through the meter).
 *
 * `maybeApplied` rules (only POSTs can apply anything; reads are always `false`):
 *  - timeout, connection reset / closed after connecting, 5xx, and a 2xx whose body
 *    we could not read or parse → `true` (the server may have done the work);
 *  - 4xx (including 401/403/429) and failures that happen before a byte is sent
 *    (connection refused, DNS failure, unreachable host, TLS handshake failure,
 *    connect timeout) → `false`.
 *
 * Messages never contain tokens, codes, secrets or query strings: only the
 * endpoint path (`/api/2/attributes/update/`).
 *
 * Metering: every API request is told to the meter (the rate budget's), so the budget
 * counts what Exist counts. A request answered 401 or 429, or one that provably never left
 * the machine, is settled as not counted. A 429 without `Retry-After` says so in its
 * message (the outbox then probes in minutes, src/core/rate/budget.ts).
 */
import { DEFAULT_EXIST_URL } from '../../shared/domain';
import type { FetchLike } from '../ports';
import type { CallMeter } from '../rate/budget';
import { ExistError } from './errors';
import type { ExistClientOptions } from './types';

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Error codes that prove the request never left this machine. */
const PRE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCodes(e: unknown, depth = 0): string[] {
  if (!e || typeof e !== 'object' || depth > 4) return [];
  const codes: string[] = [];
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof o.code === 'string') codes.push(o.code);
  if (Array.isArray(o.errors)) for (const x of o.errors) codes.push(...errorCodes(x, depth + 1));
  if (o.cause) codes.push(...errorCodes(o.cause, depth + 1));
  return codes;
}

function isTimeout(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as { name?: string }).name === 'TimeoutError';
}

/** Whether a fetch rejection proves nothing reached the server (refused, DNS, TLS, connect timeout). */
function neverSent(e: unknown): boolean {
  if (e instanceof ExistError || isTimeout(e)) return false;
  const codes = errorCodes(e);
  return codes.length > 0 && codes.every((c) => PRE_SEND_CODES.has(c));
}

/** Turns a fetch/body-read rejection into an ExistError (see the module comment for `maybeApplied`). */
function transportError(e: unknown, endpoint: string, isWrite: boolean, timeoutMs: number): ExistError {
  if (e instanceof ExistError) return e;
  if (isTimeout(e)) {
    return new ExistError('timeout', `No answer from Exist within ${Math.round(timeoutMs / 1000)} s (${endpoint}).`, {
      endpoint,
      maybeApplied: isWrite,
    });
  }
  const codes = errorCodes(e);
  const preSend = neverSent(e);
  const what = codes[0] ? ` (${codes[0]})` : '';
  return new ExistError(
    'network',
    preSend
      ? `Could not reach Exist${what}; nothing was sent (${endpoint}).`
      : `The connection to Exist failed${what} (${endpoint}).`,
    { endpoint, maybeApplied: isWrite && !preSend },
  );
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

function shortServerMessage(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const o = body as Record<string, unknown>;
  const m = [o.detail, o.error_description, o.message, o.error].find((x) => typeof x === 'string');
  if (typeof m !== 'string') return '';
  const clean = m.replace(/\s+/g, ' ').trim();
  return clean.length > 160 ? `${clean.slice(0, 157)}...` : clean;
}

export function statusError(
  status: number,
  endpoint: string,
  isWrite: boolean,
  body: unknown,
  headers: Headers,
): ExistError {
  const server = shortServerMessage(body);
  const suffix = server ? `: ${server}` : '';
  if (status === 401) {
    return new ExistError('unauthorised', `Exist refused the access token (${endpoint})${suffix}.`, {
      status,
      endpoint,
    });
  }
  if (status === 403) {
    return new ExistError('forbidden', `The token lacks a scope for ${endpoint}${suffix}.`, { status, endpoint });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    return new ExistError(
      'rate-limited',
      `Exist's rate limit was reached (${endpoint})${retryAfterMs !== undefined ? `; retry in ${Math.ceil(retryAfterMs / 1000)} s` : ''}.`,
      retryAfterMs !== undefined ? { status, endpoint, retryAfterMs } : { status, endpoint },
    );
  }
  if (status === 404) return new ExistError('not-found', `Not found: ${endpoint}${suffix}.`, { status, endpoint });
  if (status >= 500) {
    return new ExistError('server', `Exist had a server error (HTTP ${status}, ${endpoint}).`, {
      status,
      endpoint,
      maybeApplied: isWrite,
    });
  }
  if (status >= 400) {
    return new ExistError('bad-request', `Exist rejected the request (HTTP ${status}, ${endpoint})${suffix}.`, {
      status,
      endpoint,
    });
  }
  return new ExistError('bad-response', `Unexpected HTTP ${status} from ${endpoint}.`, {
    status,
    endpoint,
    maybeApplied: isWrite,
  });
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export function buildQuery(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** What the rest of the client needs from the transport. */
export interface Transport {
  /** The normalised base URL (origin + path prefix, no trailing slash). */
  readonly base: string;
  /** One HTTP exchange with timeout; returns status, headers and parsed JSON (or throws ExistError). */
  exchange(
    method: 'GET' | 'POST',
    endpoint: string,
    query: string,
    headers: Record<string, string>,
    body: string | undefined,
    onNotSent?: () => void,
  ): Promise<Exchanged>;
  /** An authenticated, metered call to `/api/2/<path>`; a non-2xx or non-JSON answer throws. */
  api(method: 'GET' | 'POST', path: string, query?: Query, body?: unknown): Promise<{ status: number; json: unknown }>;
}

export interface Exchanged {
  status: number;
  headers: Headers;
  json: unknown;
  jsonOk: boolean;
}

export function createTransport(options: ExistClientOptions): Transport {
  const base = normaliseBase(options.baseUrl ?? DEFAULT_EXIST_URL);
  const doFetch: FetchLike = options.fetch ?? ((...a) => fetch(...a));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = options.auth;
  const meterOf = (): CallMeter | null | undefined =>
    typeof options.meter === 'function' ? options.meter() : options.meter;

  const exchange: Transport['exchange'] = async (method, endpoint, query, headers, body, onNotSent) => {
    const isWrite = method === 'POST';
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await doFetch(`${base}${endpoint}${query}`, {
        method,
        headers: { Accept: 'application/json', ...headers },
        body,
        signal,
        redirect: 'error',
      });
    } catch (e) {
      if (neverSent(e)) onNotSent?.();
      throw transportError(e, endpoint, isWrite, timeoutMs);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      // Headers arrived, so the server processed the request: a lost body is "maybe applied".
      const err = transportError(e, endpoint, isWrite, timeoutMs);
      throw new ExistError(err.kind, err.message, { ...err.details, status: res.status, maybeApplied: isWrite });
    }
    let json: unknown = undefined;
    let jsonOk = false;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
        jsonOk = true;
      } catch {
        jsonOk = false;
      }
    }
    return { status: res.status, headers: res.headers, json, jsonOk };
  };

  async function api(
    method: 'GET' | 'POST',
    path: string,
    query: Query = {},
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const endpoint = `/api/2/${path}`;
    const isWrite = method === 'POST';
    if (!auth) throw new ExistError('unauthorised', `Not connected to Exist (${endpoint}).`, { endpoint });
    const q = buildQuery(query);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const ct: Record<string, string> = payload === undefined ? {} : { 'Content-Type': 'application/json' };
    let token = await auth.getAccessToken();
    for (let attempt = 0; ; attempt++) {
      const metered = meterOf()?.onRequest();
      const r = await exchange(method, endpoint, q, { ...ct, Authorization: `Bearer ${token}` }, payload, () =>
        metered?.settle(false),
      );
      // Exist authenticates, then throttles: neither a 401 nor a 429 is counted against the hour.
      metered?.settle(r.status !== 401 && r.status !== 429);
      if (r.status === 401 && attempt === 0) {
        // Exist refused the call (401), so nothing was applied whatever the refresh does.
        try {
          token = await auth.refreshAfterUnauthorised(token);
        } catch (e) {
          if (e instanceof ExistError && e.maybeApplied) {
            throw new ExistError(e.kind, e.message, { ...e.details, maybeApplied: false });
          }
          throw e;
        }
        continue;
      }
      if (r.status < 200 || r.status >= 300) throw statusError(r.status, endpoint, isWrite, r.json, r.headers);
      if (!r.jsonOk) {
        throw new ExistError('bad-response', `Exist's answer from ${endpoint} was not JSON.`, {
          status: r.status,
          endpoint,
          maybeApplied: isWrite,
        });
      }
      return { status: r.status, json: r.json };
    }
  }

  return { base, exchange, api };
}

function normaliseBase(baseUrl: string): string {
  const u = new URL(baseUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError('The Exist URL must be http(s).');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}
