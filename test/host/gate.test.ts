/**
 * The browser host played by a hostile local process: a plain HTTP/WebSocket client
 * that can reach 127.0.0.1 and set any header it likes, but never saw the terminal's
 * start link. It must get neither the session cookie nor a bridge connection, a start
 * link works once, and command jobs are refused over the bridge without the flag.
 */
import { request as httpRequest } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, request, startTestHost, type TestHost } from './helpers';

let t: TestHost | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET as curl would send it: any Host, any Cookie, no browser rules. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const cookieOf = (a: RawAnswer): string | null => {
  const set = a.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  return first ? first.split(';')[0]! : null;
};

/** Opens the bridge as a forging client: chosen Origin, chosen Cookie. */
function forge(port: number, origin: string, cookie: string | null): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/__host/ipc`, {
      origin,
      headers: cookie ? { cookie } : {},
    });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('the session cookie is only for the start link', () => {
  it('GET / without the link: a page saying how to open the app, and no cookie', async () => {
    t = await startTestHost();
    const res = await get(t.host.port, '/');
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('Open Exist Tray from your terminal');
    expect(res.body).not.toContain('tray-icon');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('the app pages hand out no cookie either', async () => {
    t = await startTestHost();
    for (const path of ['/popover.html', '/settings.html', '/index.html']) {
      const res = await get(t.host.port, path);
      expect(res.headers['set-cookie'], path).toBeUndefined();
      expect(res.status, path).toBe(401);
    }
  });

  it('a process that fetched / and forges the Origin still cannot open the bridge', async () => {
    t = await startTestHost();
    const res = await get(t.host.port, '/');
    expect(await forge(t.host.port, t.host.origin, cookieOf(res))).toBe(403);
    expect(await forge(t.host.port, t.host.origin, null)).toBe(403);
  });

  it('the start link trades its token for an HttpOnly, SameSite=Strict cookie and a clean URL, once', async () => {
    t = await startTestHost();
    const link = new URL(t.host.launchUrl);
    expect(link.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const first = await get(t.host.port, `${link.pathname}${link.search}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = cookieOf(first)!;
    // The cookie is the session: the desk page and the bridge now let this client in.
    const desk = await get(t.host.port, '/', { cookie });
    expect(desk.status).toBe(200);
    expect(desk.body).toContain('aria-label="Exist Tray"');
    expect(await forge(t.host.port, t.host.origin, cookie)).toBe('open');

    // The same link again (from a history file, a screenshot, a shoulder): refused, no cookie.
    const again = await get(t.host.port, `${link.pathname}${link.search}`);
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('already used');
    // A made-up token is no better.
    const guessed = await get(t.host.port, `/?launch=${'A'.repeat(43)}`);
    expect(guessed.status).toBe(403);
    expect(guessed.headers['set-cookie']).toBeUndefined();
  });

  it('the session secret in the query string opens nothing (cookie only)', async () => {
    t = await startTestHost();
    await expect(connect(t.host, { cookie: null, query: { token: t.host.token } })).rejects.toThrow(/403/);
    expect((await get(t.host.port, `/__host/opened?token=${t.host.token}`)).status).toBe(403);
  });

  it('a rebinding page (foreign Host) is refused even with the cookie', async () => {
    t = await startTestHost();
    const cookie = `${t.host.cookieName}=${t.host.token}`;
    expect((await get(t.host.port, '/', { cookie, host: `evil.example:${t.host.port}` })).status).toBe(403);
    await expect(connect(t.host, { headers: { host: `evil.example:${t.host.port}` } })).rejects.toThrow(/403/);
    expect(await forge(t.host.port, `http://evil.example:${t.host.port}`, cookie)).toBe(403);
  });
});

describe('command jobs over the bridge', () => {
  const commandJob = {
    attribute: 'steps',
    source: { kind: 'command', command: 'touch owned' },
    schedule: 'hourly',
    daysBack: 1,
  };

  it('jobs:add of a command source is refused without --allow-command-jobs', async () => {
    t = await startTestHost();
    const peer = await connect(t.host);
    const answer = await request(peer, { type: 'invoke', id: 1, channel: 'jobs:add', payload: commandJob });
    expect(answer.result).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(JSON.stringify(answer.result)).toContain('--allow-command-jobs');
    // Other sources are not affected: this one reaches the jobs service (which wants the attribute owned).
    const url = await request(peer, {
      type: 'invoke',
      id: 2,
      channel: 'jobs:add',
      payload: { ...commandJob, source: { kind: 'url', url: 'https://example.test/steps' } },
    });
    expect(url.result).toMatchObject({ ok: false, error: { code: 'not-owned' } });
    peer.close();
  });

  it('with --allow-command-jobs the same request reaches the jobs service', async () => {
    t = await startTestHost({ allowCommandJobs: true });
    const peer = await connect(t.host);
    const answer = await request(peer, { type: 'invoke', id: 1, channel: 'jobs:add', payload: commandJob });
    expect(answer.result).toMatchObject({ ok: false, error: { code: 'not-owned' } });
    peer.close();
  });

  it('jobs:run of a command job already on disk (added by the CLI) is refused too', async () => {
    // The jobs file as `exist-tray jobs add --command` leaves it, before the host starts.
    const seeded = await startTestHost();
    const dataDir = join(seeded.dir, 'data');
    await seeded.host.close();
    await mkdir(dataDir, { recursive: true });
    await writeFile(
      join(dataDir, 'jobs.json'),
      JSON.stringify({
        version: 1,
        nextId: 2,
        jobs: [
          {
            id: 'j1',
            ...commandJob,
            createdAt: 0,
            nextRunAt: null,
            lastRunAt: null,
            failingSince: null,
            lastSent: {},
            runs: [],
          },
        ],
      }),
    );
    t = await startTestHost({ dataDir });
    const peer = await connect(t.host);
    const list = await request(peer, { type: 'invoke', id: 1, channel: 'jobs:list', payload: {} });
    expect(list.result).toMatchObject({ ok: true, value: [{ id: 'j1', source: { kind: 'command' } }] });
    const run = await request(peer, { type: 'invoke', id: 2, channel: 'jobs:run', payload: { id: 'j1' } });
    expect(run.result).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    peer.close();
    await seeded.cleanup();
  });
});
