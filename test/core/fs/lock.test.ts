/**
 * core/fs's lock with real processes: exclusive under contention and over a lock left by a
 * dead process, staleness that survives pid reuse and reboots, and release on every exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockHeldError, processStart, readOwner, takeLock, waitForLock, type LockOwner } from '../../../src/core/fs';
import { repoRoot } from '../../cli/helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'exist-fs-lock-'));
  dirs.push(d);
  return d;
};

/** A pid that is certainly dead: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function runWorkers(dir: string, workers: number, rounds: number): Promise<number[]> {
  const runs = Array.from(
    { length: workers },
    () =>
      new Promise<number>((resolve) => {
        const c = spawn(process.execPath, ['--import', 'tsx', 'test/core/fs/lock-worker.ts', dir, String(rounds)], {
          cwd: repoRoot,
          stdio: 'ignore',
        });
        c.on('exit', (code) => resolve(code ?? -1));
      }),
  );
  return Promise.all(runs);
}

const record = (o: Partial<LockOwner>): string =>
  JSON.stringify({ v: 1, pid: 1, start: null, boot: null, host: hostname(), nonce: 'n', what: 'test', at: 0, ...o });

describe('the data-folder lock', () => {
  it('is exclusive: 10 processes × 5 rounds of read-modify-write over a dead process’s lock lose no update', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'counter'), '0');
    writeFileSync(join(dir, 'lock'), String(deadPid())); // left by a kill -9 of an older version
    const codes = await runWorkers(dir, 10, 5);
    expect(codes).toEqual(Array(10).fill(0));
    expect(Number(readFileSync(join(dir, 'counter'), 'utf8'))).toBe(50);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  }, 60_000);

  it('a live owner holds it; a reused pid (same pid, other start time) does not', () => {
    const dir = tempDir();
    const path = join(dir, 'lock');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      const start = processStart(sleeper.pid!);
      writeFileSync(path, record({ pid: sleeper.pid!, start, nonce: 'live' }));
      expect(() => takeLock(path)).toThrow(LockHeldError);
      writeFileSync(path, record({ pid: sleeper.pid!, start: `${Number(start) - 1}`, nonce: 'reused' }));
      const lock = takeLock(path);
      expect(readOwner(path)?.pid).toBe(process.pid);
      lock.release();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('an older version’s bare-pid lock whose pid now belongs to a process started later is stale', () => {
    const dir = tempDir();
    const path = join(dir, 'lock');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path, String(sleeper.pid));
      expect(() => takeLock(path)).toThrow(LockHeldError); // written after the process started: held
      const hourAgo = Date.now() / 1000 - 3600;
      utimesSync(path, hourAgo, hourAgo); // written before the process started: its pid was reused
      takeLock(path).release();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('a lock from before the last boot is stale; one from another host is never judged', () => {
    const dir = tempDir();
    const path = join(dir, 'lock');
    writeFileSync(path, record({ pid: process.ppid, start: processStart(process.ppid), boot: 'another-boot' }));
    takeLock(path).release();
    writeFileSync(path, record({ pid: deadPid(), host: 'another-computer' }));
    expect(() => takeLock(path)).toThrow(/another-computer/);
  });

  it('release leaves a lock that is no longer ours alone', () => {
    const path = join(tempDir(), 'lock');
    const a = takeLock(path);
    const b = takeLock(path); // the same process takes over (a crash modelled in-process)
    a.release();
    expect(readOwner(path)?.nonce).toBe(b.owner.nonce);
    b.release();
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    ['process.exit(3)', 'process.exit(3)'],
    ['an uncaught error', 'throw new Error("boom")'],
  ])('is released when the holder ends by %s', async (_name, end) => {
    const path = join(tempDir(), 'lock');
    const script = `import { takeLock } from './src/core/fs/index.ts'; takeLock(${JSON.stringify(path)}); console.log('held'); ${end};`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.stdout).toContain('held'); // it really took the lock before it ended
    expect(r.status).not.toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it('waitForLock waits for a live holder to let go', async () => {
    const path = join(tempDir(), 'lock');
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { takeLock } from './src/core/fs/index.ts'; const l = takeLock(${JSON.stringify(path)}); console.log('held'); setTimeout(() => l.release(), 400);`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => holder.stdout.once('data', () => r()));
    let told: LockOwner | null = null;
    const lock = await waitForLock(path, { timeoutMs: 10_000, onWait: (o) => (told = o) });
    expect(told).toMatchObject({ pid: holder.pid });
    lock.release();
  });
});
