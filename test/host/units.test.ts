/** Pure pieces of the browser host: bridge injection, URL vetting, cookie and token checks. */
import { describe, expect, it } from 'vitest';
import { injectBridge } from '../../src/host/index';
import { readCookie, tokenMatches } from '../../src/host/bridge-server';
import { vetExternalUrl } from '../../src/host/ports';

describe('injectBridge', () => {
  it('goes before the first module script', () => {
    const out = injectBridge('<head><script type="module" src="./a.js"></script></head>');
    expect(out.indexOf('/__host/bridge.js')).toBeLessThan(out.indexOf('type="module"'));
  });
  it('falls back to the end of head when there is no module script', () => {
    const out = injectBridge('<html><head><title>x</title></head><body></body></html>');
    expect(out).toMatch(/<script src="\/__host\/bridge.js"><\/script>\s*<\/head>/);
  });
});

describe('vetExternalUrl', () => {
  it('allows http and https', () => {
    expect(vetExternalUrl('https://exist.io/oauth2/authorize?x=1')).toBe('https://exist.io/oauth2/authorize?x=1');
    expect(vetExternalUrl('http://127.0.0.1:1234/')).toBe('http://127.0.0.1:1234/');
  });
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'not a url', ''])('refuses %j', (url) => {
    expect(() => vetExternalUrl(url)).toThrow(/link/);
  });
});

describe('readCookie / tokenMatches', () => {
  it('finds a cookie among others', () => {
    expect(readCookie('a=1; exist_tray_host_9=abc%3D; b=2', 'exist_tray_host_9')).toBe('abc=');
    expect(readCookie('exist_tray_host_90=abc', 'exist_tray_host_9')).toBeNull();
    expect(readCookie(undefined, 'x')).toBeNull();
  });
  it('compares tokens exactly', () => {
    expect(tokenMatches('secret', 'secret')).toBe(true);
    expect(tokenMatches('secret', 'secreT')).toBe(false);
    expect(tokenMatches('secret', 'secret2')).toBe(false);
    expect(tokenMatches('secret', null)).toBe(false);
  });
});
