import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/core/outbox/index';
import type { OutboxOp } from '../../../src/core/outbox/types';
import { FakeExist, fakeClock, tempDir } from './helpers';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** Runs the writer until it has acknowledged `killAfter` writes, then SIGKILLs it. */
function runAndKill(dir: string, killAfter: number, seed: number): Promise<{ id: string; op: OutboxOp }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, '150', String(seed)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (!killed && out.split('\n').length - 1 >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited (${code}) before being killed: ${err}`));
        return;
      }
      // Only complete lines: a line cut by the kill was never fully printed.
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.map((l) => JSON.parse(l) as { id: string; op: OutboxOp }));
    });
  });
}

describe('kill -9', () => {
  it('loses no acknowledged enqueue when the writer is killed at random points', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const acknowledged = new Map<string, OutboxOp>();
    for (let round = 0; round < 5; round++) {
      const killAfter = 20 + Math.floor(Math.random() * 400);
      const printed = await runAndKill(dir, killAfter, round + 1);
      expect(printed.length).toBeGreaterThanOrEqual(killAfter);
      for (const p of printed) {
        expect(acknowledged.has(p.id)).toBe(false); // ids are never reused
        acknowledged.set(p.id, p.op);
      }
      const outbox = await createOutbox({ dir, api: new FakeExist().api(), clock: fakeClock() });
      const replayed = new Map(outbox.pending().map((i) => [i.id, i.op]));
      for (const [id, op] of acknowledged) expect(replayed.get(id)).toEqual(op);
      await outbox.close();
    }
  }, 120_000);
});
