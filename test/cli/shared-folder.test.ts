/**
 * Issue 12 with real processes on one data folder: 30 simultaneous `increment`s (half of
 * them started over a lock left by a kill -9'ed process) all arrive; `increment --no-sync`
 * during another process's `sync` waits and succeeds; `pending | head -1` exits 0 and
 * leaves no lock. Figures are printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountDir } from '../../src/core/app';
import type { Sandbox } from '../../src/sandbox';
import { cleanEnv, repoRoot, spawnCli, type ProcessResult } from './helpers';
import {
  cliOk,
  connectDataDir,
  dateIn,
  dayValue,
  removeDir,
  startProxy,
  startWriteSandbox,
  tempDataDir,
} from './write-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TZ = 'Pacific/Kiritimati';

async function setup(opts: { viaProxy?: boolean } = {}) {
  const sandbox: Sandbox = await startWriteSandbox({ timezone: TZ });
  const dir = tempDataDir();
  cleanups.push(
    () => sandbox.close(),
    () => removeDir(dir),
  );
  const proxy = opts.viaProxy ? await startProxy(sandbox.url) : null;
  if (proxy) cleanups.push(() => proxy.close());
  const url = proxy?.url ?? sandbox.url;
  await connectDataDir(sandbox, dir, ['media_write'], url);
  await cliOk(dir, url, ['acquire', '--template', 'pages_read']);
  const key = (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { accountKey: string }).accountKey;
  return { sandbox, dir, url, proxy, lock: join(accountDir(dir, key), 'outbox', 'lock'), today: dateIn(TZ) };
}

const cli = (dir: string, url: string, args: string[]) => spawnCli(['--data-dir', dir, '--exist-url', url, ...args]);

/** A real process takes the lock and is killed with SIGKILL: the lock file stays, its owner is dead. */
async function leaveStaleLock(path: string): Promise<void> {
  const script = `import { takeLock } from './src/core/fs/index.ts'; takeLock(${JSON.stringify(path)}); console.log('held'); setInterval(() => {}, 1000);`;
  const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((r) => c.stdout.once('data', () => r()));
  c.kill('SIGKILL');
  await new Promise((r) => c.once('exit', r));
  expect(existsSync(path)).toBe(true);
}

const acknowledged = (r: ProcessResult): boolean => {
  if (r.code !== 0) return false;
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return typeof (JSON.parse(last) as { queued?: { id?: unknown } }).queued?.id === 'string';
  } catch {
    return false;
  }
};

describe('one data folder, many exist-tray processes', () => {
  it('30 simultaneous increments, 15 of them started over a dead process’s lock: acknowledged = arrived, lost 0', async () => {
    const { sandbox, dir, url, lock, today } = await setup();
    await leaveStaleLock(lock);
    const run = () => cli(dir, url, ['--json', 'increment', 'pages_read']).exited;
    const first = Array.from({ length: 15 }, run); // these start while the dead owner's lock is there
    const second = Array.from({ length: 15 }, run);
    const results = await Promise.all([...first, ...second]);
    const acked = results.filter(acknowledged).length;
    await cliOk(dir, url, ['sync']);
    const arrived = Number(dayValue(sandbox, 'pages_read', today) ?? 0);
    console.log(
      `30 concurrent increments (15 over a stale lock): exit 0: ${results.filter((r) => r.code === 0).length}, acknowledged: ${acked}, arrived: ${arrived}, lost: ${acked - arrived}`,
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(acked).toBe(30);
    expect(arrived).toBe(30);
    expect(existsSync(lock)).toBe(false);
  }, 300_000);

  it('increment --no-sync while another process runs sync (no app): waits, succeeds, and both writes arrive', async () => {
    const { sandbox, dir, url, proxy, today } = await setup({ viaProxy: true });
    await cliOk(dir, url, ['increment', 'pages_read', '--no-sync']);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inFlight!: () => void;
    const sending = new Promise<void>((r) => (inFlight = r));
    proxy!.beforeReply = async (c) => {
      if (c.method === 'POST' && c.path.endsWith('/increment')) {
        inFlight();
        await held;
      }
      return 'relay' as const;
    };
    const sync = cli(dir, url, ['sync']);
    await sending; // the sync process holds the outbox and is mid-send
    const inc = cli(dir, url, ['increment', 'pages_read', '--no-sync']);
    await inc.waitFor(/waiting for exist-tray sync/, 'stderr');
    release();
    const [s, i] = await Promise.all([sync.exited, inc.exited]);
    expect(s.code, s.stderr).toBe(0);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/queued/);
    proxy!.beforeReply = null;
    await cliOk(dir, url, ['sync']);
    expect(dayValue(sandbox, 'pages_read', today)).toBe(2);
  }, 120_000);

  it.each([
    ['pending | head -1', 'head -1'],
    ['pending | true (stdout closed before the first line)', 'true'],
  ])(
    '%s: exit 0, no stack trace, no lock left',
    async (_name, reader) => {
      const { dir, url, lock } = await setup();
      for (const d of ['2024-01-01', '2024-01-02', '2024-01-03'])
        await cliOk(dir, url, ['increment', 'pages_read', '--no-sync', '--date', d]);
      const cmd = `set -o pipefail; "${process.execPath}" --import tsx src/cli/index.ts --data-dir "${dir}" --exist-url "${url}" pending | ${reader}`;
      const r = spawnSync('bash', ['-c', cmd], {
        cwd: repoRoot,
        env: cleanEnv() as NodeJS.ProcessEnv,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/EPIPE|at .*\.ts:\d+/);
      expect(existsSync(lock)).toBe(false);
    },
    60_000,
  );

  it('keeps 0700/0600 on what it creates and tightens what an older version left 0755/0644', async () => {
    const { dir, url, lock } = await setup();
    const outbox = dirname(lock);
    const account = dirname(outbox);
    const loose = [dir, join(dir, 'accounts'), account, outbox];
    for (const d of loose) chmodSync(d, 0o755);
    writeFileSync(join(outbox, 'rate-default.json'), '{"v":1,"calls":[],"pausedUntil":0}', { mode: 0o644 });
    for (const f of readdirSync(outbox)) chmodSync(join(outbox, f), 0o644);
    const r = await cli(dir, url, ['increment', 'pages_read', '--no-sync']).exited;
    expect(r.code, r.stderr).toBe(0);
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    for (const d of loose) expect(mode(d), d).toBe('700');
    for (const f of readdirSync(outbox)) expect(mode(join(outbox, f)), f).toBe('600');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) expect(mode(join(dir, f)), f).toBe('600');
  }, 60_000);
});
