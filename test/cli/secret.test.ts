/**
 * The client secret never has to be on the command line. The hostile case is another
 * local user reading /proc/PID/cmdline while `login` waits for the browser: with
 * `--client-secret-stdin` (or EXIST_CLIENT_SECRET, or the terminal prompt) the secret is
 * not there; with the old `--client-secret SECRET` it is, and the CLI warns.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CMDLINE_SECRET_WARNING, clientSecretFrom, promptHidden, type SecretStdin } from '../../src/cli/secret-input';
import { cleanEnv, freePort, repoRoot, runInProcess, spawnCli, spawnSandbox, type SpawnedSandbox } from './helpers';

/** A terminal stand-in: records raw mode, lets the test type. */
class FakeTty extends EventEmitter implements SecretStdin {
  isTTY = true;
  isRaw = false;
  rawCalls: boolean[] = [];
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.rawCalls.push(mode);
    return this;
  }
  setEncoding() {
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  type(s: string) {
    this.emit('data', s);
  }
}

describe('the hidden prompt', () => {
  it('reads a line in raw mode, never echoes it, handles Backspace, restores the terminal', async () => {
    const tty = new FakeTty();
    const written: string[] = [];
    const p = promptHidden('Client secret (not shown): ', tty, (s) => written.push(s));
    tty.type('s3cr');
    tty.type('x\u007f');
    tty.type('et\r');
    expect(await p).toBe('s3cret');
    expect(written.join('')).toBe('Client secret (not shown): \n');
    expect(tty.rawCalls).toEqual([true, false]);
  });

  it('Ctrl-C cancels', async () => {
    const tty = new FakeTty();
    const p = promptHidden('? ', tty, () => undefined);
    tty.type('ab\u0003');
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('sources in order: stdin flag, --client-secret (warned), EXIST_CLIENT_SECRET, remembered, the prompt', async () => {
    const warn: string[] = [];
    const base = {
      flag: undefined,
      fromStdin: false,
      env: undefined,
      remembered: false,
      stdin: Object.assign(new FakeTty(), { isTTY: false }),
      stderr: (l: string) => warn.push(l),
      prompt: () => undefined,
    };
    expect(await clientSecretFrom({ ...base, flag: 'on-argv' })).toBe('on-argv');
    expect(warn).toEqual([CMDLINE_SECRET_WARNING]);
    expect(await clientSecretFrom({ ...base, env: 'from-env' })).toBe('from-env');
    expect(await clientSecretFrom({ ...base, remembered: true })).toBe('');
    expect(await clientSecretFrom(base)).toBeUndefined(); // not a terminal: no prompt
    await expect(clientSecretFrom({ ...base, flag: 'x', fromStdin: true })).rejects.toThrow(/one way/);
    const tty = new FakeTty();
    const asked = clientSecretFrom({ ...base, stdin: tty });
    tty.type('typed\n');
    expect(await asked).toBe('typed');
  });

  it('--help warns against --client-secret and offers --client-secret-stdin', async () => {
    const r = await runInProcess(['login', '--help'], {});
    const help = r.stdout.join('\n');
    expect(help).toContain('--client-secret-stdin');
    expect(help).toMatch(/--client-secret <secret>\s+NOT RECOMMENDED/);
  });
});

describe.runIf(process.platform === 'linux').sequential('what another local user sees in /proc', () => {
  let sb: SpawnedSandbox;
  let env: Record<string, string | undefined>;
  let dir: string;
  beforeAll(async () => {
    const port = await freePort();
    sb = await spawnSandbox(['--auto-approve', '--redirect-uri', `http://127.0.0.1:${port}/`]);
    env = cleanEnv({ EXIST_TRAY_REDIRECT_URI: sb.redirectUri });
  }, 15_000);
  afterAll(async () => {
    await sb?.stop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'exist-cli-secret-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts login, reads its argv from /proc while it waits, then lets the browser finish. */
  async function loginAndPeek(args: string[], stdin?: string) {
    const p = spawnCli(['--data-dir', join(dir, 'data'), '--exist-url', sb.url, 'login', '--no-browser', ...args], env);
    if (stdin !== undefined) p.child.stdin.end(stdin);
    const url = await p.waitFor(/^https?:\/\/\S+\/oauth2\/authorize\?/);
    const cmdline = readFileSync(`/proc/${p.child.pid}/cmdline`, 'utf8').split('\0').join(' ');
    await fetch(url);
    return { cmdline, result: await p.exited };
  }

  it('--client-secret-stdin: the secret is not in the process’s command line, and login works', async () => {
    const { cmdline, result } = await loginAndPeek(
      ['--client-id', sb.clientId, '--client-secret-stdin'],
      `${sb.clientSecret}\n`,
    );
    expect(cmdline).toContain('login');
    expect(cmdline).not.toContain(sb.clientSecret);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Connected/);
  });

  it.runIf(existsSync('/usr/bin/script'))(
    'on a real terminal (a pty from script(1)) it asks, and what is typed is never echoed',
    async () => {
      const { spawn } = await import('node:child_process');
      const argv = [
        process.execPath,
        '--import',
        'tsx',
        'src/cli/index.ts',
        '--data-dir',
        join(dir, 'data'),
        '--exist-url',
        sb.url,
        'login',
        '--no-browser',
        '--client-id',
        sb.clientId,
      ];
      const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
      const child = spawn('script', ['-qfec', quoted, '/dev/null'], { cwd: repoRoot, env, stdio: 'pipe' });
      let out = '';
      const seen = (re: RegExp) =>
        new Promise<string>((resolve, reject) => {
          const check = () => {
            const m = re.exec(out);
            if (m) resolve(m[0]);
          };
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString('utf8');
            check();
          });
          child.once('exit', () => reject(new Error(`exited before ${re}: ${out}`)));
          check();
        });
      await seen(/Client secret \(not shown\): /);
      child.stdin.write(`${sb.clientSecret}\r`);
      const url = await seen(/https?:\/\/\S+\/oauth2\/authorize\?\S+/);
      await fetch(url.trim());
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
      expect(out).toMatch(/Connected/);
      expect(out).not.toContain(sb.clientSecret);
    },
    30_000,
  );

  it('the old --client-secret still works, but is visible there and warned about', async () => {
    const { cmdline, result } = await loginAndPeek(['--client-id', sb.clientId, '--client-secret', sb.clientSecret]);
    expect(cmdline).toContain(sb.clientSecret);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('--client-secret puts the secret where every local user can read it');
  });
});
