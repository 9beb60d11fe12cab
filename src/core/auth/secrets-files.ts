/**
 * Which secrets file each host uses in the shared data folder — never two formats at one path.
 *
 * - `secrets.json`: the tray app's, written only by electron-store (the `conf` format:
 *   `{"secrets": {"<key>": {"v":1,"enc":"safe-storage"|"plain","data":…}}}`), values
 *   encrypted with safeStorage. Only the app reads or writes it.
 * - `cli-secrets.json`: the plain hosts' (the CLI and the browser host, which cannot use
 *   safeStorage): a flat `{"<key>": "<value>"}` map, 0600 in a 0700 folder, written by
 *   core/fs's atomic writer under a short file lock so both hosts' processes can share it.
 *
 * Older versions had the CLI write its flat map to `secrets.json` too. `migratePlainSecrets`
 * moves those entries to `cli-secrets.json` (the whole file when it held only those), so no
 * account is lost and the app's file is left to the app. `checkAppSecretsFile` lets the app
 * start with a damaged `secrets.json`: the file is set aside once and the app is told why.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../ports';
import { ensurePrivateFile, setAside, writeFileAtomicSync } from '../fs';
import { createFileSecretStore } from './token-store';

export const APP_SECRETS_FILE = 'secrets.json';
export const PLAIN_SECRETS_FILE = 'cli-secrets.json';

function readJson(path: string): { ok: true; value: unknown } | { ok: false; reason: string } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Moves an older CLI's flat entries out of `secrets.json` into `cli-secrets.json`.
 * Returns a sentence when it moved something. Never touches a file it does not understand.
 */
export function migratePlainSecrets(dataDir: string): string | null {
  const plain = join(dataDir, PLAIN_SECRETS_FILE);
  const app = join(dataDir, APP_SECRETS_FILE);
  ensurePrivateFile(plain);
  if (existsSync(plain)) return null;
  const read = readJson(app);
  if (read === null || !read.ok || !isRecord(read.value)) return null;
  const flat = Object.entries(read.value).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (flat.length === 0) return null;
  writeFileAtomicSync(plain, `${JSON.stringify(Object.fromEntries(flat), null, 2)}\n`);
  if (flat.length === Object.keys(read.value).length) rmSync(app, { force: true });
  return `The command line's sign-in was moved from ${APP_SECRETS_FILE} (the app's file) to ${PLAIN_SECRETS_FILE}.`;
}

/** The plain hosts' secret store (after the migration above); `warnings` has its sentence, if any. */
export function openPlainSecretStore(dataDir: string): SecretStore & { warnings: string[] } {
  const moved = migratePlainSecrets(dataDir);
  const store = createFileSecretStore(join(dataDir, PLAIN_SECRETS_FILE));
  if (moved) store.warnings.push(moved); // the same live list a damaged file is reported in
  return store;
}

/**
 * For the app, before electron-store opens `secrets.json`: a file that is not a JSON
 * object is set aside (so electron-store starts empty instead of throwing) and the
 * returned sentence is shown as a notice. null when the file is fine or absent.
 */
export function checkAppSecretsFile(dataDir: string, now: number = Date.now()): string | null {
  const path = join(dataDir, APP_SECRETS_FILE);
  ensurePrivateFile(path);
  const read = readJson(path);
  if (read === null || (read.ok && isRecord(read.value))) return null;
  const reason = read.ok ? 'not a JSON object' : read.reason;
  return `${setAside(path, 'Your saved Exist sign-in', reason, now).message} Connect to Exist again.`;
}
