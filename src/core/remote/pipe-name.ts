/**
 * The Windows named pipe's name (issue 14). On Unix the socket is protected by its private
 * folder and the CLI's owner check (./private-dir.ts); a pipe has neither: its name lives in
 * one machine-wide namespace, and Node can neither set its ACL nor ask who serves it. A name
 * derived from the data folder's path alone could be created first by another local user,
 * who would then answer the CLI in the app's place. So the name also hashes a random key
 * kept in the data folder (`pipe-name.key`), which only this user can read (the profile's
 * ACL guards %APPDATA%): another user cannot compute the name before the app creates it.
 *
 * Decisions:
 * - The key is created once, by whichever of the app or the CLI needs it first, published
 *   with an atomic `link()` (so the other side never reads half a key, and of two creators
 *   one wins and both then read the winner's).
 * - No data folder, or a key that cannot be read or made: a random name nobody listens on,
 *   so the CLI finds no app and keeps the command in its own outbox (never a guessable name).
 * - What is left (ARCHITECTURE, local surfaces): while the app runs, its pipe's name can be
 *   listed by anyone (`\\.\pipe\` is enumerable); after the app quits another user could
 *   create that name until the app starts again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PIPE_KEY_FILE = 'pipe-name.key';
const KEY = /^[0-9a-f]{32}$/;

function readKey(path: string): string | null {
  try {
    const k = readFileSync(path, 'utf8').trim();
    return KEY.test(k) ? k : null;
  } catch {
    return null;
  }
}

/** The data folder's pipe key, created if missing; null when there is no folder or it is unusable. */
export function pipeKey(dataDir: string): string | null {
  const path = join(dataDir, PIPE_KEY_FILE);
  const existing = readKey(path);
  if (existing) return existing;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${randomBytes(16).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, path); // fails if another process published its key first: then read that one
    } catch {
      /* EEXIST: the other side won */
    }
  } catch {
    return null; // no data folder (nothing ever ran here) or not writable
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
  return readKey(path);
}

/** `\\.\pipe\exist-tray-<16 hex>`: from the data folder's path AND its key. */
export function windowsPipeName(dataDir: string): string {
  const key = pipeKey(dataDir);
  const id = key
    ? createHash('sha256').update(`${dataDir}\0${key}`).digest('hex').slice(0, 16)
    : randomBytes(8).toString('hex');
  return `\\\\.\\pipe\\exist-tray-${id}`;
}
