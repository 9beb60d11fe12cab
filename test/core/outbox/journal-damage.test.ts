/**
 * The journal on real files (issue 12): two processes that once appended the same id
 * (older versions) lose neither write — the duplicate is kept and reported; a damaged
 * line is copied aside ONCE, not on every later run.
 */
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/core/outbox';
import { FakeExist, fakeClock, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const enq = (id: string, seq: number, delta: number) =>
  JSON.stringify({
    t: 'enq',
    at: 1,
    id,
    seq,
    op: { kind: 'increment', name: 'pages_read', date: '2024-01-01', delta },
  });

async function open(dir: string) {
  const exist = new FakeExist();
  const outbox = await createOutbox({
    dir,
    probeWithZeroIncrement: false,
    api: exist.api({ withRead: false }),
    clock: fakeClock(),
    random: () => 0.5,
  });
  return { outbox, exist };
}

describe('journal replay', () => {
  it('two writes with the same id (two processes appended at once): both kept, and reported', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, 'outbox'), { recursive: true });
    writeFileSync(join(dir, 'outbox', 'journal.jsonl'), `${enq('o1', 1, 2)}\n${enq('o1', 1, 5)}\n`);
    const { outbox } = await open(dir);
    expect(outbox.pending().map((p) => p.op)).toEqual([
      expect.objectContaining({ delta: 2 }),
      expect.objectContaining({ delta: 5 }),
    ]);
    expect(outbox.warnings).toEqual([expect.stringMatching(/same id o1.*both are kept/)]);
    await outbox.close();
  });

  it('a damaged line: copied aside once, and the next run neither copies nor warns again', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, 'outbox'), { recursive: true });
    const file = join(dir, 'outbox', 'journal.jsonl');
    writeFileSync(file, `${enq('o1', 1, 2)}\n`);
    appendFileSync(file, '{"t":"enq", garbage\n');
    appendFileSync(file, `${enq('o2', 2, 3)}\n`);
    const copies = () => readdirSync(join(dir, 'outbox')).filter((n) => n.includes('.corrupt-'));

    const first = await open(dir);
    expect(first.outbox.pending()).toHaveLength(2);
    expect(first.outbox.warnings.join(' ')).toMatch(/unreadable journal line.*kept at .*journal\.jsonl\.corrupt-/);
    await first.outbox.close();
    expect(copies()).toHaveLength(1);

    for (let run = 0; run < 3; run++) {
      const again = await open(dir);
      expect(again.outbox.pending()).toHaveLength(2);
      expect(again.outbox.warnings).toEqual([]);
      await again.outbox.close();
    }
    expect(copies()).toHaveLength(1);
  });
});
