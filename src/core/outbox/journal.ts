import { constants as fsc, readdirSync } from 'node:fs';
import { copyFile, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ensurePrivateDir,
  ensurePrivateFile,
  LockHeldError,
  takeLock as takeFileLock,
  writeFileAtomic,
  type LockOwner,
} from '../fs';

/**
 * An append-only JSON-lines journal with group commit: `append` resolves only after
 * the line is written and fdatasync'ed, so an acknowledged record survives kill -9 and
 * power loss. Concurrent appends share one write and one fsync. Compaction replaces the
 * file with one snapshot line (core/fs's atomic writer) while the journal is idle, so the
 * snapshot always matches everything appended before it.
 *
 * Damaged lines are copied aside once and dropped from the journal (rewritten with the
 * good lines only), so the next run neither warns again nor makes another copy.
 * One process appends at a time: `takeLock` is core/fs's exclusive lock.
 */
export interface Journal {
  append(record: object): Promise<void>;
  /** Records appended since the last compaction (or open). */
  readonly recordsSinceCompaction: number;
  /** Replaces the file with `snapshot()` (called when no write is pending). Resolves when done. */
  compact(snapshot: () => object): Promise<void>;
  /** Set once a write failed: the journal refuses further appends (reopen to recover). */
  readonly broken: Error | null;
  /** Waits for queued writes, then closes the file. */
  close(): Promise<void>;
}

export interface ReplayResult<R> {
  records: R[];
  warnings: string[];
}

const JOURNAL = 'journal.jsonl';

/** Reads the journal in `dir` (tolerating a torn last line), then opens it for appends. */
export async function openJournal<R>(
  dir: string,
  parse: (raw: unknown) => R | string,
  now: () => number,
): Promise<{ journal: Journal; replay: ReplayResult<R> }> {
  ensurePrivateDir(dir);
  const file = join(dir, JOURNAL);
  for (const name of readdirSync(dir)) ensurePrivateFile(join(dir, name)); // an older version's 0644 journal and rate file
  const replay = await readAndRepair(dir, file, parse, now);
  let fh = await open(file, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o600);
  await fsyncDir(dir);

  let queue: { data: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  let running = false;
  let broken: Error | null = null;
  let closed = false;
  let since = replay.records.length;
  let compactReq: { snapshot: () => object; resolve: () => void; reject: (e: Error) => void }[] = [];
  let idleWaiters: (() => void)[] = [];

  const fail = (e: Error): void => {
    broken = e;
    const q = queue;
    queue = [];
    for (const w of q) w.reject(e);
  };

  const loop = async (): Promise<void> => {
    running = true;
    try {
      for (;;) {
        if (queue.length > 0) {
          const batch = queue;
          queue = [];
          try {
            await writeAll(fh, batch.map((b) => b.data).join(''));
            await fh.datasync();
          } catch (e) {
            const err = new Error(`Could not save the outbox journal: ${(e as Error).message}`);
            for (const w of batch) w.reject(err);
            fail(err);
            break;
          }
          for (const w of batch) w.resolve();
          continue;
        }
        if (compactReq.length > 0 && !broken) {
          const reqs = compactReq;
          compactReq = [];
          // Called synchronously while nothing is queued: the snapshot equals the file's content.
          const line = `${JSON.stringify(reqs[0]!.snapshot())}\n`;
          try {
            await writeFileAtomic(file, line);
            await fh.close().catch(() => undefined);
            fh = await open(file, fsc.O_WRONLY | fsc.O_APPEND, 0o600);
            since = 1;
            for (const r of reqs) r.resolve();
          } catch (e) {
            // The old file is intact unless the rename happened; reopen whichever is current.
            try {
              await fh.close().catch(() => undefined);
              fh = await open(file, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o600);
            } catch (e2) {
              fail(new Error(`Could not reopen the outbox journal: ${(e2 as Error).message}`));
            }
            for (const r of reqs) r.reject(e as Error);
          }
          continue;
        }
        break;
      }
    } finally {
      running = false;
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  };

  const kick = (): void => {
    if (!running) void loop();
  };

  const journal: Journal = {
    append(record) {
      if (broken) return Promise.reject(broken);
      if (closed) return Promise.reject(new Error('The outbox is closed.'));
      since++;
      return new Promise<void>((resolve, reject) => {
        queue.push({ data: `${JSON.stringify(record)}\n`, resolve, reject });
        kick();
      });
    },
    get recordsSinceCompaction() {
      return since;
    },
    get broken() {
      return broken;
    },
    compact(snapshot) {
      if (broken) return Promise.reject(broken);
      return new Promise<void>((resolve, reject) => {
        compactReq.push({ snapshot, resolve, reject });
        kick();
      });
    },
    async close() {
      closed = true;
      if (running) await new Promise<void>((r) => idleWaiters.push(r));
      await fh.close().catch(() => undefined);
    },
  };
  return { journal, replay };
}

async function readAndRepair<R>(
  dir: string,
  file: string,
  parse: (raw: unknown) => R | string,
  now: () => number,
): Promise<ReplayResult<R>> {
  const warnings: string[] = [];
  await rm(`${file}.tmp`, { force: true }).catch(() => undefined);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], warnings };
    throw e;
  }
  const records: R[] = [];
  const good: string[] = [];
  let corrupt = false;
  let start = 0;
  let tornAt = -1;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    const text = buf.toString('utf8', start, end).trim();
    if (text !== '') {
      let raw: unknown;
      let ok = true;
      try {
        raw = JSON.parse(text);
      } catch {
        ok = false;
      }
      if (!ok && nl === -1) {
        // A torn last line: its write never finished, so nobody was told it succeeded.
        tornAt = start;
        warnings.push('Ignored an incomplete last journal record (interrupted write).');
      } else if (!ok) {
        corrupt = true;
        warnings.push(`Skipped an unreadable journal line at byte ${start}.`);
      } else {
        const r = parse(raw);
        if (typeof r === 'string') {
          corrupt = true;
          warnings.push(`Skipped an invalid journal record at byte ${start}: ${r}`);
        } else {
          records.push(r);
          good.push(text);
        }
      }
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  if (corrupt) {
    // Keep the original bytes for a human; never silently throw data away.
    const copy = join(dir, `${JOURNAL}.corrupt-${now()}`);
    await copyFile(file, copy);
    await writeFileAtomic(file, good.map((l) => `${l}\n`).join(''));
    warnings.push(`A copy of the damaged journal was kept at ${copy}; the journal goes on with its readable records.`);
    return { records, warnings };
  }
  if (tornAt >= 0 || (buf.length > 0 && buf[buf.length - 1] !== 0x0a)) {
    const fh = await open(file, 'r+');
    try {
      if (tornAt >= 0) await fh.truncate(tornAt);
      else await fh.write('\n', buf.length);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  return { records, warnings };
}

async function writeAll(fh: FileHandle, text: string): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off);
    off += bytesWritten;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // Not supported on every platform (Windows); the file fsyncs still hold.
  }
}

/** Thrown when another live process holds the outbox. */
export class OutboxLockedError extends Error {
  override readonly name = 'OutboxLockedError';
  constructor(
    readonly pid: number,
    readonly owner: LockOwner | null = null,
  ) {
    super(
      `Another Exist Tray process (${owner ? `${owner.what}, ` : ''}pid ${pid}) is using the outbox; close it first or let it send the writes.`,
    );
  }
}

/**
 * Takes `<dir>/lock` for this process (core/fs's exclusive lock): two processes appending
 * to one journal would each send the other's writes. A dead owner's lock is taken over.
 * Returns the release function.
 */
export function takeLock(dir: string): () => void {
  try {
    const lock = takeFileLock(join(dir, 'lock'));
    return () => lock.release();
  } catch (e) {
    if (e instanceof LockHeldError) throw new OutboxLockedError(e.owner?.pid ?? 0, e.owner);
    throw e;
  }
}
