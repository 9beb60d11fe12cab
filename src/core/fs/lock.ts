/**
 * THE lock of the data folder (the outbox's, and any other single-owner file).
 *
 * Exclusive by atomic creation: the owner's record (pid, the process's start time and the
 * boot id from /proc where there is one, hostname, a random nonce, what it is) is written
 * to a temp file and fsync'ed, then `link()`ed into place. link fails if the name exists,
 * so there is never a moment where the lock exists but is empty or half-written.
 *
 * Staleness survives pid reuse: an owner is dead when its pid is gone, when the process
 * now wearing that pid started at another time (or, for an old pid-only lock, after the
 * lock was written), or when the machine booted since. A lock from another host is never
 * judged (we cannot see its processes) and counts as held.
 *
 * Taking over a dead owner's lock is itself exclusive: the taker must first create
 * `<lock>.break-<hash of the dead record>`; only that marker's holder may delete a lock
 * with exactly that record, and it re-reads the lock first. Two takers cannot both win:
 * after the dead record is gone they race on link() like anyone else.
 *
 * Within one process the lock is not re-entrant protection: a second take by the same
 * process takes it over (the composition root opens one outbox per account; tests model
 * a crash by abandoning one). The first holder's release() then leaves the new lock alone.
 *
 * Hand-written rather than proper-lockfile: that library judges staleness by an mtime
 * heartbeat (a suspended laptop or a blocked event loop loses the lock to another
 * process) and needs a timer in every holder; this needs neither.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { PRIVATE_FILE_MODE } from './atomic-write';

export interface LockOwner {
  v: 1;
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), or null. */
  start: string | null;
  /** /proc/sys/kernel/random/boot_id, or null. */
  boot: string | null;
  host: string;
  nonce: string;
  /** What holds it, for messages ("exist-tray sync", "Exist Tray app"). */
  what: string;
  at: number;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly path: string,
    readonly owner: LockOwner | null,
  ) {
    super(`${path} is held by ${owner ? `${owner.what} (pid ${owner.pid} on ${owner.host})` : 'another process'}.`);
  }
}

export interface HeldLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Deletes the lock if it is still ours. Idempotent. */
  release(): void;
}

let label = 'Exist Tray';
/** What this process calls itself in the locks it takes (set once by each entry point). */
export function setLockLabel(what: string): void {
  label = what;
}

function readText(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The start time (clock ticks since boot) of `pid`, or null where /proc does not say. */
export function processStart(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null; // field 22 overall; the fields after "(comm)" start at field 3
}

const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id');
const myStart = processStart(process.pid);
const held = new Map<string, HeldLock>(); // by nonce

function newOwner(): LockOwner {
  return {
    v: 1,
    pid: process.pid,
    start: myStart,
    boot: bootId(),
    host: hostname(),
    nonce: randomBytes(12).toString('hex'),
    what: label,
    at: Date.now(),
  };
}

/** Parses a lock's text: our record, or an older version's bare pid. */
export function parseOwner(raw: string): LockOwner | null {
  if (/^\d+$/.test(raw))
    return {
      v: 1,
      pid: Number(raw),
      start: null,
      boot: null,
      host: hostname(),
      nonce: `pid:${raw}`,
      what: 'an older Exist Tray',
      at: 0,
    };
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.nonce === 'string' && typeof o.host === 'string')
      return { v: 1, start: null, boot: null, what: 'another process', at: 0, ...o } as LockOwner;
  } catch {
    // not ours
  }
  return null;
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Boot time (epoch ms) and ticks per second, to date a process from /proc. */
function processStartedAfter(pid: number, epochMs: number): boolean {
  const start = processStart(pid);
  const btime = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '')?.[1];
  if (start === null || btime === undefined) return false;
  return Number(btime) * 1000 + (Number(start) / 100) * 1000 > epochMs + 2_000; // USER_HZ is 100 on Linux
}

/** Whether the owner recorded in `raw` (written at `mtimeMs`) is provably gone. */
export function ownerIsDead(raw: string, mtimeMs: number, now = Date.now()): boolean {
  const o = parseOwner(raw);
  if (o === null) return now - mtimeMs > 5_000; // unreadable: dead once clearly not being written
  if (o.host !== hostname()) return false;
  const boot = bootId();
  if (o.boot !== null && boot !== null && o.boot !== boot) return true;
  if (o.pid === process.pid) return true; // see the header: one process, one owner
  if (!pidRunning(o.pid)) return true;
  if (o.start !== null) {
    const current = processStart(o.pid);
    return current !== null && current !== o.start;
  }
  return processStartedAfter(o.pid, mtimeMs);
}

/** Creates `path` holding `owner` iff it does not exist (temp file + link). */
function linkInto(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.${owner.nonce}.tmp`;
  const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.writeFileSync(fd, JSON.stringify(owner));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    return createExclusive(path, owner); // a file system without hard links
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function createExclusive(path: string, owner: LockOwner): boolean {
  try {
    fs.writeFileSync(path, JSON.stringify(owner), { flag: 'wx', mode: PRIVATE_FILE_MODE });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readLock(path: string): { raw: string; mtimeMs: number } | null {
  try {
    const raw = fs.readFileSync(path, 'utf8');
    return { raw: raw.trim(), mtimeMs: fs.statSync(path).mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const hashOf = (raw: string): string => createHash('sha256').update(raw).digest('hex').slice(0, 16);

/**
 * Deletes `path` if it still holds the dead record `raw`, as the only holder of the
 * record's break marker. Returns false when another process is breaking it.
 */
function breakDead(path: string, raw: string, depth = 0): boolean {
  const marker = `${path}.break-${hashOf(raw)}`;
  const me = newOwner();
  if (!linkInto(marker, me)) {
    const m = readLock(marker);
    if (m && depth < 2 && ownerIsDead(m.raw, m.mtimeMs)) breakDead(marker, m.raw, depth + 1);
    return false;
  }
  try {
    const now = readLock(path);
    if (now && hashOf(now.raw) === hashOf(raw)) fs.rmSync(path, { force: true });
    return true;
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

function heldLock(path: string, owner: LockOwner): HeldLock {
  let released = false;
  const lock: HeldLock = {
    path,
    owner,
    release() {
      if (released) return;
      released = true;
      held.delete(owner.nonce);
      const now = readLock(path);
      if (now && parseOwner(now.raw)?.nonce === owner.nonce) fs.rmSync(path, { force: true });
    },
  };
  held.set(owner.nonce, lock);
  watchExit();
  return lock;
}

let exitHooked = false;
/** Every lock is released on every exit path that runs JavaScript (exit, process.exit, uncaught errors). */
function watchExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const l of [...held.values()]) l.release();
  });
}

/** Takes the lock at `path` now, taking over a dead owner's; throws `LockHeldError` when a live process holds it. */
export function takeLock(path: string): HeldLock {
  for (let attempt = 0; attempt < 8; attempt++) {
    const owner = newOwner();
    if (linkInto(path, owner)) return heldLock(path, owner);
    const cur = readLock(path);
    if (cur === null) continue;
    if (!ownerIsDead(cur.raw, cur.mtimeMs)) throw new LockHeldError(path, parseOwner(cur.raw));
    breakDead(path, cur.raw);
  }
  throw new LockHeldError(path, readOwner(path));
}

/** Who holds `path` now, or null. */
export function readOwner(path: string): LockOwner | null {
  const cur = readLock(path);
  return cur ? parseOwner(cur.raw) : null;
}

/** Takes the lock, waiting up to `timeoutMs` for a live holder to let go; `onWait` is told once. */
export async function waitForLock(
  path: string,
  opts: { timeoutMs: number; onWait?: (owner: LockOwner | null) => void },
): Promise<HeldLock> {
  const deadline = Date.now() + opts.timeoutMs;
  let step = 50;
  let told = false;
  for (;;) {
    try {
      return takeLock(path);
    } catch (e) {
      if (!(e instanceof LockHeldError) || Date.now() + step > deadline) throw e;
      if (!told) opts.onWait?.(e.owner);
      told = true;
    }
    await sleep(step);
    step = Math.min(step * 2, 500);
  }
}
