/**
 * Where the CLI → app socket may live, and the checks that make it the user's own:
 * another local user must not be able to pre-create the folder (and answer the CLI in
 * the app's place) or swap the socket.
 *
 * - The folder: `$XDG_RUNTIME_DIR/exist-tray/` (Linux; `/run/user/<uid>` when the
 *   variable is unset, e.g. under cron, so the CLI and the app agree), else
 *   `<tmpdir>/exist-tray-<uid>/` (macOS' tmpdir is already per user). The app creates it
 *   0700; before use both sides check with lstat that it is a real directory (no
 *   symlink), owned by this uid, with no group/other bits — and refuse, never chmod or
 *   reuse, a folder that fails (someone else made it).
 * - The socket: `<hash of the data folder>.sock` inside it; the CLI checks that it is a
 *   socket owned by this uid before sending anything.
 *
 * The checks take an injectable `lstat` and `uid` for platforms without ownership
 * (Windows named pipes use the OS default ACL and skip all of this).
 */
import { existsSync, promises as fs, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors';

export interface OwnershipPorts {
  lstat?: (path: string) => Promise<Pick<Stats, 'uid' | 'mode' | 'isDirectory' | 'isSocket' | 'isSymbolicLink'>>;
  uid?: number;
}

const myUid = (ports: OwnershipPorts) => ports.uid ?? process.getuid?.() ?? -1;

export interface RuntimeDirEnv {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  tmp?: string;
}

/** The per-user folder for the socket (not yet checked). */
export function runtimeDir(o: RuntimeDirEnv = {}): string {
  const env = o.env ?? process.env;
  const uid = o.uid ?? process.getuid?.() ?? 0;
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'exist-tray');
  const platform = o.platform ?? process.platform;
  if (platform === 'linux' && o.tmp === undefined && existsSync(`/run/user/${uid}`))
    return join(`/run/user/${uid}`, 'exist-tray');
  return join(o.tmp ?? tmpdir(), `exist-tray-${uid}`);
}

/** Why `dir` is not private to this user, or null when it is. */
async function problemWith(dir: string, ports: OwnershipPorts): Promise<string | null> {
  const st = await (ports.lstat ?? fs.lstat)(dir);
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a folder`;
  const uid = myUid(ports);
  if (st.uid !== uid) return `${dir} belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o077) !== 0) return `${dir} can be used by other users (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

const refuse = (problem: string) =>
  new UserError(
    'unsafe-socket-folder',
    `Refusing the app socket folder: ${problem}. Remove it (or fix its owner and set mode 700) and try again.`,
  );

/**
 * Creates `dir` 0700 if missing (its parent must exist and, for XDG_RUNTIME_DIR, be
 * private too), then verifies it. Throws a UserError saying why when it is not private.
 */
export async function ensurePrivateDir(dir: string, ports: OwnershipPorts = {}): Promise<void> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    } else if (code !== 'EEXIST') throw e;
  }
  const problem = await problemWith(dir, ports);
  if (problem) throw refuse(problem);
}

/**
 * Before the CLI sends: 'absent' (no app listening: no folder or no socket), 'ok', or a
 * UserError saying why the folder or socket is not this user's.
 */
export async function checkSocketOwner(
  socketPath: string,
  dir: string,
  ports: OwnershipPorts = {},
): Promise<'absent' | 'ok' | UserError> {
  const lstat = ports.lstat ?? fs.lstat;
  try {
    const problem = await problemWith(dir, ports);
    if (problem) return refuse(problem);
    const st = await lstat(socketPath);
    if (!st.isSocket()) return new UserError('unsafe-socket', `Refusing ${socketPath}: it is not a socket.`);
    if (st.uid !== myUid(ports))
      return new UserError(
        'unsafe-socket',
        `Refusing ${socketPath}: it belongs to another user (uid ${st.uid}), not to the Exist Tray you run. Nothing was sent.`,
      );
    return 'ok';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
}
