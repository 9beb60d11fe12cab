/**
 * The in-page transport (bundled into bridge.js) driven from Node with the `ws` client:
 * buildApi over it gives the same `window.existTray` the renderer uses, calls made
 * before the socket opens are queued, pushes reach subscribers, and a lost or refused
 * connection turns into `{ok:false}` rather than a hang or a throw.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApi } from '../../src/preload/build-api';
import { createSocketTransport, type SocketLike } from '../../src/host/client/transport';
import type { BrowserHost } from '../../src/host/index';
import { connect, request, startTestHost, type TestHost } from './helpers';

let t: TestHost;
const sessionCookie = () => `${t.host.cookieName}=${t.host.token}`;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => {
  await t.cleanup();
});

function socketFactory(host: BrowserHost, opts: { token?: string } = {}) {
  return (url: string): SocketLike =>
    new WebSocket(url, {
      origin: host.origin,
      headers: { cookie: `${host.cookieName}=${opts.token ?? host.token}` },
    }) as unknown as SocketLike;
}

function ipcUrl(host: BrowserHost, role = 'page'): string {
  const u = new URL('/__host/ipc', host.url);
  u.protocol = 'ws:';
  u.searchParams.set('role', role);
  u.searchParams.set('page', new URL('/popover.html', host.url).href);
  return u.href;
}

describe('socket transport + buildApi', () => {
  it('answers calls made before the socket is open', async () => {
    const s = createSocketTransport({ url: ipcUrl(t.host), createSocket: socketFactory(t.host) });
    const api = buildApi(s.transport);
    const [a, b] = await Promise.all([api.app.getInfo({}), api.app.getInfo({})]);
    expect(a).toMatchObject({ ok: true, value: { name: 'exist-tray', productName: 'Exist Tray', host: 'browser' } });
    expect(b).toEqual(a);
    s.close();
  });

  it('returns the validation error as a Result', async () => {
    const s = createSocketTransport({ url: ipcUrl(t.host), createSocket: socketFactory(t.host) });
    const api = buildApi(s.transport);
    const r = await api.values.increment({ name: 'pages_read', delta: Number.NaN });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    s.close();
  });

  it('delivers pushes to subscribers until they unsubscribe', async () => {
    const s = createSocketTransport({ url: ipcUrl(t.host), createSocket: socketFactory(t.host) });
    const api = buildApi(s.transport);
    const got: unknown[] = [];
    let first!: () => void;
    const firstSeen = new Promise<void>((r) => (first = r));
    const off = api.window.onShowTab((p) => {
      got.push(p);
      first();
    });
    // Make sure the socket is up before the push happens.
    await api.app.getInfo({});
    api.window.openSettings({ tab: 'general' });
    await firstSeen;
    expect(got).toEqual([{ tab: 'general' }]);
    off();
    api.window.openSettings({ tab: 'account' });
    // A later call's answer arrives after the push the host sent before it.
    await api.app.getInfo({});
    expect(got).toEqual([{ tab: 'general' }]);
    expect(t.host.shell.settingsOpened).toEqual(['general', 'account']);
    s.close();
  });

  it('a refused connection gives ipc-failed, not a hang', async () => {
    const s = createSocketTransport({ url: ipcUrl(t.host), createSocket: socketFactory(t.host, { token: 'wrong' }) });
    const api = buildApi(s.transport);
    expect(await api.app.getInfo({})).toMatchObject({ ok: false, error: { code: 'ipc-failed' } });
    s.close();
  });

  it('fails calls in flight when the host goes away', async () => {
    const s = createSocketTransport({ url: ipcUrl(t.host), createSocket: socketFactory(t.host) });
    const api = buildApi(s.transport);
    expect(await api.app.getInfo({})).toMatchObject({ ok: true });
    await t.host.close();
    expect(await api.app.getInfo({})).toMatchObject({ ok: false, error: { code: 'ipc-failed' } });
    s.close();
  });

  it('routes host messages to the desk handler', async () => {
    const seen: unknown[] = [];
    let snap!: () => void;
    const gotSnapshot = new Promise<void>((r) => (snap = r));
    const s = createSocketTransport({
      url: ipcUrl(t.host, 'desk'),
      createSocket: socketFactory(t.host),
      onHostMessage: (m) => {
        seen.push(m);
        if (m.host === 'snapshot') snap();
      },
    });
    s.transport.subscribe('app:notification', () => undefined);
    await gotSnapshot;
    expect(seen[0]).toMatchObject({ host: 'snapshot', snapshot: { pendingCount: 0, notifications: [], opened: [] } });
    expect(await s.command('quit')).toMatchObject({ ok: true });
    s.close();
  });
});

describe('serving pages', () => {
  it('injects the bridge before the module script (for a browser with the session) and sets no cookie', async () => {
    const res = await fetch(new URL('/popover.html', t.host.url), { headers: { cookie: sessionCookie() } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const bridge = html.indexOf('<script src="/__host/bridge.js"></script>');
    const module = html.indexOf('<script type="module"');
    expect(bridge).toBeGreaterThan(-1);
    expect(bridge).toBeLessThan(module);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('serves the desk page with the tray and a CSP', async () => {
    const res = await fetch(t.host.url, { headers: { cookie: sessionCookie() } });
    const html = await res.text();
    expect(html).toContain('aria-label="Exist Tray"');
    expect(html).toContain('role="log"');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('serves the bridge script as JavaScript', async () => {
    const res = await fetch(new URL('/__host/bridge.js', t.host.url));
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('app:get-info');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/.browser-host-build',
      '/%00',
    ]) {
      const res = await fetch(`${t.host.origin}${path}`);
      expect(res.status, path).not.toBe(200);
      expect(await res.text(), path).not.toContain('outside the renderer');
    }
  });

  it('refuses foreign Host headers and non-GET methods', async () => {
    const peer = await connect(t.host);
    expect((await request(peer, { type: 'invoke', id: 1, channel: 'app:get-info' })).result).toMatchObject({
      ok: true,
    });
    peer.close();
    const { request: httpRequest } = await import('node:http');
    const status = (method: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: t.host.port, path: '/', method, headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await status('GET', `evil.example:${t.host.port}`)).toBe(403);
    expect(await status('POST', `127.0.0.1:${t.host.port}`)).toBe(405);
    expect(await status('GET', `127.0.0.1:${t.host.port}`)).toBe(401); // no session: the help page
  });
});
