/**
 * The browser host's WebSocket bridge against the real core: who may connect (cookie,
 * Origin, Host), what happens to malformed frames, and that calls go through the same
 * dispatcher (validation) as Electron and pushes reach pages.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, request, startTestHost, type TestHost } from './helpers';

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => {
  await t.cleanup();
});

describe('who may connect', () => {
  it('accepts the session cookie from the host origin', async () => {
    const peer = await connect(t.host);
    const answer = await request(peer, { type: 'invoke', id: 1, channel: 'app:get-info', payload: {} });
    expect(answer).toMatchObject({ id: 1, result: { ok: true, value: { name: 'exist-tray', host: 'browser' } } });
    peer.close();
  });

  it('refuses a connection without the token', async () => {
    await expect(connect(t.host, { cookie: null })).rejects.toThrow(/403/);
  });

  it('refuses a wrong token of the same length', async () => {
    const wrong = t.host.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(connect(t.host, { cookie: `${t.host.cookieName}=${wrong}` })).rejects.toThrow(/403/);
  });

  it('refuses another origin even with the token', async () => {
    await expect(connect(t.host, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(t.host, { origin: `http://127.0.0.1:${t.host.port + 1}` })).rejects.toThrow(/403/);
  });

  it('refuses a connection with no Origin header', async () => {
    await expect(connect(t.host, { origin: null })).rejects.toThrow(/403/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    await expect(connect(t.host, { headers: { host: `evil.example:${t.host.port}` } })).rejects.toThrow(/403/);
  });

  it('accepts localhost as well as 127.0.0.1', async () => {
    const peer = await connect(t.host, {
      origin: `http://localhost:${t.host.port}`,
      headers: { host: `localhost:${t.host.port}` },
    });
    expect((await request(peer, { type: 'invoke', id: 'x', channel: 'app:get-info' })).result).toMatchObject({
      ok: true,
    });
    peer.close();
  });
});

describe('malformed messages', () => {
  it('answers non-JSON with an error and keeps the connection working', async () => {
    const peer = await connect(t.host);
    const bad = peer.next((m) => m.id === null);
    peer.ws.send('this is not json');
    expect(await bad).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad-message' } } });
    const good = await request(peer, { type: 'invoke', id: 2, channel: 'app:get-info', payload: {} });
    expect(good.result).toMatchObject({ ok: true });
    peer.close();
  });

  it('answers an unknown shape with an error naming its id', async () => {
    const peer = await connect(t.host);
    expect(await request(peer, { id: 7, type: 'explode' })).toMatchObject({
      id: 7,
      result: { ok: false, error: { code: 'bad-message' } },
    });
    expect(await request(peer, { id: 8, type: 'invoke', channel: 42 })).toMatchObject({
      id: 8,
      result: { ok: false, error: { code: 'bad-message' } },
    });
    peer.close();
  });

  it('answers JSON that is not an object, and binary frames', async () => {
    const peer = await connect(t.host);
    peer.ws.send('null');
    peer.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    peer.ws.send('[1,2]');
    await peer.next(() => peer.messages.filter((m) => m.id === null).length === 3);
    for (const m of peer.messages)
      expect(m).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad-message' } } });
    expect((await request(peer, { type: 'invoke', id: 3, channel: 'app:get-info' })).result).toMatchObject({
      ok: true,
    });
    peer.close();
  });
});

describe('dispatch', () => {
  it('rejects a payload that fails validation before any handler runs', async () => {
    const peer = await connect(t.host);
    expect(
      await request(peer, { type: 'invoke', id: 1, channel: 'app:get-info', payload: { extra: 1 } }),
    ).toMatchObject({
      result: { ok: false, error: { code: 'invalid-payload' } },
    });
    const increment = await request(peer, {
      type: 'invoke',
      id: 2,
      channel: 'values:increment',
      payload: { name: 'Pages Read!', delta: 1 },
    });
    expect(increment).toMatchObject({ result: { ok: false, error: { code: 'invalid-payload', field: 'name' } } });
    peer.close();
  });

  it('refuses channels outside the contract', async () => {
    const peer = await connect(t.host);
    expect(await request(peer, { type: 'invoke', id: 1, channel: 'fs:read-file', payload: {} })).toMatchObject({
      result: { ok: false, error: { code: 'unknown-channel' } },
    });
    expect(await request(peer, { type: 'send', id: 2, channel: 'window:close-all', payload: {} })).toMatchObject({
      result: { ok: false, error: { code: 'unknown-channel' } },
    });
    peer.close();
  });

  it('validates send payloads too', async () => {
    const peer = await connect(t.host);
    expect(
      await request(peer, { type: 'send', id: 1, channel: 'window:open-settings', payload: { tab: 'nope' } }),
    ).toMatchObject({
      result: { ok: false, error: { code: 'invalid-payload', field: 'tab' } },
    });
    expect(t.host.shell.settingsOpened).toEqual([]);
    peer.close();
  });
});

describe('shell effects and pushes', () => {
  it('opening settings shows the window on the desk and pushes window:show-tab to pages', async () => {
    const desk = await connect(t.host, { query: { role: 'desk' } });
    const page = await connect(t.host, { query: { role: 'page' } });
    await desk.next((m) => m.host === 'snapshot');
    const shown = page.next((m) => m.push === 'window:show-tab');
    const deskSaw = desk.next((m) => m.host === 'open-settings');
    expect(
      await request(page, { type: 'send', id: 1, channel: 'window:open-settings', payload: { tab: 'sync' } }),
    ).toMatchObject({
      result: { ok: true },
    });
    expect(await shown).toEqual({ push: 'window:show-tab', payload: { tab: 'sync' } });
    expect(await deskSaw).toEqual({ host: 'open-settings', tab: 'sync' });
    expect(t.host.shell.settingsOpened).toEqual(['sync']);
    // Host-only messages go to the desk only.
    expect(page.messages.some((m) => 'host' in m)).toBe(false);
    desk.close();
    page.close();
  });

  it('window:close reaches the desk as close-popover', async () => {
    const desk = await connect(t.host, { query: { role: 'desk' } });
    const page = await connect(t.host);
    const closed = desk.next((m) => m.host === 'close-popover');
    page.sendJson({ type: 'send', channel: 'window:close', payload: {} });
    expect(await closed).toEqual({ host: 'close-popover' });
    expect(t.host.shell.popoverCloses).toBe(1);
    desk.close();
    page.close();
  });

  it('records http(s) links opened externally and refuses other schemes', async () => {
    const desk = await connect(t.host, { query: { role: 'desk' } });
    const page = await connect(t.host);
    const opened = desk.next((m) => m.host === 'opened');
    await request(page, {
      type: 'send',
      id: 1,
      channel: 'shell:open-external',
      payload: { url: 'javascript:alert(1)' },
    });
    await request(page, {
      type: 'send',
      id: 2,
      channel: 'shell:open-external',
      payload: { url: 'file:///etc/passwd' },
    });
    await request(page, {
      type: 'send',
      id: 3,
      channel: 'shell:open-external',
      payload: { url: 'https://exist.io/account/' },
    });
    expect(await opened).toEqual({ host: 'opened', url: 'https://exist.io/account/' });
    expect(t.host.openedUrls).toEqual(['https://exist.io/account/']);

    const withToken = await fetch(new URL('/__host/opened', t.host.url), {
      headers: { cookie: `${t.host.cookieName}=${t.host.token}` },
    });
    expect(await withToken.json()).toEqual({ opened: ['https://exist.io/account/'] });
    const without = await fetch(new URL('/__host/opened', t.host.url));
    expect(without.status).toBe(403);

    // A desk that connects later gets what happened in its snapshot.
    const late = await connect(t.host, { query: { role: 'desk' } });
    expect(await late.next((m) => m.host === 'snapshot')).toMatchObject({
      snapshot: { opened: ['https://exist.io/account/'], openInBrowser: false },
    });
    for (const p of [desk, page, late]) p.close();
  });

  it('only the desk may send tray commands', async () => {
    const page = await connect(t.host);
    expect(await request(page, { type: 'desk', id: 1, action: 'quit' })).toMatchObject({
      result: { ok: false, error: { code: 'not-allowed' } },
    });
    page.close();
  });
});

describe('quit', () => {
  it('tells the desk and calls onQuit', async () => {
    await t.cleanup();
    let quit!: () => void;
    const quitCalled = new Promise<void>((r) => (quit = r));
    t = await startTestHost({ onQuit: () => quit() });
    const desk = await connect(t.host, { query: { role: 'desk' } });
    const told = desk.next((m) => m.host === 'quit');
    expect(await request(desk, { type: 'desk', id: 1, action: 'quit' })).toMatchObject({ result: { ok: true } });
    await told;
    await quitCalled;
    desk.close();
  });
});
