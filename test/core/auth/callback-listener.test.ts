import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackListener } from '../../../src/core/auth/callback-listener';
import type { CallbackListener } from '../../../src/core/auth/callback-listener';
import { ExistError } from '../../../src/core/exist/errors';
import { AuthFlowError } from '../../../src/core/auth/errors';
import { createFakeClock, freePort, hasIPv6Loopback } from './helpers';

const STATE = 'expected-state-123';
let listener: CallbackListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function start(extra: Partial<Parameters<typeof startCallbackListener>[0]> = {}) {
  const port = await freePort();
  listener = await startCallbackListener({ redirectUri: `http://localhost:${port}/`, expectedState: STATE, ...extra });
  return { port, l: listener, base: `http://127.0.0.1:${port}` };
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(url, init);
  return { status: r.status, text: await r.text(), headers: r.headers };
}

/** Resolves true if the promise is still pending after a few event-loop turns. */
async function stillPending(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return !done;
}

describe('callback listener', () => {
  it('accepts the first valid callback, shows who connected, then closes', async () => {
    const { l, base } = await start({ onCode: async (code) => (code === 'the-code' ? { username: 'demo' } : {}) });
    const page = await get(`${base}/?code=the-code&state=${STATE}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('Connected to Exist as demo — you can close this tab');
    expect(page.text).not.toMatch(/<script|src=|href=/);
    expect(await l.result).toEqual({ ok: true, code: 'the-code', username: 'demo' });
    await l.close();
    // A second callback after completion gets nothing: the listener is gone.
    await expect(fetch(`${base}/?code=again&state=${STATE}`)).rejects.toThrow();
  });

  it('listens on both loopback addresses (IPv6 when the machine has it)', async () => {
    const v6 = await hasIPv6Loopback();
    const { l, port } = await start();
    expect(l.hosts).toContain('127.0.0.1');
    if (v6) {
      expect(l.hosts).toContain('::1');
      await get(`http://[::1]:${port}/?code=c6&state=${STATE}`);
      expect(await l.result).toMatchObject({ ok: true, code: 'c6' });
    } else {
      expect(l.hosts).toEqual(['127.0.0.1']);
    }
  });

  it('a wrong or missing state gets a failure page but does not end the attempt', async () => {
    const { l, base } = await start();
    const wrong = await get(`${base}/?code=evil&state=not-the-state`);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('does not match');
    const none = await get(`${base}/?code=evil`);
    expect(none.status).toBe(400);
    const deniedByStranger = await get(`${base}/?error=access_denied&state=nope`);
    expect(deniedByStranger.status).toBe(400);
    expect(await stillPending(l.result)).toBe(true);
    await get(`${base}/?code=good&state=${STATE}`);
    expect(await l.result).toEqual({ ok: true, code: 'good' });
  });

  it('ignores stray requests: favicon, other paths and other methods', async () => {
    const { l, base } = await start();
    expect((await get(`${base}/favicon.ico`)).status).toBe(404);
    expect((await get(`${base}/other?code=x&state=${STATE}`)).status).toBe(404);
    expect((await get(`${base}/?code=x&state=${STATE}`, { method: 'POST' })).status).toBe(405);
    expect(await stillPending(l.result)).toBe(true);
    await get(`${base}/?code=ok&state=${STATE}`);
    expect((await l.result).ok).toBe(true);
  });

  it('access_denied ends the attempt with a clear failure', async () => {
    const { l, base } = await start();
    const page = await get(`${base}/?error=access_denied&state=${STATE}`);
    expect(page.text).toContain('You chose not to allow');
    const r = await l.result;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(AuthFlowError);
      expect(r.error.code).toBe('access-denied');
    }
  });

  it('another error code is reported as oauth-error', async () => {
    const { l, base } = await start();
    await get(`${base}/?error=invalid_scope&state=${STATE}`);
    const r = await l.result;
    expect(r.ok ? null : r.error.code).toBe('oauth-error');
    // Words that say what to do (core/errors/oauth.ts); the code itself is kept for the mapper's detail.
    expect(r.ok ? '' : r.error.message).toMatch(/did not accept the permissions/);
    expect(r.ok ? '' : r.error.message).not.toContain('invalid_scope');
    expect(r.ok ? null : r.error.oauthError).toBe('invalid_scope');
  });

  it('a valid state without a code is a clear failure', async () => {
    const { l, base } = await start();
    const page = await get(`${base}/?state=${STATE}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('without an authorisation code');
    const r = await l.result;
    expect(r.ok ? null : r.error.code).toBe('missing-code');
  });

  it('a failing exchange shows a failure page and ends as exchange-failed with the cause', async () => {
    const cause = new ExistError('oauth', 'Exist refused the token request: invalid_grant.', {
      oauthError: 'invalid_grant',
    });
    const { l, base } = await start({
      onCode: async () => {
        throw cause;
      },
    });
    const page = await get(`${base}/?code=c&state=${STATE}`);
    expect(page.status).toBe(502);
    expect(page.text).toContain('no longer accepts this sign-in');
    expect(page.text).not.toContain('invalid_grant');
    expect(page.text).not.toContain('/oauth2/access_token');
    const r = await l.result;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('exchange-failed');
      expect(r.error.cause).toBe(cause);
    }
  });

  it('an unexpected failure while finishing never shows its raw text, the code or a callback URL', async () => {
    const raw = `EACCES: open /home/u/.config/exist-tray/secrets.json after http://localhost:8000/?code=the-secret-code`;
    const { l, base } = await start({
      onCode: async () => {
        throw new Error(raw);
      },
    });
    const page = await get(`${base}/?code=the-secret-code&state=${STATE}`);
    expect(page.status).toBe(502);
    expect(page.text).toContain('could not finish connecting: Something went wrong inside Exist Tray');
    expect(page.text).not.toMatch(/the-secret-code|secrets\.json|EACCES|localhost:8000/);
    const r = await l.result;
    if (r.ok) throw new Error('expected a failure');
    expect(r.error.code).toBe('exchange-failed');
    expect(r.error.message).not.toMatch(/the-secret-code|secrets\.json|EACCES/);
    // the raw text is kept for the log, as the cause
    expect((r.error.cause as Error).message).toBe(raw);
  });

  it('a second valid callback while the first is being exchanged is told to wait, once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { l, base } = await start({ onCode: async () => (await gate, { username: 'demo' }) });
    const first = get(`${base}/?code=one&state=${STATE}`);
    await new Promise((r) => setTimeout(r, 50));
    const second = await get(`${base}/?code=two&state=${STATE}`);
    expect(second.status).toBe(409);
    release();
    expect((await first).status).toBe(200);
    expect(await l.result).toMatchObject({ ok: true, code: 'one' });
  });

  it('times out after the timeout and frees the port', async () => {
    const fc = createFakeClock();
    const { l, base, port } = await start({ clock: fc.clock, timeoutMs: 5 * 60_000 });
    await fc.advance(4 * 60_000);
    expect(await stillPending(l.result)).toBe(true);
    await fc.advance(60_000);
    const r = await l.result;
    expect(r.ok ? null : r.error.code).toBe('timeout');
    await l.close();
    await expect(fetch(`${base}/?code=late&state=${STATE}`)).rejects.toThrow();
    // The port is free again.
    const s = createServer();
    await new Promise<void>((res, rej) => s.once('error', rej).listen({ host: '127.0.0.1', port }, () => res()));
    await new Promise<void>((res) => s.close(() => res()));
  });

  it('close() and an abort signal cancel the attempt', async () => {
    const a = await start();
    await a.l.close();
    expect(await a.l.result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const ac = new AbortController();
    const b = await start({ signal: ac.signal });
    ac.abort();
    expect(await b.l.result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('a busy port rejects with the clear message naming the redirect URI', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen({ host: '127.0.0.1', port }, () => res()));
    try {
      const e = await startCallbackListener({ redirectUri: `http://localhost:${port}/`, expectedState: STATE }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(AuthFlowError);
      expect((e as AuthFlowError).code).toBe('port-in-use');
      expect((e as AuthFlowError).message).toBe(
        `Port ${port} is in use by another program. Exist sends you back to http://localhost:${port}/ (the redirect URI registered for your client), so it cannot move: close the other program and try again.`,
      );
    } finally {
      await new Promise<void>((res) => blocker.close(() => res()));
    }
  });

  it('refuses a redirect URI that is not on this computer', async () => {
    await expect(
      startCallbackListener({ redirectUri: 'http://example.com:8000/', expectedState: STATE }),
    ).rejects.toThrow(/localhost/);
  });
});
