import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/sandbox/cli';
import { startSandbox } from '../../src/sandbox/index';
import { startTestSandbox } from './helpers';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repo, 'node_modules/.bin/tsx');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exist-sandbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('--data persistence', () => {
  it('keeps attributes, values and tokens across restarts, written atomically with owner-only mode', async () => {
    const file = join(dir, 'state.json');
    const a = await startTestSandbox({ dataFile: file });
    const t = a.sb.issueToken(['media_write']);
    await a.post(
      '/api/2/attributes/create/',
      [{ label: 'Time reading', group: 'media', value_type: 3 }],
      t.access_token,
    );
    await a.post(
      '/api/2/attributes/update/',
      [{ name: 'time_reading', date: '2024-03-11', value: 42 }],
      t.access_token,
    );
    const personal = a.sb.personalToken;
    await a.sb.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const b = await startTestSandbox({ dataFile: file });
    try {
      expect(b.sb.personalToken).toBe(personal);
      const r = await b.get('/api/2/attributes/values/?attribute=time_reading&limit=1', personal);
      expect(r.json.results).toEqual([{ date: '2024-03-11', value: 42 }]);
      const owned = await b.get('/api/2/attributes/owned/', t.access_token);
      expect(owned.json.results.map((x: { name: string }) => x.name)).toEqual(['time_reading']);
    } finally {
      await b.sb.close();
    }
  });

  it('refuses a corrupt data file with a clear error and leaves it untouched', async () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"version": 1, "user": ');
    await expect(startSandbox({ dataFile: file })).rejects.toThrow(/not valid JSON/);
    writeFileSync(file, '{"hello": "world"}');
    await expect(startSandbox({ dataFile: file })).rejects.toThrow(/not a sandbox state file/);
    expect(readFileSync(file, 'utf8')).toBe('{"hello": "world"}');
  });

  it('rejects bad options clearly', async () => {
    await expect(startSandbox({ timezone: 'Mars/Olympus' })).rejects.toThrow(/Unknown timezone/);
    await expect(startSandbox({ rateLimit: 0 })).rejects.toThrow(/rateLimit/);
    await expect(startSandbox({ redirectUri: 'localhost:8000' })).rejects.toThrow(/redirectUri/);
  });

  it('seed: false starts with no attributes', async () => {
    const s = await startSandbox({ seed: false });
    try {
      expect(s.admin.getState().attributes).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('command line', () => {
  it('parses the documented flags (a leading -- is ignored)', () => {
    const p = parseCliArgs([
      '--',
      '--port',
      '0',
      '--client-id',
      'ID',
      '--client-secret',
      'S',
      '--redirect-uri',
      'http://localhost:8000/',
      '--auto-approve',
      '--token-ttl',
      '60',
      '--rate-limit',
      '5',
      '--timezone',
      'Europe/Berlin',
      '--data',
      'x.json',
    ]);
    expect(p.options).toEqual({
      port: 0,
      clientId: 'ID',
      clientSecret: 'S',
      redirectUri: 'http://localhost:8000/',
      autoApprove: true,
      tokenTtlSeconds: 60,
      rateLimit: 5,
      timezone: 'Europe/Berlin',
      dataFile: 'x.json',
    });
  });

  it('rejects bad arguments with a UsageError', () => {
    for (const args of [
      ['--port', 'x'],
      ['--port', '70000'],
      ['--rate-limit', '0'],
      ['--timezone', 'Nowhere/Land'],
      ['--bogus'],
      ['extra'],
      ['--redirect-uri', 'nope'],
    ]) {
      expect(() => parseCliArgs(args), args.join(' ')).toThrow(UsageError);
    }
  });

  it('bad arguments exit 2 with one error line', async () => {
    const child = spawn(tsx, ['src/sandbox/cli.ts', '--', '--rate-limit', 'lots'], { cwd: repo });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/--rate-limit/);
  });

  it('prints its URL, credentials and personal token, serves, and stops on SIGTERM', async () => {
    const child = spawn(
      tsx,
      [
        'src/sandbox/cli.ts',
        '--',
        '--port',
        '0',
        '--client-id',
        'cli-id',
        '--client-secret',
        'cli-secret',
        '--auto-approve',
      ],
      { cwd: repo },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      const out: string[] = [];
      for await (const line of lines) {
        out.push(line);
        if (line.startsWith('Press Ctrl+C')) break;
      }
      const url = out[0] ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const text = out.join('\n');
      expect(text).toContain('Client ID:      cli-id');
      expect(text).toContain('Client secret:  cli-secret');
      const token = /Personal token: ([0-9a-f]{40})/.exec(text)?.[1];
      const r = await fetch(`${url}/api/2/accounts/profile/`, { headers: { Authorization: `Bearer ${token ?? ''}` } });
      expect(r.status).toBe(200);
      const auth = await fetch(
        `${url}/oauth2/authorize?client_id=cli-id&response_type=code&redirect_uri=${encodeURIComponent('http://localhost:8000/')}&scope=media_write`,
        { redirect: 'manual' },
      );
      expect(auth.status).toBe(302);
      const exited = new Promise<number | null>((res) => child.on('exit', res));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
