import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/sandbox/server';
import { startTestSandbox, type TestSandbox } from './helpers';

let ts: TestSandbox;
beforeEach(async () => {
  ts = await startTestSandbox();
  await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }]);
});
afterEach(async () => {
  await ts.sb.close();
});

const pages = () => ts.sb.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values['2024-03-11'];
const inc = (value = 1) =>
  fetch(`${ts.sb.url}/api/2/attributes/increment/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ts.sb.personalToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([{ name: 'pages_read', value }]),
  });

describe('fault injection', () => {
  it('status faults answer the next N matching calls without applying them, with Retry-After when given', async () => {
    ts.sb.admin.failNext(2, { kind: 'status', status: 503, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const r = await inc();
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('7');
    }
    expect(pages()).toBeUndefined();
    expect((await inc()).status).toBe(200);
    expect(pages()).toBe(1);
  });

  it('a custom body is answered as JSON; pathPrefix limits the fault to matching paths', async () => {
    ts.sb.admin.failNext(
      1,
      { kind: 'status', status: 500, body: { oops: true } },
      { pathPrefix: '/api/2/attributes/increment' },
    );
    expect((await ts.get('/api/2/accounts/profile/')).status).toBe(200);
    const r = await inc();
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ oops: true });
    expect((await inc()).status).toBe(200);
  });

  it('a pathPrefix can target the OAuth token endpoint', async () => {
    ts.sb.admin.failNext(1, { kind: 'status', status: 502 }, { pathPrefix: '/oauth2/access_token' });
    expect((await ts.token({ grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(502);
    expect((await ts.token({ grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(401);
  });

  it('drop-before destroys the connection without applying the call', async () => {
    ts.sb.admin.failNext(1, { kind: 'drop-before' });
    await expect(inc()).rejects.toThrow();
    expect(pages()).toBeUndefined();
    const last = ts.sb.admin.getState().calls.at(-1);
    expect(last).toMatchObject({
      path: '/api/2/attributes/increment/',
      status: 0,
      fault: 'drop-before',
      objects: 1,
      token: 'present',
    });
  });

  it('drop-after applies the call, then destroys the connection without answering', async () => {
    ts.sb.admin.failNext(1, { kind: 'drop-after' });
    await expect(inc(4)).rejects.toThrow();
    expect(pages()).toBe(4);
    expect(ts.sb.admin.getState().calls.at(-1)).toMatchObject({ status: 200, fault: 'drop-after' });
  });

  it('hang never answers and does not apply; close() ends it', async () => {
    ts.sb.admin.failNext(1, { kind: 'hang' }, { pathPrefix: '/api/2/attributes/increment' });
    const pending = inc();
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Wait until the server has taken the call, then check a later call is answered meanwhile.
    while (!ts.sb.admin.getState().calls.some((c) => c.fault === 'hang')) await new Promise((r) => setTimeout(r, 10));
    expect((await ts.get('/api/2/accounts/profile/')).status).toBe(200);
    expect(settled).toBe(false);
    expect(pages()).toBeUndefined();
    await ts.sb.close();
    await expect(pending).rejects.toThrow();
  });

  it('clearFaults removes pending faults; failNext rejects nonsense', async () => {
    ts.sb.admin.failNext(5, { kind: 'status', status: 500 });
    ts.sb.admin.clearFaults();
    expect((await inc()).status).toBe(200);
    expect(() => ts.sb.admin.failNext(0, { kind: 'hang' })).toThrow(/count/);
    expect(() => ts.sb.admin.failNext(1, { kind: 'status', status: 42 })).toThrow(/status/);
    expect(() => ts.sb.admin.failNext(1, { kind: 'explode' } as never)).toThrow();
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and a JSON error past the limit, until the fixed window resets', async () => {
    const rl = await startTestSandbox({ rateLimit: 3, rateWindowSeconds: 60 });
    try {
      const t = rl.sb.issueToken(['media_write']);
      const other = rl.sb.issueToken(['media_write']);
      for (let i = 0; i < 3; i++) expect((await rl.get('/api/2/accounts/profile/', t.access_token)).status).toBe(200);
      rl.clock.t += 20_000;
      const r = await rl.get('/api/2/accounts/profile/', t.access_token);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('40');
      expect(r.json.detail).toMatch(/throttled/);
      // Unauthenticated calls and other tokens have their own accounting.
      expect((await rl.get('/api/2/accounts/profile/', other.access_token)).status).toBe(200);
      // A refresh keeps the budget: the limit is per user authorisation.
      const fresh = await rl.token({
        grant_type: 'refresh_token',
        refresh_token: t.refresh_token,
        client_id: rl.sb.clientId,
        client_secret: rl.sb.clientSecret,
      });
      expect((await rl.get('/api/2/accounts/profile/', fresh.json.access_token)).status).toBe(429);
      rl.clock.t += 40_000;
      expect((await rl.get('/api/2/accounts/profile/', fresh.json.access_token)).status).toBe(200);
    } finally {
      await rl.sb.close();
    }
  });
});

describe('admin', () => {
  it('expireAllTokens makes every access token answer 401', async () => {
    const t = ts.sb.issueToken(['media_write']);
    ts.sb.admin.expireAllTokens();
    for (const tok of [t.access_token, ts.sb.personalToken]) {
      const r = await ts.get('/api/2/accounts/profile/', tok);
      expect(r.status).toBe(401);
      expect(r.json.detail).toMatch(/expired/);
    }
  });

  it('getState is a deep copy with the call log', async () => {
    await ts.get('/api/2/accounts/profile/', null);
    const s = ts.sb.admin.getState();
    expect(s.user).toMatchObject({ username: 'demo', timezone: 'Pacific/Kiritimati' });
    expect(s.calls.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/2/accounts/profile/',
      status: 401,
      token: 'absent',
    });
    expect(s.calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/2/attributes/acquire/',
      status: 200,
      objects: 1,
      token: 'present',
      at: ts.clock.t,
    });
    const pr = s.attributes.find((a) => a.name === 'pages_read');
    if (pr === undefined) throw new Error('pages_read missing');
    pr.values['2024-01-01'] = 99;
    expect(
      ts.sb.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values['2024-01-01'],
    ).toBeUndefined();
  });

  it('issueToken rejects unknown scopes', () => {
    expect(() => ts.sb.issueToken(['media_write', 'nope'])).toThrow(/nope/);
  });

  it('the same controls over HTTP under /__sandbox/', async () => {
    const u = ts.sb.url;
    const post = (p: string, body?: unknown) =>
      fetch(`${u}${p}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? '' : JSON.stringify(body),
      });
    expect(
      (
        await post('/__sandbox/faults', {
          count: 1,
          fault: { kind: 'status', status: 418 },
          pathPrefix: '/api/2/attributes/increment',
        })
      ).status,
    ).toBe(200);
    expect((await inc()).status).toBe(418);
    expect((await post('/__sandbox/faults', { count: 3, fault: { kind: 'status', status: 500 } })).status).toBe(200);
    expect((await fetch(`${u}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await inc()).status).toBe(200);
    const bad = await post('/__sandbox/faults', { count: 'x', fault: { kind: 'hang' } });
    expect(bad.status).toBe(400);
    const badJson = await fetch(`${u}/__sandbox/faults`, { method: 'POST', body: '{' });
    expect(badJson.status).toBe(400);
    const state = (await (await fetch(`${u}/__sandbox/state`)).json()) as {
      attributes: Array<{ name: string; values: Record<string, number> }>;
      calls: unknown[];
    };
    expect(state.attributes.find((a) => a.name === 'pages_read')?.values['2024-03-11']).toBe(1);
    // Admin calls are not logged as API calls.
    expect(state.calls.some((c) => (c as { path: string }).path.startsWith('/__sandbox'))).toBe(false);
    const tok = (await (await post('/__sandbox/tokens', { scopes: ['mood_read'] })).json()) as {
      access_token: string;
      scope: string;
    };
    expect(tok.scope).toBe('mood_read');
    expect((await ts.get('/api/2/accounts/profile/', tok.access_token)).status).toBe(200);
    expect((await post('/__sandbox/expire-tokens')).status).toBe(200);
    expect((await ts.get('/api/2/accounts/profile/', tok.access_token)).status).toBe(401);
    expect((await fetch(`${u}/__sandbox/nothing`)).status).toBe(404);
  });

  it('the admin API answers loopback peers only', () => {
    for (const a of ['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['10.0.0.2', '192.168.1.1', '::ffff:10.0.0.1', 'fe80::1', undefined])
      expect(isLoopback(a), String(a)).toBe(false);
  });
});
