/**
 * The Windows pipe's name cannot be computed from the data folder's path alone (another
 * local user who could would create the pipe first and answer the CLI). Runs on any OS:
 * the name is a string; the pipe itself is untested here (no Windows).
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remoteSocketPath } from '../../../src/core/remote/protocol';
import { PIPE_KEY_FILE } from '../../../src/core/remote/pipe-name';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipe-name-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pathOnly = (d: string) => `\\\\.\\pipe\\exist-tray-${createHash('sha256').update(d).digest('hex').slice(0, 16)}`;

describe('the Windows pipe name', () => {
  it('is not the hash of the data folder’s path (which any local user can compute)', () => {
    expect(remoteSocketPath(dir, 'win32')).not.toBe(pathOnly(dir));
  });

  it('depends on a key only the folder’s owner can read: a new key, a new name', () => {
    const first = remoteSocketPath(dir, 'win32');
    expect(remoteSocketPath(dir, 'win32'), 'the app and the CLI agree').toBe(first);
    expect(first).toMatch(/^\\\\\.\\pipe\\exist-tray-[0-9a-f]{16}$/);
    const key = readFileSync(join(dir, PIPE_KEY_FILE), 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    if (process.platform !== 'win32') expect(statSync(join(dir, PIPE_KEY_FILE)).mode & 0o077).toBe(0);
    writeFileSync(join(dir, PIPE_KEY_FILE), `${'0'.repeat(32)}\n`);
    expect(remoteSocketPath(dir, 'win32')).not.toBe(first);
  });

  it('a damaged key is not used as a key; a missing folder gets a name nobody listens on, never the guessable one', () => {
    writeFileSync(join(dir, PIPE_KEY_FILE), 'not a key');
    expect(remoteSocketPath(dir, 'win32')).not.toBe(pathOnly(dir));
    const gone = join(dir, 'never-created');
    const a = remoteSocketPath(gone, 'win32');
    expect(a).not.toBe(pathOnly(gone));
    expect(remoteSocketPath(gone, 'win32')).not.toBe(a);
  });

  it('processes racing to create the key all end up with the same name', async () => {
    const src = join(import.meta.dirname, '../../../src/core/remote/pipe-name.ts');
    const script = `import { windowsPipeName } from ${JSON.stringify(src)}; process.stdout.write(windowsPipeName(${JSON.stringify(dir)}));`;
    const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');
    const names = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve, reject) => {
            const p = spawn(tsx, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            p.stdout.on('data', (b: Buffer) => (out += b.toString()));
            p.on('error', reject);
            p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    expect(new Set(names).size).toBe(1);
    expect(names[0]).toBe(remoteSocketPath(dir, 'win32'));
  }, 60_000);

  it('Unix keeps its socket in the private runtime folder, no key file', () => {
    expect(remoteSocketPath(dir, 'linux', { env: { XDG_RUNTIME_DIR: '/run/user/1000' } })).toMatch(
      /^\/run\/user\/1000\/exist-tray\/[0-9a-f]{16}\.sock$/,
    );
  });
});
