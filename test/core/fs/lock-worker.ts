/**
 * A child process for lock.test.ts: takes the outbox lock of `dir` (journal.ts's takeLock,
 * the same entry point before and after core/fs) `rounds` times, and in each holds it
 * while doing a read-modify-write of `<dir>/counter` with a pause in the middle. Lost
 * updates in the counter mean two processes held the lock at once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeLock } from '../../../src/core/outbox/journal';

const [dir, roundsArg] = process.argv.slice(2) as [string, string];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acquire(): Promise<() => void> {
  for (;;) {
    try {
      return takeLock(dir);
    } catch (e) {
      if ((e as Error).name !== 'OutboxLockedError') throw e;
      await pause(1 + Math.random() * 3);
    }
  }
}

for (let i = 0; i < Number(roundsArg); i++) {
  const release = await acquire();
  const file = join(dir, 'counter');
  const n = Number(readFileSync(file, 'utf8'));
  await pause(2);
  writeFileSync(file, String(n + 1));
  release();
}
process.stdout.write('done\n');
