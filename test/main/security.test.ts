import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isOwnPageUrl, senderInfo, vetExternalUrl } from '../../src/main/security';

const origins = { pagesUrl: 'app://renderer/' };
const dev = { ...origins, devServerUrl: 'http://localhost:5173' };

describe('vetExternalUrl', () => {
  const policy = { existUrl: 'https://exist.io' };
  it('allows https links', () => {
    expect(vetExternalUrl('https://exist.io/account/apps/', policy)).toEqual({
      ok: true,
      value: 'https://exist.io/account/apps/',
    });
    expect(vetExternalUrl('https://example.org/help', policy).ok).toBe(true);
  });
  it('refuses other schemes, credentials and junk', () => {
    for (const url of [
      'http://exist.io/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'exist-tray://sync',
      'not a url',
      'https://user:pw@exist.io/',
    ]) {
      expect(vetExternalUrl(url, policy).ok, url).toBe(false);
    }
  });
  it('allows the configured Exist host even over http, and the loopback sandbox only while it runs', () => {
    expect(vetExternalUrl('http://exist.test:8080/oauth2/authorize', { existUrl: 'http://exist.test:8080' }).ok).toBe(
      true,
    );
    const sandbox = 'http://127.0.0.1:40123/oauth2/authorize?client_id=x';
    expect(vetExternalUrl(sandbox, { existUrl: 'https://exist.io', sandboxUrl: 'http://127.0.0.1:40123' }).ok).toBe(
      true,
    );
    expect(vetExternalUrl(sandbox, { existUrl: 'https://exist.io', sandboxUrl: null }).ok).toBe(false);
    expect(
      vetExternalUrl('http://127.0.0.1:9999/', { existUrl: 'https://exist.io', sandboxUrl: 'http://127.0.0.1:40123' })
        .ok,
    ).toBe(false);
  });
});

describe('sender trust', () => {
  const facts = {
    frameUrl: 'app://renderer/popover.html',
    isTopFrame: true,
    fromOwnWindow: true,
  };
  it('trusts the top frame of our window showing our page', () => {
    expect(senderInfo(facts, origins)).toEqual({ url: facts.frameUrl, trusted: true });
    expect(senderInfo({ ...facts, frameUrl: 'http://localhost:5173/settings.html?tab=account' }, dev).trusted).toBe(
      true,
    );
  });
  it('refuses iframes, foreign windows, gone frames and other origins', () => {
    expect(senderInfo({ ...facts, isTopFrame: false }, origins).trusted).toBe(false);
    expect(senderInfo({ ...facts, fromOwnWindow: false }, origins).trusted).toBe(false);
    expect(senderInfo({ ...facts, frameUrl: null }, origins).trusted).toBe(false);
    expect(senderInfo({ ...facts, frameUrl: 'https://evil.example/popover.html' }, origins).trusted).toBe(false);
    expect(senderInfo({ ...facts, frameUrl: 'file:///tmp/popover.html' }, origins).trusted).toBe(false);
    for (const url of ['app://evil/popover.html', 'app://renderer:8080/popover.html', 'app://x@renderer/popover.html'])
      expect(senderInfo({ ...facts, frameUrl: url }, origins).trusted, url).toBe(false);
    expect(senderInfo({ ...facts, frameUrl: 'http://localhost:5174/popover.html' }, dev).trusted).toBe(false);
    // without a dev server, http pages are never ours
    expect(isOwnPageUrl('http://localhost:5173/popover.html', origins)).toBe(false);
  });
});

describe('pages come from app://, never file://', () => {
  const facts = { isTopFrame: true, fromOwnWindow: true };
  it('the renderer folder over file:// is not ours any more, even from our own window', () => {
    const fileOrigins = { pagesUrl: 'app://renderer/' };
    for (const url of [
      'file:///opt/exist-tray/resources/app.asar/out/renderer/popover.html',
      'file:///opt/exist-tray/resources/app.asar/out/renderer/settings.html?tab=sync',
    ])
      expect(senderInfo({ ...facts, frameUrl: url }, fileOrigins).trusted, url).toBe(false);
    expect(senderInfo({ ...facts, frameUrl: 'app://renderer/settings.html?tab=sync' }, fileOrigins).trusted).toBe(true);
    // A pages URL on file:// is refused outright (nothing ever configures it; if it did, nothing is trusted).
    expect(isOwnPageUrl('file:///app/out/renderer/popover.html', { pagesUrl: 'file:///app/out/renderer/' })).toBe(
      false,
    );
  });
});

describe('contentSecurityPolicy', () => {
  it('production: nothing but our own scripts, no network, no framing', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });
  it('development adds only the dev server and its websocket', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
    expect(csp).not.toContain('unsafe-eval');
  });
});
