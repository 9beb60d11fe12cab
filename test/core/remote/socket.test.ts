import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import {
  answer,
  remoteSocketPath,
  sendToRunningApp,
  startRemoteServer,
  type RemoteCommand,
  type RemoteServer,
} from '../../../src/core/remote/index';

const unix = process.platform !== 'win32';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'exist-tray-remote-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'Exist Tray');
}

async function serve(dataDir: string, handler: (c: RemoteCommand) => Promise<unknown>): Promise<RemoteServer> {
  const server = await startRemoteServer(remoteSocketPath(dataDir), handler);
  cleanups.push(() => server.close());
  return server;
}

describe('CLI → running app socket', () => {
  it('hands a command to the app and returns its answer', async () => {
    const dataDir = tempDataDir();
    const seen: RemoteCommand[] = [];
    await serve(dataDir, async (c) => {
      seen.push(c);
      return { id: 'w1' };
    });
    const r = await sendToRunningApp(remoteSocketPath(dataDir), {
      command: 'increment',
      args: { name: 'pages_read', delta: 1 },
    });
    expect(r).toEqual({ ok: true, value: { id: 'w1' } });
    expect(seen).toEqual([{ command: 'increment', args: { name: 'pages_read', delta: 1 } }]);
  });

  it('returns null when no app is listening (no socket file)', async () => {
    const dataDir = tempDataDir();
    expect(await sendToRunningApp(remoteSocketPath(dataDir), { command: 'sync', args: {} })).toBeNull();
  });

  it.runIf(unix)('owner-only: folder 0700, socket 0600', async () => {
    const dataDir = tempDataDir();
    const server = await serve(dataDir, async () => null);
    expect(statSync(dirname(server.path)).mode & 0o777).toBe(0o700);
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
  });

  it.runIf(unix)('replaces a stale socket file left by a crashed app', async () => {
    const dataDir = tempDataDir();
    const path = remoteSocketPath(dataDir);
    // A crash leaves the socket file behind: listen in a child process and SIGKILL it.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const child = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('ready'))`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`listener exited early (${code})`)));
    });
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    expect(existsSync(path)).toBe(true);
    expect(await sendToRunningApp(path, { command: 'status', args: {} })).toBeNull();
    await serve(dataDir, async () => 'new');
    expect(await sendToRunningApp(path, { command: 'status', args: {} })).toEqual({ ok: true, value: 'new' });
  });

  it('refuses to start when another app already listens', async () => {
    const dataDir = tempDataDir();
    await serve(dataDir, async () => null);
    const e = await startRemoteServer(remoteSocketPath(dataDir), async () => null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('already-running');
  });

  it("passes the app's refusal back as an error result", async () => {
    const dataDir = tempDataDir();
    await serve(dataDir, async () => {
      throw new UserError('unknown-attribute', 'You do not own an attribute called pages_red.', 'name');
    });
    const r = await sendToRunningApp(remoteSocketPath(dataDir), {
      command: 'increment',
      args: { name: 'pages_red', delta: 1 },
    });
    expect(r).toEqual({
      ok: false,
      error: { code: 'unknown-attribute', message: 'You do not own an attribute called pages_red.', field: 'name' },
    });
  });

  it('a connected app that never answers is a timeout error, not null (it may have applied the command)', async () => {
    const dataDir = tempDataDir();
    await serve(dataDir, () => new Promise(() => undefined));
    const r = await sendToRunningApp(remoteSocketPath(dataDir), { command: 'sync', args: {} }, { timeoutMs: 200 });
    expect(r).not.toBeNull();
    expect(r).toMatchObject({ ok: false, error: { code: 'app-timeout' } });
  });

  it('validates each request line and answers with the request id', async () => {
    const handler = async () => 'applied';
    expect(await answer('{nope', handler)).toMatchObject({ id: null, ok: false, error: { code: 'invalid-json' } });
    expect(await answer(JSON.stringify({ id: 'a', command: 'delete', args: {} }), handler)).toMatchObject({
      id: 'a',
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(
      await answer(
        JSON.stringify({ id: 'b', command: 'increment', args: { name: 'pages_read', delta: 'x' } }),
        handler,
      ),
    ).toMatchObject({
      id: 'b',
      ok: false,
      error: { code: 'invalid-request', field: 'args.delta' },
    });
    expect(
      await answer(
        JSON.stringify({ id: 'c', command: 'set', args: { name: 'mood', value: 7, date: '2026-13-01' } }),
        handler,
      ),
    ).toMatchObject({ ok: false });
    expect(await answer(JSON.stringify({ id: 'd', command: 'sync' }), handler)).toEqual({
      id: 'd',
      ok: true,
      value: 'applied',
    });
  });

  it('answers several requests on one connection, line by line', async () => {
    const dataDir = tempDataDir();
    const server = await serve(dataDir, async (c) => c.command);
    const lines = await new Promise<string[]>((resolve, reject) => {
      const s = connect(server.path);
      let buf = '';
      s.setEncoding('utf8');
      s.on('error', reject);
      s.on('connect', () =>
        s.write('{"id":"1","command":"sync","args":{}}\n{"id":"2","command":"status","args":{}}\n'),
      );
      s.on('data', (d: string) => {
        buf += d;
        const got = buf.split('\n').filter(Boolean);
        if (got.length === 2) {
          s.destroy();
          resolve(got);
        }
      });
    });
    const parsed = lines
      .map((l) => JSON.parse(l) as { id: string; value: string })
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(parsed).toEqual([
      { id: '1', ok: true, value: 'sync' },
      { id: '2', ok: true, value: 'status' },
    ]);
  });

  it('socket path: in the private runtime folder on Unix, a named pipe on Windows, short however deep the folder', () => {
    expect(
      remoteSocketPath('/home/a/.config/Exist Tray', 'linux', { env: { XDG_RUNTIME_DIR: '/run/user/1000' } }),
    ).toMatch(/^\/run\/user\/1000\/exist-tray\/[0-9a-f]{16}\.sock$/);
    expect(remoteSocketPath('C:\\Users\\a\\AppData\\Roaming\\Exist Tray', 'win32')).toMatch(
      /^\\\\\.\\pipe\\exist-tray-[0-9a-f]{16}$/,
    );
    const deep = `/home/a/${'x'.repeat(120)}`;
    expect(Buffer.byteLength(remoteSocketPath(deep, 'linux'))).toBeLessThanOrEqual(104);
    expect(remoteSocketPath(deep, 'linux')).not.toBe(remoteSocketPath(`${deep}y`, 'linux'));
  });
});
