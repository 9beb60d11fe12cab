/**
 * The CLI → app socket against another local user. As root this test really hands the
 * pieces to another uid (12345) with chown: a folder pre-created by that user (the
 * issue's attack: the CLI used to fall back to /tmp/exist-tray-<hash>/ and trust
 * whatever answered there), a folder with group/other bits, a symlink, and a socket
 * owned by that user. Each time the app refuses to listen and the CLI refuses to send —
 * and the hostile listener never gets a byte. Without root, the same checks run through
 * the injected lstat/uid port.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { remoteSocketPath, runtimeDir, sendToRunningApp, startRemoteServer } from '../../../src/core/remote/index';

const unix = process.platform !== 'win32';
const root = process.getuid?.() === 0;
const OTHER_UID = 12345;
const cleanups: (() => Promise<void> | void)[] = [];
const savedTmp = process.env.TMPDIR;
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

/**
 * A private temp base standing in for the shared /tmp, and a data folder deep enough
 * that the old code fell back to `<tmp>/exist-tray-<hash>/`. TMPDIR points at the base
 * too, so the code before this fix (which ignored `where`) lands in the same place.
 */
function scene() {
  const base = mkdtempSync(join(tmpdir(), 'exist-tray-hostile-'));
  chmodSync(base, 0o777);
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  process.env.TMPDIR = base;
  const dataDir = join(base, 'home', 'x'.repeat(110), 'Exist Tray');
  const path = remoteSocketPath(dataDir, 'linux', { env: {}, tmp: base });
  return { base, dataDir, path, dir: dirname(path) };
}

/** The other user's listener: answers every line with "ok", as if the app had applied it. */
async function hostileListener(path: string): Promise<{ server: Server; received: string[] }> {
  const received: string[] = [];
  const server = createServer((s) => {
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      received.push(d);
      const id = (JSON.parse(d.split('\n')[0]!) as { id: string }).id;
      s.write(`${JSON.stringify({ id, ok: true, value: { id: 'w1' } })}\n`);
    });
  });
  await new Promise<void>((r) => server.listen(path, () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { server, received };
}

const increment = { command: 'increment' as const, args: { name: 'pages_read', delta: 1 } };

describe.runIf(unix)('the app socket lives only in a folder private to this user', () => {
  it('the folder: XDG_RUNTIME_DIR when set, else a per-uid folder under the temp dir', () => {
    expect(runtimeDir({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, uid: 1000 })).toBe('/run/user/1000/exist-tray');
    expect(runtimeDir({ env: {}, uid: 1000, tmp: '/tmp', platform: 'darwin' })).toBe('/tmp/exist-tray-1000');
    expect(runtimeDir({ env: { XDG_RUNTIME_DIR: 'relative' }, uid: 7, tmp: '/t' })).toBe('/t/exist-tray-7');
  });

  it('the app creates the folder 0700 and the socket 0600', async () => {
    const s = scene();
    const server = await startRemoteServer(s.path, async () => null);
    cleanups.push(() => server.close());
    const { statSync } = await import('node:fs');
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(statSync(s.path).mode & 0o777).toBe(0o600);
    expect(await sendToRunningApp(s.path, { command: 'status', args: {} })).toEqual({ ok: true, value: null });
  });

  it.runIf(root)(
    'a folder pre-created by another user, with their listener in it: refused by app and CLI',
    async () => {
      const s = scene();
      mkdirSync(s.dir, { mode: 0o777 });
      chmodSync(s.dir, 0o777);
      const hostile = await hostileListener(s.path);
      chownSync(s.dir, OTHER_UID, OTHER_UID);
      chownSync(s.path, OTHER_UID, OTHER_UID);

      const r = await sendToRunningApp(s.path, increment);
      expect(r).toMatchObject({ ok: false, error: { code: 'unsafe-socket-folder' } });
      expect(JSON.stringify(r)).toContain(`another user (uid ${OTHER_UID})`);
      expect(hostile.received).toEqual([]);

      hostile.server.close();
      const e = await startRemoteServer(s.path, async () => null).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).code).toBe('unsafe-socket-folder');
    },
  );

  it.runIf(root)('a socket owned by another user inside our folder: the CLI sends nothing', async () => {
    const s = scene();
    mkdirSync(s.dir, { mode: 0o700 });
    const hostile = await hostileListener(s.path);
    chownSync(s.path, OTHER_UID, OTHER_UID);
    const r = await sendToRunningApp(s.path, increment);
    expect(r).toMatchObject({ ok: false, error: { code: 'unsafe-socket' } });
    expect(hostile.received).toEqual([]);
  });

  it('our own folder with group/other bits, or a symlink: refused, never chmod-ed or followed', async () => {
    const s = scene();
    mkdirSync(s.dir, { mode: 0o755 });
    chmodSync(s.dir, 0o755);
    const e = await startRemoteServer(s.path, async () => null).catch((x: unknown) => x);
    expect((e as UserError).code).toBe('unsafe-socket-folder');
    expect((e as UserError).message).toContain('mode 755');
    const { statSync } = await import('node:fs');
    expect(statSync(s.dir).mode & 0o777).toBe(0o755);

    rmSync(s.dir, { recursive: true });
    const elsewhere = join(s.base, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, s.dir);
    const e2 = await startRemoteServer(s.path, async () => null).catch((x: unknown) => x);
    expect((e2 as UserError).message).toContain('symbolic link');
    expect(await sendToRunningApp(s.path, increment)).toMatchObject({
      ok: false,
      error: { code: 'unsafe-socket-folder' },
    });
  });

  it('the same checks through the injected lstat/uid port (for machines without root)', async () => {
    const s = scene();
    const server = await startRemoteServer(s.path, async () => 'applied');
    cleanups.push(() => server.close());
    // Seen as another uid, the very same folder and socket are not ours.
    const r = await sendToRunningApp(s.path, increment, { ownership: { uid: OTHER_UID } });
    expect(r).toMatchObject({ ok: false, error: { code: 'unsafe-socket-folder' } });
    const { lstat } = await import('node:fs/promises');
    const socketOfOther = async (p: string) => {
      const st = await lstat(p);
      return p === s.path
        ? Object.assign(Object.create(Object.getPrototypeOf(st) as object), st, { uid: OTHER_UID })
        : st;
    };
    expect(await sendToRunningApp(s.path, increment, { ownership: { lstat: socketOfOther } })).toMatchObject({
      ok: false,
      error: { code: 'unsafe-socket' },
    });
    expect(await sendToRunningApp(s.path, increment)).toEqual({ ok: true, value: 'applied' });
  });
});
