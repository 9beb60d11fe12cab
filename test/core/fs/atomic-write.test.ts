/** core/fs's atomic writer and serialiser on real files. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensurePrivateDir,
  ensurePrivateFile,
  serial,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../../src/core/fs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'exist-fs-atomic-'));
  dirs.push(d);
  return d;
};
const mode = (p: string) => statSync(p).mode & 0o777;

describe('writeFileAtomic', () => {
  it.each([
    ['async', (p: string, d: string) => writeFileAtomic(p, d)],
    ['sync', (p: string, d: string) => writeFileAtomicSync(p, d)],
  ])('(%s) writes 0600 files in 0700 folders it creates, and leaves no temp file', async (_n, write) => {
    const root = tempDir();
    const file = join(root, 'accounts', 'exist.io-alice', 'x.json');
    await write(file, 'one');
    await write(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(mode(file)).toBe(0o600);
    expect(mode(join(root, 'accounts'))).toBe(0o700);
    expect(mode(join(root, 'accounts', 'exist.io-alice'))).toBe(0o700);
    expect(readdirSync(join(root, 'accounts', 'exist.io-alice'))).toEqual(['x.json']);
  });

  it('tightens a folder and a file an older version left 0755 / 0644', () => {
    const root = tempDir();
    const dir = join(root, 'accounts');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'rate.json'), '{}', { mode: 0o644 });
    chmodSync(join(dir, 'rate.json'), 0o644);
    ensurePrivateDir(dir);
    ensurePrivateFile(join(dir, 'rate.json'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'rate.json'))).toBe(0o600);
  });
});

describe('serial', () => {
  it('runs in call order, one at a time, and a failure rejects only its caller', async () => {
    const run = serial();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      run(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 30), step('b', 1, true), step('c', 5)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
