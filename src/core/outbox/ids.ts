/**
 * Outbox item ids, and what replay does with a duplicate one.
 *
 * An id is `o<counter>-<process tag>`: the counter keeps them short and ordered, the
 * random tag (new in every process) makes two processes' ids differ even if both ever
 * appended at once (the exclusive lock in core/fs prevents that; older versions did not).
 * `idNumber` in state.ts reads the counter and ignores the tag.
 *
 * A duplicate id at replay is never dropped silently: the later write is kept under a
 * derived id (`<id>~dup<n>`, the same on every replay, so later records agree) and a
 * warning says so. Only an exact copy of the same record is counted once, and reported.
 */
import { randomBytes } from 'node:crypto';
import type { JournalRecord } from './records';

const PROCESS_TAG = randomBytes(3).toString('hex');

export const newItemId = (counter: number): string => `o${counter}-${PROCESS_TAG}`;

/** Renames duplicate enqueue ids (see the header); appends one warning per duplicate to `warnings`. */
export function keepDuplicates(records: JournalRecord[], warnings: string[]): JournalRecord[] {
  const seen = new Map<string, string>();
  const out: JournalRecord[] = [];
  for (const rec of records) {
    if (rec.t !== 'enq') {
      out.push(rec);
      continue;
    }
    const text = JSON.stringify(rec);
    const first = seen.get(rec.id);
    if (first === undefined) {
      seen.set(rec.id, text);
      out.push(rec);
    } else if (first === text) {
      warnings.push(`The outbox journal held write ${rec.id} twice, identically; it is counted once.`);
    } else {
      let n = 1;
      while (seen.has(`${rec.id}~dup${n}`)) n++;
      const id = `${rec.id}~dup${n}`;
      seen.set(id, text);
      out.push({ ...rec, id });
      warnings.push(
        `Two queued writes had the same id ${rec.id} (written by two processes at once); both are kept, the second as ${id}. Check \`exist-tray pending\`.`,
      );
    }
  }
  return out;
}
