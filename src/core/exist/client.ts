/**
 * Typed Exist API client over an injectable `fetch`. Every request has a timeout,
 * every failure is an `ExistError` with a `kind` callers branch on and a
 * `maybeApplied` flag the outbox uses to avoid double increments.
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
 * Every API request goes through `meter` (the rate budget's), so the budget counts what
 * Exist counts: reads, acquire, owned, templates, profile and writes. A request answered
 * 401 or 429, or one that provably never left the machine, is settled as not counted.
 * Token requests are OAuth, not API requests of a user token, and are not metered.
 *
 * A 429 without `Retry-After` says so in its message: Exist documents that calls then
 * fail "until the window resets", and the outbox probes in minutes rather than pausing
 * an hour (src/core/rate/budget.ts).
 */
import { z } from 'zod';
import { DEFAULT_EXIST_URL, MAX_OBJECTS_PER_CALL } from '../../shared/domain';
import type { Attribute, AttributeTemplate, IsoDate, Profile } from '../../shared/domain';
import type { FetchLike } from '../ports';
import type { CallMeter } from '../rate/budget';
import { ExistError } from './errors';
import {
  attributeSchema,
  incrementSuccessSchema,
  issuePath,
  oauthErrorSchema,
  pageSchema,
  profileSchema,
  templateSchema,
  toAttribute,
  toTemplate,
  tokenResponseSchema,
  valueSchema,
  writeAnswerSchema,
} from './schemas';
import type { Page, TokenResponse } from './schemas';
import { averageSchema, toAverage, type AttributeAverage } from '../averages/schema';

export type { Page, TokenResponse } from './schemas';

/** Where the client gets its bearer token; the token manager implements it. */
export interface TokenProvider {
  getAccessToken(): Promise<string>;
  /**
   * Called once after a 401 with the token that was refused. Must be single-flight:
   * concurrent callers share one refresh. Resolves to the token to retry with, or
   * rejects (the client passes the rejection on).
   */
  refreshAfterUnauthorised(staleToken: string): Promise<string>;
}

/** A provider for a fixed token (connect flow, personal tokens): a 401 is final. */
export function staticTokenProvider(token: string): TokenProvider {
  return {
    getAccessToken: async () => token,
    refreshAfterUnauthorised: async () => {
      throw new ExistError('unauthorised', 'Exist refused the access token.', { status: 401 });
    },
  };
}

export interface ExistClientOptions {
  /** Scheme + host (+ optional path prefix); API under `/api/2/`, OAuth under `/oauth2/`. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Per request, including reading the body. Default 15 s. */
  timeoutMs?: number;
  /** Needed for API calls; OAuth calls work without it. */
  auth?: TokenProvider;
  /** Told about every API request sent (the rate budget's meter); see the module comment. */
  meter?: CallMeter | (() => CallMeter | null | undefined);
}

export interface ListFilters {
  groups?: string[];
  attributes?: string[];
  excludeCustom?: boolean;
  manual?: boolean;
  includeInactive?: boolean;
  includeLowPriority?: boolean;
  page?: number;
  /** Page size; Exist's maximum is 100. */
  limit?: number;
}

export interface AttributeListFilters extends ListFilters {
  owned?: boolean;
}

export interface WithValuesOptions {
  /** 1–31; default 1. */
  days?: number;
  dateMax?: IsoDate;
  groups?: string[];
  attributes?: string[];
  templates?: string[];
  manual?: boolean;
  page?: number;
  limit?: number;
}

export interface ValuesOptions {
  /** 1–100. */
  limit?: number;
  page?: number;
  dateMax?: IsoDate;
}

export interface AveragesOptions {
  attributes?: string[];
  groups?: string[];
  dateMin?: IsoDate;
  dateMax?: IsoDate;
  includeHistorical?: boolean;
  page?: number;
  limit?: number;
}

export interface AttributeValue {
  date: IsoDate;
  value: number | string | null;
}

export type AcquireItem = ({ template: string } | { name: string }) & { manual?: boolean };
export interface ReleaseItem {
  name: string;
}
export type CreateItem =
  { template: string; manual?: boolean } | { label: string; group: string; value_type: number; manual?: boolean };
export interface UpdateItem {
  name: string;
  date: IsoDate;
  value: number | string;
}
export interface IncrementItem {
  name: string;
  value: number;
  date?: IsoDate;
}

/** The answer of a write endpoint: 200 when every object succeeded, 202 when some failed. */
export interface WriteResult<T> {
  status: 200 | 202;
  /** The objects as Exist echoed them (extra fields such as `current` kept). */
  success: Array<T & Record<string, unknown>>;
  failed: Array<T & { error_code: string; error: string }>;
}

export type IncrementResult = WriteResult<IncrementItem> & {
  success: Array<IncrementItem & { current?: number | null } & Record<string, unknown>>;
};

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface ExistClient {
  readonly baseUrl: string;
  /** Same base URL, fetch and timeout, another token source. */
  withAuth(auth: TokenProvider): ExistClient;

  getProfile(): Promise<Profile>;
  getTemplates(opts?: {
    groups?: string[];
    includeLowPriority?: boolean;
    page?: number;
    limit?: number;
  }): Promise<Page<AttributeTemplate>>;
  listOwned(filters?: ListFilters): Promise<Page<Attribute>>;
  listAttributes(filters?: AttributeListFilters): Promise<Page<Attribute>>;
  withValues(opts?: WithValuesOptions): Promise<Page<Attribute>>;
  getValues(name: string, opts?: ValuesOptions): Promise<Page<AttributeValue>>;
  /** `GET /api/2/averages/`: the latest weekly averages (needs a read scope; features' averages module). */
  getAverages(opts?: AveragesOptions): Promise<Page<AttributeAverage>>;
  listAllAverages(opts?: Omit<AveragesOptions, 'page'>): Promise<AttributeAverage[]>;
  /** Every page of templates (capped, see `paginate`). */
  listAllTemplates(opts?: { groups?: string[]; includeLowPriority?: boolean }): Promise<AttributeTemplate[]>;
  listAllOwned(filters?: Omit<ListFilters, 'page'>): Promise<Attribute[]>;
  listAllAttributes(filters?: Omit<AttributeListFilters, 'page'>): Promise<Attribute[]>;

  acquire(items: AcquireItem[], opts?: { successObjects?: boolean }): Promise<WriteResult<AcquireItem>>;
  release(items: ReleaseItem[]): Promise<WriteResult<ReleaseItem>>;
  create(items: CreateItem[], opts?: { successObjects?: boolean }): Promise<WriteResult<CreateItem>>;
  update(items: UpdateItem[]): Promise<WriteResult<UpdateItem>>;
  increment(items: IncrementItem[]): Promise<IncrementResult>;

  exchangeCode(args: OAuthClientCredentials & { code: string; redirectUri: string }): Promise<TokenResponse>;
  refreshTokens(args: OAuthClientCredentials & { refreshToken: string }): Promise<TokenResponse>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Pages followed by `paginate` before it gives up (100 × 100 items is far beyond a real account). */
export const DEFAULT_MAX_PAGES = 100;

/**
 * Collects every page, asking for page 1, 2, … while the answer says there is a
 * next one. Throws `bad-response` past `maxPages` rather than silently truncating.
 */
export async function paginate<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
  opts: { maxPages?: number; endpoint?: string } = {},
): Promise<T[]> {
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const out: T[] = [];
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      throw new ExistError('bad-response', `More than ${maxPages} pages of results; stopped.`, {
        endpoint: opts.endpoint,
      });
    }
    const p = await fetchPage(page);
    out.push(...p.results);
    if (!p.hasNext || p.results.length === 0) return out;
  }
}

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

function statusError(status: number, endpoint: string, isWrite: boolean, body: unknown, headers: Headers): ExistError {
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

function parseWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  endpoint: string,
  isWrite: boolean,
  status: number,
): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue ? issuePath(issue.path) : '(root)';
  const what = issue ? issue.message : 'invalid';
  throw new ExistError('bad-response', `Unexpected answer from ${endpoint}: ${where}: ${what}.`, {
    status,
    endpoint,
    maybeApplied: isWrite,
  });
}

type Query = Record<string, string | number | boolean | string[] | undefined>;

function buildQuery(q: Query): string {
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

function checkBatch(items: readonly unknown[], endpoint: string): void {
  if (!Array.isArray(items)) throw new TypeError(`${endpoint} takes an array of objects.`);
  if (items.length > MAX_OBJECTS_PER_CALL) {
    throw new RangeError(
      `${endpoint} takes at most ${MAX_OBJECTS_PER_CALL} objects per call; got ${items.length}. Split the batch.`,
    );
  }
}

function checkRange(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}; got ${v}.`);
}

function normaliseBase(baseUrl: string): string {
  const u = new URL(baseUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError('The Exist URL must be http(s).');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** Creates a client. Without `auth`, only the OAuth methods work (API calls fail as `unauthorised`). */
export function createExistClient(options: ExistClientOptions = {}): ExistClient {
  const base = normaliseBase(options.baseUrl ?? DEFAULT_EXIST_URL);
  const doFetch: FetchLike = options.fetch ?? ((...a) => fetch(...a));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = options.auth;
  const meterOf = (): CallMeter | null | undefined =>
    typeof options.meter === 'function' ? options.meter() : options.meter;

  /** One HTTP exchange with timeout; returns status, headers and parsed JSON (or throws ExistError). */
  async function exchange(
    method: 'GET' | 'POST',
    endpoint: string,
    query: string,
    headers: Record<string, string>,
    body: string | undefined,
    onNotSent?: () => void,
  ): Promise<{ status: number; headers: Headers; json: unknown; jsonOk: boolean }> {
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
  }

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

  async function getPage<S extends z.ZodType, T>(
    path: string,
    query: Query,
    item: S,
    map: (x: z.output<S>) => T,
  ): Promise<Page<T>> {
    const r = await api('GET', path, query);
    const p = parseWith(pageSchema(item), r.json, `/api/2/${path}`, false, r.status);
    return {
      count: p.count,
      hasNext: p.next != null && p.next !== '',
      hasPrevious: p.previous != null && p.previous !== '',
      results: (p.results as z.output<S>[]).map(map),
    };
  }

  async function write<T>(path: string, items: T[], query: Query = {}): Promise<WriteResult<T>> {
    const endpoint = `/api/2/${path}`;
    checkBatch(items, endpoint);
    if (items.length === 0) return { status: 200, success: [], failed: [] };
    const r = await api('POST', path, query, items);
    const a = parseWith(writeAnswerSchema, r.json, endpoint, true, r.status);
    return {
      status: r.status === 202 ? 202 : 200,
      success: a.success as Array<T & Record<string, unknown>>,
      failed: a.failed.map((f) => ({ ...f, error: f.error ?? f.error_code })) as Array<
        T & { error_code: string; error: string }
      >,
    };
  }

  async function token(form: Record<string, string>): Promise<TokenResponse> {
    const endpoint = '/oauth2/access_token';
    const r = await exchange(
      'POST',
      endpoint,
      '',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      new URLSearchParams(form).toString(),
    );
    if (r.status >= 200 && r.status < 300) {
      if (!r.jsonOk) {
        throw new ExistError('bad-response', `The token endpoint's answer was not JSON.`, {
          status: r.status,
          endpoint,
          maybeApplied: true,
        });
      }
      const t = parseWith(tokenResponseSchema, r.json, endpoint, true, r.status);
      return {
        access_token: t.access_token,
        token_type: t.token_type,
        expires_in: t.expires_in,
        refresh_token: t.refresh_token,
        scope: t.scope,
      };
    }
    const oe = oauthErrorSchema.safeParse(r.json);
    if (oe.success && r.status < 500 && r.status !== 429) {
      // Only the error code: descriptions could in principle echo what we sent.
      throw new ExistError('oauth', `Exist refused the token request: ${oe.data.error.slice(0, 64)}.`, {
        status: r.status,
        endpoint,
        oauthError: oe.data.error,
      });
    }
    throw statusError(r.status, endpoint, true, undefined, r.headers);
  }

  const client: ExistClient = {
    baseUrl: base,
    withAuth: (a) => createExistClient({ ...options, auth: a }),

    async getProfile() {
      const r = await api('GET', 'accounts/profile/');
      const p = parseWith(profileSchema, r.json, '/api/2/accounts/profile/', false, r.status);
      return {
        username: p.username,
        first_name: p.first_name,
        last_name: p.last_name,
        avatar: p.avatar,
        timezone: p.timezone,
        local_time: p.local_time,
        imperial_distance: p.imperial_distance,
        imperial_weight: p.imperial_weight,
        imperial_energy: p.imperial_energy,
        imperial_liquid: p.imperial_liquid,
        imperial_temperature: p.imperial_temperature,
        trial: p.trial,
        delinquent: p.delinquent,
      };
    },

    async getTemplates(opts = {}) {
      checkRange('limit', opts.limit, 1, 100);
      return getPage(
        'attributes/templates/',
        { groups: opts.groups, include_low_priority: opts.includeLowPriority, page: opts.page, limit: opts.limit },
        templateSchema,
        toTemplate,
      );
    },

    async listOwned(f = {}) {
      checkRange('limit', f.limit, 1, 100);
      return getPage('attributes/owned/', listQuery(f), attributeSchema, toAttribute);
    },

    async listAttributes(f = {}) {
      checkRange('limit', f.limit, 1, 100);
      return getPage('attributes/', { ...listQuery(f), owned: f.owned }, attributeSchema, toAttribute);
    },

    async withValues(o = {}) {
      checkRange('days', o.days, 1, 31);
      checkRange('limit', o.limit, 1, 100);
      return getPage(
        'attributes/with-values/',
        {
          days: o.days,
          date_max: o.dateMax,
          groups: o.groups,
          attributes: o.attributes,
          templates: o.templates,
          manual: o.manual,
          page: o.page,
          limit: o.limit,
        },
        attributeSchema,
        toAttribute,
      );
    },

    async getValues(name, o = {}) {
      checkRange('limit', o.limit, 1, 100);
      return getPage(
        'attributes/values/',
        { attribute: name, limit: o.limit, page: o.page, date_max: o.dateMax },
        valueSchema,
        (v) => ({ date: v.date, value: v.value }),
      );
    },

    async getAverages(o = {}) {
      checkRange('limit', o.limit, 1, 100);
      const query = {
        attributes: o.attributes,
        groups: o.groups,
        date_min: o.dateMin,
        date_max: o.dateMax,
        include_historical: o.includeHistorical,
        page: o.page,
        limit: o.limit,
      };
      return getPage('averages/', query, averageSchema, toAverage);
    },
    listAllAverages(o = {}) {
      return paginate((page) => client.getAverages({ ...o, page, limit: o.limit ?? 100 }), {
        endpoint: '/api/2/averages/',
      });
    },

    listAllTemplates(opts = {}) {
      return paginate((page) => client.getTemplates({ ...opts, page, limit: 100 }), {
        endpoint: '/api/2/attributes/templates/',
      });
    },
    listAllOwned(f = {}) {
      return paginate((page) => client.listOwned({ ...f, page, limit: f.limit ?? 100 }), {
        endpoint: '/api/2/attributes/owned/',
      });
    },
    listAllAttributes(f = {}) {
      return paginate((page) => client.listAttributes({ ...f, page, limit: f.limit ?? 100 }), {
        endpoint: '/api/2/attributes/',
      });
    },

    acquire: (items, o = {}) =>
      write('attributes/acquire/', items, { success_objects: o.successObjects ? 1 : undefined }),
    release: (items) => write('attributes/release/', items),
    create: (items, o = {}) =>
      write('attributes/create/', items, { success_objects: o.successObjects ? 1 : undefined }),
    update: (items) => write('attributes/update/', items),
    async increment(items) {
      const r = await write('attributes/increment/', items);
      const success = r.success.map((s, i) => {
        const p = parseWith(incrementSuccessSchema, s, `/api/2/attributes/increment/ success[${i}]`, true, r.status);
        return p.current === undefined ? s : { ...s, current: p.current };
      });
      return { ...r, success };
    },

    exchangeCode: ({ code, clientId, clientSecret, redirectUri }) =>
      token({
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirectUri,
      }),
    refreshTokens: ({ refreshToken, clientId, clientSecret }) =>
      token({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
        client_secret: clientSecret,
      }),
  };
  return client;
}

function listQuery(f: ListFilters): Query {
  return {
    groups: f.groups,
    attributes: f.attributes,
    exclude_custom: f.excludeCustom,
    manual: f.manual,
    include_inactive: f.includeInactive,
    include_low_priority: f.includeLowPriority,
    page: f.page,
    limit: f.limit,
  };
}
