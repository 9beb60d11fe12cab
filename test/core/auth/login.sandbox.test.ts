/**
 * The connect flow end to end over real loopback HTTP: authorize URL → sandbox consent
 * (auto-approve and the form's Allow) → callback listener → code exchange → stored account.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index';
import type { Sandbox } from '../../../src/sandbox/index';
import { buildAuthorizeUrl, newState } from '../../../src/core/auth/authorize-url';
import { connectAccount } from '../../../src/core/auth/connect';
import { AuthFlowError } from '../../../src/core/auth/errors';
import { createFileAccountStore } from '../../../src/core/auth/token-store';
import type { AccountStore } from '../../../src/core/auth/token-store';
import { createExistClient, staticTokenProvider } from '../../../src/core/exist/client';
import type { Opener } from '../../../src/core/ports';
import { browse } from './browser';
import type { BrowserVisit } from './browser';
import { freePort } from './helpers';

let dir: string;
let sbx: Sandbox | undefined;
let store: AccountStore;
let redirectUri: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'exist-tray-login-'));
  store = createFileAccountStore(join(dir, 'account.json'));
  redirectUri = `http://localhost:${await freePort()}/`;
});
afterEach(async () => {
  await sbx?.close();
  sbx = undefined;
  await fs.rm(dir, { recursive: true, force: true });
});

/** An Opener that plays the user in the browser, keeping the page it ends on. */
function browserOpener(opts: Parameters<typeof browse>[1] = {}) {
  const visits: Promise<BrowserVisit>[] = [];
  const opened: string[] = [];
  const opener: Opener = {
    openExternal: async (url) => {
      opened.push(url);
      visits.push(browse(url, opts));
    },
  };
  return { opener, visits, opened };
}

async function connect(extra: Partial<Parameters<typeof connectAccount>[0]> = {}) {
  const s = sbx!;
  return connectAccount({
    client: createExistClient({ baseUrl: s.url }),
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    scopes: ['media_write', 'manual_write'],
    store,
    redirectUri,
    ...extra,
  });
}

describe('authorize URL', () => {
  it('carries client_id, redirect_uri, space-joined scopes and a fresh state', () => {
    const a = newState();
    const b = newState();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const u = new URL(
      buildAuthorizeUrl({
        baseUrl: 'http://127.0.0.1:5/',
        clientId: 'cid',
        scopes: ['media_write', 'mood_read'],
        state: a,
      }),
    );
    expect(u.origin + u.pathname).toBe('http://127.0.0.1:5/oauth2/authorize');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: 'http://localhost:8000/',
      scope: 'media_write mood_read',
      state: a,
    });
  });
});

describe('connectAccount against the sandbox', () => {
  it('auto-approve: URL → callback → tokens, scope, expiry and profile stored', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: true });
    const { opener, visits, opened } = browserOpener();
    const seen: string[] = [];
    const acc = await connect({ opener, onAuthorizeUrl: (u) => seen.push(u) });
    expect(seen).toEqual(opened);
    expect(new URL(seen[0]!).searchParams.get('redirect_uri')).toBe(redirectUri);
    const page = await visits[0]!;
    expect(page.text).toContain('Connected to Exist as demo — you can close this tab');
    expect(acc.profile?.username).toBe('demo');
    expect([...acc.scope].sort()).toEqual(['manual_write', 'media_write']);
    expect(acc.expiresAt - acc.obtainedAt).toBe(31535999 * 1000);
    expect(acc.status).toBe('connected');
    expect(acc.baseUrl).toBe(sbx.url);
    expect(await store.load()).toEqual(acc);
    // The stored token works.
    const me = await createExistClient({ baseUrl: sbx.url, auth: staticTokenProvider(acc.accessToken) }).getProfile();
    expect(me.username).toBe('demo');
    // A second callback (replaying the first) reaches nobody.
    await expect(fetch(page.callbackUrl)).rejects.toThrow();
  });

  it('consent form: the user clicks Allow', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: false });
    const { opener, visits } = browserOpener({ decision: 'allow' });
    const acc = await connect({ opener });
    expect((await visits[0]!).status).toBe(200);
    expect((await store.load())!.refreshToken).toBe(acc.refreshToken);
  });

  it('consent form: Deny ends the attempt with access-denied and stores nothing', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: false });
    const { opener, visits } = browserOpener({ decision: 'deny' });
    const e = await connect({ opener }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AuthFlowError);
    expect((e as AuthFlowError).code).toBe('access-denied');
    expect((await visits[0]!).text).toContain('You chose not to allow');
    expect(await store.load()).toBeNull();
  });

  it('a callback with the wrong state is refused and the real one still connects', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: true });
    const visits: BrowserVisit[] = [];
    const opener: Opener = {
      openExternal: async (url) => {
        const forged = new URL(url);
        forged.searchParams.set('state', 'attacker-state');
        visits.push(await browse(forged.toString()));
        visits.push(await browse(url));
      },
    };
    const acc = await connect({ opener });
    expect(visits[0]!.status).toBe(400);
    expect(visits[0]!.text).toContain('does not match');
    expect(visits[1]!.text).toContain('Connected to Exist as demo');
    expect(acc.profile?.username).toBe('demo');
  });

  it('a callback without a code fails clearly and stores nothing', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: true });
    const { opener } = browserOpener({ rewriteCallback: (u) => u.searchParams.delete('code') });
    await expect(connect({ opener })).rejects.toMatchObject({ code: 'missing-code' });
    expect(await store.load()).toBeNull();
  });

  it('a stray favicon request does not end the attempt', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: true });
    let favicon = 0;
    const opener: Opener = {
      openExternal: async (url) => {
        favicon = (await fetch(new URL('/favicon.ico', redirectUri))).status;
        await browse(url);
      },
    };
    await expect(connect({ opener })).resolves.toMatchObject({ status: 'connected' });
    expect(favicon).toBe(404);
  });

  it('a wrong client secret fails the exchange with an oauth error and stores nothing', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: true });
    const { opener, visits } = browserOpener();
    const e = await connect({ opener, clientSecret: 'wrong-secret' }).then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as AuthFlowError).code).toBe('exchange-failed');
    expect((e as AuthFlowError).cause).toMatchObject({ kind: 'oauth', details: { oauthError: 'invalid_client' } });
    expect((e as Error).message).not.toContain('wrong-secret');
    expect((await visits[0]!).status).toBe(502);
    expect(await store.load()).toBeNull();
  });

  it('without an opener (no browser) it still waits, and can be cancelled', async () => {
    sbx = await startSandbox({ redirectUri, autoApprove: true });
    const ac = new AbortController();
    let url = '';
    const p = connect({ signal: ac.signal, onAuthorizeUrl: (u) => (url = u) });
    await new Promise((r) => setTimeout(r, 20));
    expect(url).toContain('/oauth2/authorize?');
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
  });
});
