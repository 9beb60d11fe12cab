/**
 * Fuzz: random requests at the OAuth callback listener (ephemeral port). Junk — random
 * paths, query strings, methods, and raw malformed HTTP — gets a sensible status, never
 * crashes the listener and never ends the sign-in attempt: afterwards the real callback
 * (with the secret state) still connects.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackListener, type CallbackListener } from '../../src/core/auth/callback-listener';
import { freePort } from '../reliability/harness';
import { pick, prng, randInt, randomString } from './gen';

const SEED = 0xf022_0003;
const STATE = 'fuzz-state-0123456789abcdef';
let listener: CallbackListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those). */
const pct = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');

const KEYS = [
  'code',
  'state',
  'error',
  'error_description',
  'scope',
  'redirect_uri',
  '',
  'state[]',
  'code[]',
  'STATE',
  'x',
];

/** A random query string; the state, if any, is never the real one. */
function randomQuery(rand: () => number): string {
  const parts: string[] = [];
  for (let i = randInt(rand, 0, 5); i > 0; i--) {
    const k = pick(rand, KEYS);
    let v = randomString(rand).slice(0, 300);
    if (k === 'state' && v === STATE) v += 'x';
    const enc = rand() < 0.8 ? pct : (s: string) => [...s].filter((c) => c > ' ' && c < '\u007f' && c !== '#').join('');
    parts.push(rand() < 0.1 ? enc(k) : `${enc(k)}=${enc(v)}`);
    if (rand() < 0.05) parts.push(`state=${STATE.slice(0, randInt(rand, 0, STATE.length - 1))}`);
  }
  return parts.length === 0 && rand() < 0.5 ? '' : `?${parts.join(pick(rand, ['&', '&', ';', '&&']))}`;
}

/** Paths starting with `//` are left to their own test below (a known bug). */
function randomPath(rand: () => number): string {
  const r = rand();
  if (r < 0.6) return '/';
  if (r < 0.7) return pick(rand, ['/favicon.ico', '/callback', '/../', '/%2e%2e/', '/?', '/#frag', '/index.html']);
  let p = '/';
  for (let i = randInt(rand, 1, 3); i > 0; i--) p += `${pct(randomString(rand).slice(0, 40)) || 'seg'}/`;
  return p;
}

/** Raw bytes over TCP: whatever the socket answers first (status line), or '' if it was closed. */
function raw(port: number, data: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    const done = () => resolve(got.split('\r\n')[0] ?? '');
    s.setTimeout(2_000, () => s.destroy());
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', done);
    s.on('close', done);
    s.on('connect', () => {
      s.write(data);
      s.end();
    });
  });
}

describe('fuzz: OAuth callback listener', () => {
  it('answers 500 junk requests sensibly and still accepts the real callback', async () => {
    const rand = prng(SEED);
    const port = await freePort();
    const codes: string[] = [];
    listener = await startCallbackListener({
      redirectUri: `http://localhost:${port}/`,
      expectedState: STATE,
      onCode: async (code) => {
        codes.push(code);
        return { username: 'demo' };
      },
    });
    let settled = false;
    void listener.result.then(() => (settled = true));
    const base = `http://127.0.0.1:${port}`;
    const statuses = new Map<number, number>();
    const problems: string[] = [];

    for (let i = 0; i < 500; i++) {
      const r = rand();
      if (r < 0.8) {
        const path = randomPath(rand);
        const method = rand() < 0.8 ? 'GET' : pick(rand, ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
        const url = `${base}${path}${randomQuery(rand)}`;
        let status: number;
        try {
          const res = await fetch(url, { method, redirect: 'manual' });
          status = res.status;
          const text = await res.text();
          if (/\n\s+at .+:\d+:\d+/.test(text))
            problems.push(`${method} ${url.slice(0, 80)}: a stack trace in the page`);
          if (status === 400 && !text.includes('does not match'))
            problems.push(`${url.slice(0, 80)}: 400 without the explanation`);
        } catch (e) {
          problems.push(`${method} ${url.slice(0, 80)}: ${(e as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // Junk only: wrong or missing state. Never a success, never a server error.
        if (![400, 404, 405].includes(status)) problems.push(`${method} ${url.slice(0, 80)} → ${status}`);
      } else {
        // Malformed HTTP straight onto the socket.
        const junk =
          rand() < 0.5
            ? `${pick(rand, ['GET', 'G\u0000T', 'BREW', ''])} ${randomString(rand).slice(0, 200)} HTTP/${pick(rand, ['1.1', '9.9', 'x'])}\r\n${rand() < 0.5 ? 'Host: x\r\n' : ''}\r\n`
            : Buffer.from(Array.from({ length: randInt(rand, 1, 400) }, () => randInt(rand, 0, 255)));
        const line = await raw(port, junk);
        if (line !== '' && !/^HTTP\/1\.1 (400|404|405|414|431|505)\b/.test(line))
          problems.push(`raw junk answered ${line}`);
      }
      if (problems.length > 15) break;
    }
    expect(problems).toEqual([]);
    expect(settled).toBe(false);
    expect(codes).toEqual([]);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(10);

    // The attempt is still open: the real callback connects.
    const ok = await fetch(`${base}/?code=the-real-code&state=${STATE}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Connected to Exist as demo');
    expect(await listener.result).toEqual({ ok: true, code: 'the-real-code', username: 'demo' });
    expect(codes).toEqual(['the-real-code']);
  }, 30_000);

  // `//x` must be read as a path, not a scheme-relative URL with host `x`.
  it('answers 404 (not 500) to a path starting with //', async () => {
    const port = await freePort();
    listener = await startCallbackListener({ redirectUri: `http://localhost:${port}/`, expectedState: STATE });
    const res = await fetch(`http://127.0.0.1:${port}//x?state=nope`);
    await res.text();
    expect(res.status).toBe(404);
  });

  it('with the right state, a junk error or a missing code ends the attempt with a clear outcome', async () => {
    const rand = prng(SEED + 1);
    for (let i = 0; i < 10; i++) {
      const port = await freePort();
      listener = await startCallbackListener({ redirectUri: `http://localhost:${port}/`, expectedState: STATE });
      const withError = rand() < 0.5;
      const q = withError
        ? `error=${pct(randomString(rand).slice(0, 300) || 'x')}&state=${STATE}`
        : `state=${STATE}&code=`;
      const res = await fetch(`http://127.0.0.1:${port}/?${q}`);
      const text = await res.text();
      expect([200, 400]).toContain(res.status);
      expect(text).toMatch(/<title>Exist Tray — (Not connected|Access not allowed)<\/title>/); // the page says nothing got connected
      const outcome = await listener.result;
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(['access-denied', 'oauth-error', 'missing-code']).toContain(outcome.error.code);
        expect(outcome.error.message.length).toBeGreaterThan(10);
        expect(outcome.error.message.length).toBeLessThan(300);
      }
      await listener.close();
      listener = undefined;
    }
  });
});
