import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authorizeUrl, pageText, startTestSandbox, type TestSandbox } from './helpers';

let ts: TestSandbox;
afterEach(async () => {
  await ts.sb.close();
});

/** Fetch the consent page and post the decision, returning the redirect Location. */
async function consent(
  t: TestSandbox,
  decision: 'allow' | 'deny',
  params: Record<string, string | undefined> = {},
): Promise<URL> {
  const page = await fetch(authorizeUrl(t.sb, params));
  expect(page.status).toBe(200);
  const html = await page.text();
  const id = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  expect(id).toBeDefined();
  const r = await fetch(`${t.sb.url}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent: id ?? '', decision }).toString(),
    redirect: 'manual',
  });
  expect(r.status).toBe(302);
  return new URL(r.headers.get('location') ?? '');
}

async function codeFor(t: TestSandbox, scope = 'media_write'): Promise<string> {
  const loc = await consent(t, 'allow', { scope });
  return loc.searchParams.get('code') ?? '';
}

const exchange = (t: TestSandbox, code: string, extra: Record<string, string> = {}) =>
  t.token({
    grant_type: 'authorization_code',
    code,
    client_id: t.sb.clientId,
    client_secret: t.sb.clientSecret,
    redirect_uri: t.sb.redirectUri,
    ...extra,
  });

describe('GET /oauth2/authorize', () => {
  beforeEach(async () => {
    ts = await startTestSandbox();
  });

  it('renders a consent page naming the client and the scopes in words, with an Allow/Deny form', async () => {
    const r = await fetch(authorizeUrl(ts.sb, { scope: 'media_write mood_read manual_write' }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    const html = await r.text();
    const text = pageText(html);
    expect(text).toContain('Exist Tray (sandbox)');
    expect(text).toContain('Read your profile details: (not including email address)');
    expect(text).toContain('Write Media group: Create new attributes and write data to attributes in the group');
    expect(text).toContain('Read Mood group:');
    expect(text).toContain('Write manual attributes:');
    expect(html).toMatch(/<form method="post" action="\/oauth2\/authorize">/);
    expect(html).toMatch(/<button type="submit" name="decision" value="allow"/);
    expect(html).toMatch(/<button type="submit" name="decision" value="deny"/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/prefers-color-scheme:\s*dark/);
  });

  it('Allow redirects to the redirect URI with a code and the echoed state', async () => {
    const loc = await consent(ts, 'allow', { state: 'abc 123' });
    expect(`${loc.origin}${loc.pathname}`).toBe('http://localhost:8000/');
    expect(loc.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(loc.searchParams.get('state')).toBe('abc 123');
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const loc = await consent(ts, 'deny');
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('st4te');
    expect(loc.searchParams.get('code')).toBeNull();
  });

  it('a consent form answers once only', async () => {
    const html = await (await fetch(authorizeUrl(ts.sb))).text();
    const id = /name="consent" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = () =>
      fetch(`${ts.sb.url}/oauth2/authorize`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `consent=${id}&decision=allow`,
        redirect: 'manual',
      });
    expect((await post()).status).toBe(302);
    const again = await post();
    expect(again.status).toBe(400);
    expect(pageText(await again.text())).toMatch(/expired or was already answered/);
  });

  it('unknown client_id or a redirect URI that is not exactly the registered one gets an error page, not a redirect', async () => {
    for (const params of [
      { client_id: 'nope' },
      { client_id: undefined },
      { redirect_uri: 'http://localhost:8000' },
      { redirect_uri: 'http://localhost:8001/' },
      { redirect_uri: 'http://127.0.0.1:8000/' },
      { redirect_uri: undefined },
    ]) {
      const r = await fetch(authorizeUrl(ts.sb, params), { redirect: 'manual' });
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('bad response_type and scopes redirect back with the RFC 6749 error and state', async () => {
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ response_type: undefined }, 'invalid_request'],
      [{ scope: 'media_write bogus_write' }, 'invalid_scope'],
      [{ scope: 'media_write,media_read' }, 'invalid_scope'],
      [{ scope: '' }, 'invalid_scope'],
    ];
    for (const [params, error] of cases) {
      const r = await fetch(authorizeUrl(ts.sb, params), { redirect: 'manual' });
      expect(r.status, JSON.stringify(params)).toBe(302);
      const loc = new URL(r.headers.get('location') ?? '');
      expect(loc.searchParams.get('error')).toBe(error);
      expect(loc.searchParams.get('state')).toBe('st4te');
    }
  });

  it('accepts + and %20 as scope separators', async () => {
    const plus = `${ts.sb.url}/oauth2/authorize?client_id=${ts.sb.clientId}&response_type=code&redirect_uri=${encodeURIComponent(ts.sb.redirectUri)}&scope=media_write+media_read`;
    expect((await fetch(plus)).status).toBe(200);
    expect((await fetch(plus.replace('+', '%20'))).status).toBe(200);
  });
});

describe('autoApprove', () => {
  it('GET /oauth2/authorize redirects straight back with a code', async () => {
    ts = await startTestSandbox({ autoApprove: true });
    const r = await fetch(authorizeUrl(ts.sb), { redirect: 'manual' });
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get('location') ?? '');
    expect(loc.searchParams.get('state')).toBe('st4te');
    const tok = await exchange(ts, loc.searchParams.get('code') ?? '');
    expect(tok.status).toBe(200);
  });
});

describe('POST /oauth2/access_token', () => {
  beforeEach(async () => {
    ts = await startTestSandbox();
  });

  it('exchanges a code for the documented answer, and the token works', async () => {
    const tok = await exchange(ts, await codeFor(ts, 'media_write media_read'));
    expect(tok.status).toBe(200);
    expect(tok.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(tok.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(tok.json.token_type).toBe('Bearer');
    expect(tok.json.expires_in).toBe(31535999);
    expect(tok.json.scope).toBe('media_write media_read');
    expect(tok.json.access_token).toMatch(/^[0-9a-f]{40}$/);
    expect((await ts.get('/api/2/accounts/profile/', tok.json.access_token)).status).toBe(200);
  });

  it('a code is single-use, and replaying it revokes the tokens it issued', async () => {
    const code = await codeFor(ts);
    const first = await exchange(ts, code);
    expect(first.status).toBe(200);
    const second = await exchange(ts, code);
    expect(second.status).toBe(400);
    expect(second.json.error).toBe('invalid_grant');
    expect((await ts.get('/api/2/accounts/profile/', first.json.access_token)).status).toBe(401);
  });

  it('a code expires after codeTtlSeconds', async () => {
    const code = await codeFor(ts);
    ts.clock.t += 301_000;
    const r = await exchange(ts, code);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/expired/) });
  });

  it('redirect_uri must match the one used for the code', async () => {
    const code = await codeFor(ts);
    const wrong = await exchange(ts, code, { redirect_uri: 'http://localhost:8000/other' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe('invalid_grant');
    const missing = await ts.token({
      grant_type: 'authorization_code',
      code,
      client_id: ts.sb.clientId,
      client_secret: ts.sb.clientSecret,
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe('invalid_request');
  });

  it('checks the client: wrong secret, unknown id, missing credentials → 401 invalid_client', async () => {
    const code = await codeFor(ts);
    for (const extra of [{ client_secret: 'wrong' }, { client_id: 'other' }, { client_id: '' }] as Array<
      Record<string, string>
    >) {
      const r = await exchange(ts, code, extra);
      expect(r.status).toBe(401);
      expect(r.json.error).toBe('invalid_client');
      expect(typeof r.json.error_description).toBe('string');
    }
    // The code survived the failed attempts.
    expect((await exchange(ts, code)).status).toBe(200);
  });

  it('accepts HTTP Basic client authentication', async () => {
    const code = await codeFor(ts);
    const basic = Buffer.from(`${ts.sb.clientId}:${ts.sb.clientSecret}`).toString('base64');
    const r = await ts.token(
      { grant_type: 'authorization_code', code, redirect_uri: ts.sb.redirectUri },
      { Authorization: `Basic ${basic}` },
    );
    expect(r.status).toBe(200);
    const bad = Buffer.from(`${ts.sb.clientId}:nope`).toString('base64');
    const r2 = await ts.token(
      { grant_type: 'authorization_code', code: 'x', redirect_uri: ts.sb.redirectUri },
      { Authorization: `Basic ${bad}` },
    );
    expect(r2.status).toBe(401);
    expect(r2.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('invalid_request for a missing code or grant_type, a JSON body or duplicated parameters; unsupported_grant_type otherwise', async () => {
    const creds = { client_id: ts.sb.clientId, client_secret: ts.sb.clientSecret };
    expect(
      (await ts.token({ grant_type: 'authorization_code', redirect_uri: ts.sb.redirectUri, ...creds })).json.error,
    ).toBe('invalid_request');
    expect((await ts.token({ ...creds })).json.error).toBe('invalid_request');
    const pw = await ts.token({ grant_type: 'password', ...creds });
    expect(pw.status).toBe(400);
    expect(pw.json.error).toBe('unsupported_grant_type');
    const json = await fetch(`${ts.sb.url}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x', ...creds }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
    const dup = await fetch(`${ts.sb.url}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${ts.sb.clientId}&client_secret=${ts.sb.clientSecret}`,
    });
    expect(((await dup.json()) as { error: string }).error).toBe('invalid_request');
    expect(
      (await ts.token({ grant_type: 'authorization_code', code: 'unknown', redirect_uri: ts.sb.redirectUri, ...creds }))
        .json.error,
    ).toBe('invalid_grant');
  });

  it('refresh issues a new pair and invalidates the old access AND refresh tokens', async () => {
    const first = (await exchange(ts, await codeFor(ts))).json;
    const creds = { client_id: ts.sb.clientId, client_secret: ts.sb.clientSecret };
    const r = await ts.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, ...creds });
    expect(r.status).toBe(200);
    expect(r.json.token_type).toBe('Bearer');
    expect(r.json.scope).toBe('media_write');
    expect(r.json.access_token).not.toBe(first.access_token);
    expect(r.json.refresh_token).not.toBe(first.refresh_token);
    const old = await ts.get('/api/2/accounts/profile/', first.access_token);
    expect(old.status).toBe(401);
    expect(old.json.detail).toMatch(/revoked/);
    expect((await ts.get('/api/2/accounts/profile/', r.json.access_token)).status).toBe(200);
    const reuse = await ts.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, ...creds });
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
  });

  it('refresh works on an expired access token, and needs the right client', async () => {
    const first = (await exchange(ts, await codeFor(ts))).json;
    ts.sb.admin.expireAllTokens();
    expect((await ts.get('/api/2/accounts/profile/', first.access_token)).status).toBe(401);
    const wrong = await ts.token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: ts.sb.clientId,
      client_secret: 'x',
    });
    expect(wrong.status).toBe(401);
    const r = await ts.token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: ts.sb.clientId,
      client_secret: ts.sb.clientSecret,
    });
    expect(r.status).toBe(200);
    expect((await ts.get('/api/2/accounts/profile/', r.json.access_token)).status).toBe(200);
  });

  it('refresh may narrow the scope but not widen it', async () => {
    const first = (await exchange(ts, await codeFor(ts, 'media_write media_read'))).json;
    const creds = { client_id: ts.sb.clientId, client_secret: ts.sb.clientSecret };
    const wider = await ts.token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      scope: 'mood_write',
      ...creds,
    });
    expect(wider.json.error).toBe('invalid_scope');
    const narrower = await ts.token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      scope: 'media_write',
      ...creds,
    });
    expect(narrower.json.scope).toBe('media_write');
  });

  it('tokens expire after tokenTtlSeconds by the injected clock', async () => {
    await ts.sb.close();
    ts = await startTestSandbox({ tokenTtlSeconds: 60 });
    const t = ts.sb.issueToken(['media_write']);
    expect(t.expires_in).toBe(60);
    ts.clock.t += 59_000;
    expect((await ts.get('/api/2/accounts/profile/', t.access_token)).status).toBe(200);
    ts.clock.t += 1_000;
    const r = await ts.get('/api/2/accounts/profile/', t.access_token);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ detail: 'Token has expired.' });
  });

  it('GET on the token endpoint is 405', async () => {
    expect((await fetch(`${ts.sb.url}/oauth2/access_token`)).status).toBe(405);
  });
});
