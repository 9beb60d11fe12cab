/**
 * The app:// handler on a real folder: out/renderer is served, nothing else is — traversal
 * (plain, percent-encoded, encoded slashes and backslashes), absolute and drive paths, a
 * symlink out of the folder, other hosts and other methods are 404; the CSP header is on
 * every answer.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_PAGES_URL,
  APP_PRIVILEGES,
  appPageUrl,
  appPathSegments,
  createAppSchemeHandler,
} from '../../src/main/app-scheme';
import { contentSecurityPolicy } from '../../src/main/security';

let base: string;
let handler: (r: Request) => Promise<Response>;
const csp = contentSecurityPolicy();

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'app-scheme-'));
  // An install path as awkward as a real one; a secret next to the renderer folder.
  const renderer = join(base, 'Exist %[]~ Tray', 'out', 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'popover.html'), '<!doctype html><title>popover</title>');
  writeFileSync(join(renderer, 'assets', 'popover-abc.js'), 'export {};');
  writeFileSync(join(renderer, 'assets', 'a b%.css'), 'body{}');
  writeFileSync(join(base, 'Exist %[]~ Tray', 'out', 'secret.txt'), 'token');
  writeFileSync(join(base, 'outside.txt'), 'token');
  symlinkSync(join(base, 'outside.txt'), join(renderer, 'assets', 'link-out.js'));
  symlinkSync(join(renderer, 'popover.html'), join(renderer, 'assets', 'link-in.html'));
  handler = createAppSchemeHandler({ rendererDir: renderer, csp });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// serves out/renderer', () => {
  it('serves a page and its assets with their types, the CSP header (frame-ancestors included) and nosniff', async () => {
    const page = await get(appPageUrl('popover', { tab: 'sync' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(csp);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>popover</title>');
    const js = await get(`${APP_PAGES_URL}assets/popover-abc.js`);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await get(`${APP_PAGES_URL}assets/a%20b%25.css`)).status).toBe(200);
    // A symlink that stays inside the folder is fine.
    expect((await get(`${APP_PAGES_URL}assets/link-in.html`)).status).toBe(200);
    const head = await get(appPageUrl('popover'), 'HEAD');
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it.each([
    ['plain ..', 'app://renderer/../secret.txt'],
    ['.. after a folder', 'app://renderer/assets/../../secret.txt'],
    ['encoded ..', 'app://renderer/%2e%2e/secret.txt'],
    ['mixed-case encoded ..', 'app://renderer/%2E%2e/%2e%2E/outside.txt'],
    ['encoded slash', 'app://renderer/..%2fsecret.txt'],
    ['encoded slashes, deeper', 'app://renderer/assets%2f..%2f..%2f..%2f..%2foutside.txt'],
    ['encoded backslash', 'app://renderer/..%5csecret.txt'],
    ['absolute path', 'app://renderer//etc/passwd'],
    ['encoded absolute path', 'app://renderer/%2fetc%2fpasswd'],
    ['a Windows drive', 'app://renderer/C:/Windows/win.ini'],
    ['an encoded drive', 'app://renderer/C%3a%5cWindows%5cwin.ini'],
    ['an NTFS stream', 'app://renderer/popover.html::$DATA'],
    ['NUL', 'app://renderer/popover.html%00.js'],
    ['a malformed escape', 'app://renderer/%E0%A4%A.html'],
    ['a symlink out of the folder', 'app://renderer/assets/link-out.js'],
    ['a directory', 'app://renderer/assets'],
    ['the folder itself', 'app://renderer/'],
    ['a missing file', 'app://renderer/nope.html'],
    ['another host', 'app://evil/popover.html'],
    ['no host', 'app:///popover.html'],
    ['a port', 'app://renderer:81/popover.html'],
    ['another scheme', 'file:///etc/passwd'],
  ])('%s → 404 (%s)', async (_what, url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found');
    expect(res.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(appPageUrl('popover'), 'POST')).status).toBe(404);
    expect((await get(appPageUrl('popover'), 'PUT')).status).toBe(404);
  });

  it('never decodes a segment into a separator or a dot segment', () => {
    expect(appPathSegments('app://renderer/assets/popover-abc.js')).toEqual(['assets', 'popover-abc.js']);
    expect(appPathSegments('app://renderer/a%20b%25.css')).toEqual(['a b%.css']);
    expect(appPathSegments('app://renderer/%2e')).toBeNull();
    expect(appPathSegments('app://renderer/a%2fb')).toBeNull();
    // (a Request cannot carry credentials at all; the URL check refuses them anyway)
    expect(appPathSegments('app://user:pw@renderer/popover.html')).toBeNull();
  });

  it('is registered standard and secure, with fetch for module scripts, never bypassing CSP or opening CORS', () => {
    expect(APP_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });
});
