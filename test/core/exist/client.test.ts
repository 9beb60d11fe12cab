import { describe, expect, it, vi } from 'vitest';
import { createExistClient, paginate, parseRetryAfter, staticTokenProvider } from '../../../src/core/exist/client';
import type { TokenProvider } from '../../../src/core/exist/client';
import { ExistError } from '../../../src/core/exist/errors';
import { VALUE_TYPES } from '../../../src/shared/domain';
import { ATTRIBUTE, PROFILE, fakeFetch, hangingAnswer, networkFailure } from './fake-fetch';
import type { Answer } from './fake-fetch';

const TOKEN = 'tok_secret_abc123';
const BASE = 'http://127.0.0.1:9/';

function client(answers: Answer[], opts: { auth?: TokenProvider; timeoutMs?: number } = {}) {
  const f = fakeFetch(answers);
  const c = createExistClient({
    baseUrl: BASE,
    fetch: f.fetch,
    timeoutMs: opts.timeoutMs ?? 5_000,
    auth: opts.auth ?? staticTokenProvider(TOKEN),
  });
  return { c, requests: f.requests };
}

async function caught(p: Promise<unknown>): Promise<ExistError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ExistError);
    return e as ExistError;
  }
  throw new Error('expected a rejection');
}

function noSecrets(e: Error, ...secrets: string[]): void {
  for (const s of secrets) expect(e.message).not.toContain(s);
  expect(e.message).not.toContain('?');
}

describe('reading', () => {
  it('gets the profile with a bearer token from the API base and ignores unknown fields', async () => {
    const { c, requests } = client([{ status: 200, json: { ...PROFILE, brand_new_field: { x: 1 } } }]);
    const p = await c.getProfile();
    expect(p.username).toBe('demo');
    expect(p.timezone).toBe('Europe/London');
    expect(p).not.toHaveProperty('brand_new_field');
    expect(requests[0]!.url).toBe('http://127.0.0.1:9/api/2/accounts/profile/');
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]!.method).toBe('GET');
  });

  it('defaults cosmetic profile fields but fails on a missing username with endpoint and field path', async () => {
    const { timezone: _tz, ...noTz } = PROFILE;
    const { c } = client([
      { status: 200, json: { username: 'x', timezone: 'UTC' } },
      { status: 200, json: { ...noTz } },
    ]);
    const p = await c.getProfile();
    expect(p.imperial_weight).toBe(false);
    expect(p.first_name).toBe('');
    const e = await caught(c.getProfile());
    expect(e.kind).toBe('bad-response');
    expect(e.message).toContain('/api/2/accounts/profile/');
    expect(e.message).toContain('timezone');
    expect(e.maybeApplied).toBe(false);
  });

  it('lists owned attributes with filters in the query and normalises objects', async () => {
    const { c, requests } = client([
      { status: 200, json: { count: 1, next: null, previous: null, results: [{ ...ATTRIBUTE, extra: 1 }] } },
    ]);
    const page = await c.listOwned({ groups: ['media', 'mood'], includeInactive: true, limit: 50 });
    expect(page.results[0]!.name).toBe('pages_read');
    expect(page.results[0]!.group.priority).toBe(7);
    expect(page.hasNext).toBe(false);
    const u = new URL(requests[0]!.url);
    expect(u.pathname).toBe('/api/2/attributes/owned/');
    expect(u.searchParams.get('groups')).toBe('media,mood');
    expect(u.searchParams.get('include_inactive')).toBe('true');
    expect(u.searchParams.get('limit')).toBe('50');
  });

  it('reports which result lacks which field', async () => {
    const { name: _n, ...noName } = ATTRIBUTE;
    const { c } = client([
      { status: 200, json: { count: 2, next: null, previous: null, results: [ATTRIBUTE, noName] } },
    ]);
    const e = await caught(c.listAttributes());
    expect(e.kind).toBe('bad-response');
    expect(e.message).toContain('results[1].name');
    expect(e.message).toContain('/api/2/attributes/');
  });

  it('accepts every value type code of the domain and refuses an unknown one, naming the field', async () => {
    const codes = Object.values(VALUE_TYPES);
    const { c } = client([
      {
        status: 200,
        json: {
          count: codes.length,
          next: null,
          previous: null,
          results: codes.map((value_type) => ({ ...ATTRIBUTE, value_type })),
        },
      },
      {
        status: 200,
        json: { count: 1, next: null, previous: null, results: [{ ...ATTRIBUTE, value_type: Math.max(...codes) + 1 }] },
      },
    ]);
    expect((await c.listAttributes()).results.map((a) => a.value_type)).toEqual(codes);
    const e = await caught(c.listAttributes());
    expect(e.kind).toBe('bad-response');
    expect(e.message).toContain('results[0].value_type');
  });

  it('reads templates whose group is a string or an object, values and with-values', async () => {
    const { c, requests } = client([
      {
        status: 200,
        json: {
          count: 2,
          next: null,
          previous: null,
          results: [
            { name: 'steps', group: 'activity', value_type: 0, value_type_description: 'Integer' },
            { name: 'mood', group: { name: 'mood', label: 'Mood', priority: 1 }, value_type: 8 },
          ],
        },
      },
      {
        status: 200,
        json: {
          count: 2,
          next: null,
          previous: null,
          results: [
            { date: '2024-05-01', value: 3 },
            { date: '2024-04-30', value: null },
          ],
        },
      },
      {
        status: 200,
        json: {
          count: 1,
          next: null,
          previous: null,
          results: [{ ...ATTRIBUTE, values: [{ date: '2024-05-01', value: 12 }] }],
        },
      },
    ]);
    const t = await c.getTemplates({ groups: ['activity'], includeLowPriority: true });
    expect(t.results.map((x) => x.group)).toEqual(['activity', 'mood']);
    const v = await c.getValues('pages_read', { limit: 2, dateMax: '2024-05-01' });
    expect(v.results[1]!.value).toBeNull();
    const w = await c.withValues({ days: 7, attributes: ['pages_read'] });
    expect(w.results[0]!.values).toEqual([{ date: '2024-05-01', value: 12 }]);
    expect(new URL(requests[1]!.url).searchParams.get('attribute')).toBe('pages_read');
    expect(new URL(requests[1]!.url).searchParams.get('date_max')).toBe('2024-05-01');
    expect(new URL(requests[2]!.url).searchParams.get('days')).toBe('7');
  });

  it('rejects out-of-range days and limits before sending', async () => {
    const { c, requests } = client([]);
    await expect(c.withValues({ days: 32 })).rejects.toThrow(RangeError);
    await expect(c.getValues('x', { limit: 101 })).rejects.toThrow(RangeError);
    expect(requests).toHaveLength(0);
  });

  it('answers non-JSON with bad-response', async () => {
    const { c } = client([{ status: 200, text: '<html>oops</html>' }]);
    const e = await caught(c.getProfile());
    expect(e.kind).toBe('bad-response');
  });
});

describe('paging', () => {
  it('follows next page by page and stops at the last', async () => {
    const page = (n: number, next: boolean) => ({
      status: 200,
      json: {
        count: 3,
        next: next ? `http://x/?page=${n + 1}&access_token=leak` : null,
        previous: null,
        results: [{ ...ATTRIBUTE, name: `a${n}` }],
      },
    });
    const { c, requests } = client([page(1, true), page(2, true), page(3, false)]);
    const all = await c.listAllOwned();
    expect(all.map((a) => a.name)).toEqual(['a1', 'a2', 'a3']);
    expect(requests.map((r) => new URL(r.url).searchParams.get('page'))).toEqual(['1', '2', '3']);
    // We never follow the server's next URL verbatim.
    expect(requests.every((r) => r.url.startsWith('http://127.0.0.1:9/'))).toBe(true);
  });

  it('gives up past the page cap instead of looping forever', async () => {
    const fetchPage = vi.fn(async () => ({ count: 999, hasNext: true, hasPrevious: true, results: [1] }));
    await expect(paginate(fetchPage, { maxPages: 5 })).rejects.toMatchObject({ kind: 'bad-response' });
    expect(fetchPage).toHaveBeenCalledTimes(5);
  });
});

describe('writing', () => {
  it('posts a JSON array and returns a typed partial result (202)', async () => {
    const { c, requests } = client([
      {
        status: 202,
        json: {
          success: [{ name: 'pages_read', date: '2024-05-01', value: 5 }],
          failed: [
            {
              name: 'mood',
              date: '2024-05-01',
              value: 3,
              error_code: 'unauthorised',
              error: "Attribute 'mood' does not belong to this service",
            },
          ],
        },
      },
    ]);
    const r = await c.update([
      { name: 'pages_read', date: '2024-05-01', value: 5 },
      { name: 'mood', date: '2024-05-01', value: 3 },
    ]);
    expect(r.status).toBe(202);
    expect(r.success).toHaveLength(1);
    expect(r.failed[0]).toMatchObject({ name: 'mood', error_code: 'unauthorised' });
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(requests[0]!.body!)).toHaveLength(2);
    expect(new URL(requests[0]!.url).pathname).toBe('/api/2/attributes/update/');
  });

  it('keeps current on increment successes and treats unknown error codes per item', async () => {
    const { c } = client([
      {
        status: 202,
        json: {
          success: [{ name: 'pages_read', value: 2, current: 27 }],
          failed: [{ name: 'steps', value: 1, error_code: 'something_new' }],
        },
      },
    ]);
    const r = await c.increment([
      { name: 'pages_read', value: 2 },
      { name: 'steps', value: 1 },
    ]);
    expect(r.success[0]!.current).toBe(27);
    expect(r.failed[0]!.error_code).toBe('something_new');
    expect(r.failed[0]!.error).toBe('something_new');
  });

  it('refuses more than 35 objects without calling Exist, and sends nothing for an empty batch', async () => {
    const { c, requests } = client([]);
    const items = Array.from({ length: 36 }, (_, i) => ({
      name: 'pages_read',
      date: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
      value: i,
    }));
    await expect(c.update(items)).rejects.toThrow(/at most 35/);
    await expect(c.increment([])).resolves.toEqual({ status: 200, success: [], failed: [] });
    expect(requests).toHaveLength(0);
  });

  it('sends acquire with template or name, success_objects on request, release and create', async () => {
    const ok = { status: 200, json: { success: [{}], failed: [] } };
    const { c, requests } = client([ok, ok, ok]);
    await c.acquire([{ template: 'pages_read', manual: false }], { successObjects: true });
    await c.release([{ name: 'pages_read' }]);
    await c.create([{ label: 'Time reading', group: 'custom', value_type: 3, manual: true }]);
    expect(new URL(requests[0]!.url).pathname).toBe('/api/2/attributes/acquire/');
    expect(new URL(requests[0]!.url).searchParams.get('success_objects')).toBe('1');
    expect(JSON.parse(requests[0]!.body!)).toEqual([{ template: 'pages_read', manual: false }]);
    expect(new URL(requests[1]!.url).pathname).toBe('/api/2/attributes/release/');
    expect(new URL(requests[2]!.url).pathname).toBe('/api/2/attributes/create/');
  });

  it('a 2xx write answer without the failed list is a bad-response that may have been applied', async () => {
    const { c } = client([{ status: 200, json: { success: [] } }]);
    const e = await caught(c.increment([{ name: 'pages_read', value: 1 }]));
    expect(e.kind).toBe('bad-response');
    expect(e.message).toContain('failed');
    expect(e.maybeApplied).toBe(true);
  });
});

describe('errors', () => {
  it.each([
    [400, 'bad-request', false],
    [403, 'forbidden', false],
    [404, 'not-found', false],
    [422, 'bad-request', false],
    [500, 'server', true],
    [503, 'server', true],
  ] as const)('HTTP %i on a POST is %s (maybeApplied %s)', async (status, kind, maybe) => {
    const { c } = client([{ status, json: { detail: 'nope' } }]);
    const e = await caught(c.increment([{ name: 'pages_read', value: 1 }]));
    expect(e.kind).toBe(kind);
    expect(e.maybeApplied).toBe(maybe);
    expect(e.details.status).toBe(status);
    expect(e.details.endpoint).toBe('/api/2/attributes/increment/');
    noSecrets(e, TOKEN);
  });

  it('a 5xx on a read was not applied', async () => {
    const { c } = client([{ status: 502, text: 'bad gateway' }]);
    const e = await caught(c.getProfile());
    expect(e.kind).toBe('server');
    expect(e.maybeApplied).toBe(false);
  });

  it('429 carries Retry-After in seconds or as an HTTP date, and nothing when absent', async () => {
    const date = new Date(Date.now() + 90_000).toUTCString();
    const { c } = client([
      { status: 429, json: { detail: 'slow down' }, headers: { 'Retry-After': '120' } },
      { status: 429, json: {}, headers: { 'Retry-After': date } },
      { status: 429, json: {} },
    ]);
    const a = await caught(c.getProfile());
    expect(a.kind).toBe('rate-limited');
    expect(a.details.retryAfterMs).toBe(120_000);
    const b = await caught(c.getProfile());
    expect(b.details.retryAfterMs).toBeGreaterThan(60_000);
    expect(b.details.retryAfterMs).toBeLessThanOrEqual(90_000);
    const n = await caught(c.getProfile());
    expect(n.details.retryAfterMs).toBeUndefined();
    expect(n.maybeApplied).toBe(false);
  });

  it('parses Retry-After forms', () => {
    expect(parseRetryAfter('5', 0)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('times out a hung request; a write may have been applied', async () => {
    const { c } = client([hangingAnswer, hangingAnswer], { timeoutMs: 50 });
    const w = await caught(c.increment([{ name: 'pages_read', value: 1 }]));
    expect(w.kind).toBe('timeout');
    expect(w.maybeApplied).toBe(true);
    const r = await caught(c.getProfile());
    expect(r.kind).toBe('timeout');
    expect(r.maybeApplied).toBe(false);
  });

  it('a refused connection was not applied; a reset after sending may have been', async () => {
    const { c } = client([
      networkFailure('ECONNREFUSED'),
      networkFailure('ECONNRESET'),
      networkFailure('UND_ERR_SOCKET'),
    ]);
    const refused = await caught(c.increment([{ name: 'pages_read', value: 1 }]));
    expect(refused.kind).toBe('network');
    expect(refused.maybeApplied).toBe(false);
    const reset = await caught(c.increment([{ name: 'pages_read', value: 1 }]));
    expect(reset.kind).toBe('network');
    expect(reset.maybeApplied).toBe(true);
    const closed = await caught(c.update([{ name: 'pages_read', date: '2024-05-01', value: 1 }]));
    expect(closed.maybeApplied).toBe(true);
  });

  it('without a token provider API calls fail as unauthorised without a request', async () => {
    const f = fakeFetch([]);
    const c = createExistClient({ baseUrl: BASE, fetch: f.fetch });
    await expect(c.getProfile()).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(f.requests).toHaveLength(0);
  });
});

describe('401 handling', () => {
  function provider(fresh = 'tok_new') {
    let current = TOKEN;
    const refresh = vi.fn(async (stale: string) => {
      expect(stale).toBe(TOKEN);
      current = fresh;
      return current;
    });
    const p: TokenProvider = { getAccessToken: async () => current, refreshAfterUnauthorised: refresh };
    return { p, refresh };
  }

  it('refreshes once and retries once with the new token', async () => {
    const { p, refresh } = provider();
    const { c, requests } = client(
      [
        { status: 401, json: { detail: 'expired' } },
        { status: 200, json: PROFILE },
      ],
      { auth: p },
    );
    await expect(c.getProfile()).resolves.toMatchObject({ username: 'demo' });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, 'Bearer tok_new']);
  });

  it('a second 401 is unauthorised, with no third request and no second refresh', async () => {
    const { p, refresh } = provider();
    const { c, requests } = client(
      [
        { status: 401, json: {} },
        { status: 401, json: {} },
      ],
      { auth: p },
    );
    const e = await caught(c.update([{ name: 'pages_read', date: '2024-05-01', value: 1 }]));
    expect(e.kind).toBe('unauthorised');
    expect(e.maybeApplied).toBe(false);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(requests).toHaveLength(2);
    // The retried POST carried the same body.
    expect(requests[1]!.body).toBe(requests[0]!.body);
    noSecrets(e, TOKEN, 'tok_new');
  });

  it('passes a failed refresh on to the caller', async () => {
    const p: TokenProvider = {
      getAccessToken: async () => TOKEN,
      refreshAfterUnauthorised: async () => {
        throw new ExistError('unauthorised', 'reconnect needed');
      },
    };
    const { c, requests } = client([{ status: 401, json: {} }], { auth: p });
    await expect(c.getProfile()).rejects.toThrow('reconnect needed');
    expect(requests).toHaveLength(1);
  });

  it('a write refused with 401 was not applied, even when the refresh itself timed out', async () => {
    const p: TokenProvider = {
      getAccessToken: async () => TOKEN,
      refreshAfterUnauthorised: async () => {
        throw new ExistError('timeout', 'The token endpoint did not answer', { maybeApplied: true });
      },
    };
    const { c } = client([{ status: 401, json: {} }], { auth: p });
    const e = await caught(c.increment([{ name: 'pages_read', value: 1, date: '2024-05-01' }]));
    expect(e.kind).toBe('timeout');
    expect(e.maybeApplied).toBe(false);
  });
});

describe('OAuth token endpoint', () => {
  const TOKENS = {
    access_token: 'a1',
    token_type: 'Bearer',
    expires_in: 31535999,
    refresh_token: 'r1',
    scope: 'media_write manual_write',
  };

  it('exchanges a code with a form-encoded POST to /oauth2/access_token', async () => {
    const f = fakeFetch([{ status: 200, json: { ...TOKENS, extra: true } }]);
    const c = createExistClient({ baseUrl: 'http://127.0.0.1:9', fetch: f.fetch });
    const t = await c.exchangeCode({
      code: 'the-code',
      clientId: 'cid',
      clientSecret: 'csecret',
      redirectUri: 'http://localhost:8000/',
    });
    expect(t).toEqual(TOKENS);
    const req = f.requests[0]!;
    expect(req.url).toBe('http://127.0.0.1:9/oauth2/access_token');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBeUndefined();
    const form = new URLSearchParams(req.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'cid',
      client_secret: 'csecret',
      redirect_uri: 'http://localhost:8000/',
    });
  });

  it('refreshes with grant_type=refresh_token', async () => {
    const f = fakeFetch([{ status: 200, json: TOKENS }]);
    const c = createExistClient({ baseUrl: 'http://127.0.0.1:9', fetch: f.fetch });
    await c.refreshTokens({ refreshToken: 'r0', clientId: 'cid', clientSecret: 'csecret' });
    expect(Object.fromEntries(new URLSearchParams(f.requests[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r0',
      client_id: 'cid',
      client_secret: 'csecret',
    });
  });

  it('turns an OAuth JSON error into kind oauth without echoing secrets', async () => {
    const f = fakeFetch([
      { status: 400, json: { error: 'invalid_grant', error_description: 'refresh token r0 is not valid' } },
      { status: 401, json: { error: 'invalid_client' } },
      { status: 503, text: 'down' },
    ]);
    const c = createExistClient({ baseUrl: 'http://127.0.0.1:9', fetch: f.fetch });
    const e = await caught(c.refreshTokens({ refreshToken: 'r0', clientId: 'cid', clientSecret: 'csecret' }));
    expect(e.kind).toBe('oauth');
    expect(e.details.oauthError).toBe('invalid_grant');
    noSecrets(e, 'r0', 'csecret');
    const e2 = await caught(
      c.exchangeCode({ code: 'c0de', clientId: 'cid', clientSecret: 'csecret', redirectUri: 'http://localhost:8000/' }),
    );
    expect(e2.details.oauthError).toBe('invalid_client');
    noSecrets(e2, 'c0de', 'csecret');
    const e3 = await caught(c.refreshTokens({ refreshToken: 'r0', clientId: 'cid', clientSecret: 'csecret' }));
    expect(e3.kind).toBe('server');
    expect(e3.maybeApplied).toBe(true);
  });

  it('a token answer missing refresh_token is a bad-response naming the field', async () => {
    const { refresh_token: _r, ...rest } = TOKENS;
    const f = fakeFetch([{ status: 200, json: rest }]);
    const c = createExistClient({ baseUrl: 'http://127.0.0.1:9', fetch: f.fetch });
    const e = await caught(c.refreshTokens({ refreshToken: 'r0', clientId: 'cid', clientSecret: 'csecret' }));
    expect(e.kind).toBe('bad-response');
    expect(e.message).toContain('refresh_token');
    noSecrets(e, 'a1', 'r0');
  });
});
