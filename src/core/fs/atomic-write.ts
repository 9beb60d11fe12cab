/**
 * The one atomic writer of the data folder. A write goes to a temp file in the target's
 * own folder (so the rename never crosses file systems), is fsync'ed, renamed over the
 * target, and the folder is fsync'ed: a crash leaves the old file or the new one, never a
 * torn one. Files are 0600 and folders 0700 (the folder names carry the username), and
 * folders found looser are tightened (`ensurePrivateDir`).
 *
 * The write goes through an injectable `AtomicFs` so a test can make it fail like a full
 * disk (ENOSPC) without filling one.
 */
import { randomBytes } from 'node:crypto';
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** The file operations the writer needs; `nodeAtomicFs` in production, a failing one in tests. */
export interface AtomicFs {
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
}

const tempName = (path: string): string => `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
const isWindows = process.platform === 'win32';

/** Creates `dir` (and parents) 0700; a folder that already exists is tightened to 0700. */
export function ensurePrivateDir(dir: string): void {
  fsSync.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (isWindows) return;
  const st = fsSync.statSync(dir);
  if ((st.mode & 0o777) !== PRIVATE_DIR_MODE && st.uid === process.getuid?.()) fsSync.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** `ensurePrivateDir` for `dir` and every folder between `root` and it (e.g. data dir → accounts → one account). */
export function ensurePrivatePath(root: string, dir: string): void {
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) return ensurePrivateDir(dir);
  let at = root;
  ensurePrivateDir(at);
  for (const part of rel.split(sep).filter(Boolean)) ensurePrivateDir((at = join(at, part)));
}

/** Tightens an existing file of ours to 0600 (a file left 0644 by an older version). */
export function ensurePrivateFile(path: string): void {
  if (isWindows) return;
  try {
    const st = fsSync.statSync(path);
    if (st.isFile() && (st.mode & 0o777) !== PRIVATE_FILE_MODE && st.uid === process.getuid?.())
      fsSync.chmodSync(path, PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    // Not supported everywhere (Windows); the rename is still atomic.
  }
}

function fsyncDirSync(dir: string): void {
  try {
    const fd = fsSync.openSync(dir, 'r');
    try {
      fsSync.fsyncSync(fd);
    } finally {
      fsSync.closeSync(fd);
    }
  } catch {
    // As above.
  }
}

/** The real thing: temp (0600) + fsync + rename + fsync of the folder. */
export const nodeAtomicFs: AtomicFs = {
  async writeFile(path, data) {
    const dir = dirname(path);
    ensurePrivateDir(dir);
    const tmp = tempName(path);
    try {
      const fh = await fs.open(tmp, 'wx', PRIVATE_FILE_MODE);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, path);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
    await fsyncDir(dir);
  },
};

/** Atomic, owner-only write of `data` to `path` (see the module header). */
export function writeFileAtomic(path: string, data: string | Uint8Array, io: AtomicFs = nodeAtomicFs): Promise<void> {
  return io.writeFile(path, data);
}

/** The same, synchronously (for stores that must persist before returning, e.g. the rate budget). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  const tmp = tempName(path);
  try {
    const fd = fsSync.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      fsSync.writeFileSync(fd, data);
      fsSync.fsyncSync(fd);
    } finally {
      fsSync.closeSync(fd);
    }
    fsSync.renameSync(tmp, path);
  } catch (e) {
    fsSync.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDirSync(dir);
}
