/**
 * Where the connected account (tokens, client ID and secret, cached profile) lives.
 * The app backs it with safeStorage through `SecretStore`; the CLI with an owner-only
 * file. Loads are validated: a corrupt record is set aside (never silently lost) and
 * reported with a clear error. Writes go through core/fs's one atomic writer.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Profile } from '../../shared/domain';
import type { Clock, SecretStore } from '../ports';
import { storedProfileSchema } from '../exist/schemas';
import { ensurePrivateDir, nodeAtomicFs, serial, setAside, waitForLock, writeFileAtomic, type AtomicFs } from '../fs';

export interface StoredAccount {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  /** Granted scopes. */
  scope: string[];
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms when this token pair was obtained (lifetime = expiresAt - obtainedAt). */
  obtainedAt: number;
  status: 'connected' | 'needs-reconnect';
  profile: Profile | null;
  profileFetchedAt?: number;
}

export const storedAccountSchema = z.object({
  baseUrl: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  scope: z.array(z.string()),
  expiresAt: z.number().finite(),
  obtainedAt: z.number().finite(),
  status: z.enum(['connected', 'needs-reconnect']),
  profile: storedProfileSchema.nullable(),
  profileFetchedAt: z.number().finite().optional(),
}) satisfies z.ZodType<StoredAccount>;

export interface AccountStore {
  /** The account, or null when none is stored. Throws `AccountStoreError('corrupt')` after setting a bad record aside. */
  load(): Promise<StoredAccount | null>;
  save(a: StoredAccount): Promise<void>;
  clear(): Promise<void>;
}

export class AccountStoreError extends Error {
  override readonly name = 'AccountStoreError';
  constructor(
    readonly code: 'corrupt' | 'io',
    message: string,
    /** Where the unreadable record was kept (file path or secret key). */
    readonly keptAs?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const DEFAULT_ACCOUNT_KEY = 'exist-account';

function parseAccount(raw: string): { ok: true; account: StoredAccount } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = storedAccountSchema.safeParse(json);
  if (r.success) return { ok: true, account: r.data };
  const i = r.error.issues[0];
  return { ok: false, reason: i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid' };
}

function validateForSave(a: StoredAccount): string {
  const r = storedAccountSchema.safeParse(a);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new TypeError(`Refusing to save an invalid account (${i ? i.path.join('.') : 'invalid'}).`);
  }
  return JSON.stringify(r.data, null, 2);
}

/** The account as JSON under one secret key (the app's SecretStore is safeStorage-encrypted). */
export function createSecretAccountStore(
  secrets: SecretStore,
  opts: { key?: string; now?: () => number } = {},
): AccountStore {
  const key = opts.key ?? DEFAULT_ACCOUNT_KEY;
  const now = opts.now ?? Date.now;
  const run = serial();
  return {
    load: () =>
      run(async () => {
        const raw = await secrets.get(key);
        if (raw === undefined) return null;
        const p = parseAccount(raw);
        if (p.ok) return p.account;
        const aside = `${key}.corrupt-${now()}`;
        await secrets.set(aside, raw);
        await secrets.delete(key);
        throw new AccountStoreError(
          'corrupt',
          `The saved Exist account could not be read (${p.reason}). It was kept aside as "${aside}"; connect to Exist again.`,
          aside,
        );
      }),
    save: (a) => run(() => secrets.set(key, validateForSave(a))),
    clear: () => run(() => secrets.delete(key)),
  };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new AccountStoreError(
      'io',
      `Could not read ${path} (${(e as { code?: string }).code ?? 'error'}).`,
      undefined,
      { cause: e },
    );
  }
}

const keepAside = (path: string, what: string, reason: string, now: () => number) =>
  setAside(path, what, reason, now());

/** The CLI's account file (0600 in a 0700 folder), atomic writes. */
export function createFileAccountStore(path: string, opts: { now?: () => number; io?: AtomicFs } = {}): AccountStore {
  const now = opts.now ?? Date.now;
  const io = opts.io ?? nodeAtomicFs;
  const run = serial();
  return {
    load: () =>
      run(async () => {
        const raw = await readIfExists(path);
        if (raw === undefined) return null;
        const p = parseAccount(raw);
        if (p.ok) return p.account;
        const { keptAs, message } = keepAside(path, 'The saved Exist account', p.reason, now);
        throw new AccountStoreError('corrupt', `${message} Connect to Exist again.`, keptAs);
      }),
    save: (a) => run(() => writeFileAtomic(path, `${validateForSave(a)}\n`, io)),
    clear: () => run(() => fs.rm(path, { force: true })),
  };
}

const secretFileSchema = z.record(z.string(), z.string());

/**
 * A `SecretStore` in one owner-only JSON file (for the CLI and the browser host, where
 * safeStorage is not available). Changes are read-modify-writes under `<file>.lock`
 * (core/fs), so several processes sharing the file never lose each other's keys. A
 * damaged file is set aside once; the sentence is in `warnings`.
 */
export function createFileSecretStore(
  path: string,
  opts: { now?: () => number; io?: AtomicFs } = {},
): SecretStore & { warnings: string[] } {
  const now = opts.now ?? Date.now;
  const io = opts.io ?? nodeAtomicFs;
  const run = serial();
  const warnings: string[] = [];
  const locked = async (fn: (all: Record<string, string>) => boolean): Promise<void> => {
    ensurePrivateDir(dirname(path));
    const lock = await waitForLock(`${path}.lock`, { timeoutMs: 10_000 });
    try {
      const all = await readAll();
      if (fn(all)) await writeFileAtomic(path, `${JSON.stringify(all, null, 2)}\n`, io);
    } finally {
      lock.release();
    }
  };
  async function readAll(): Promise<Record<string, string>> {
    const raw = await readIfExists(path);
    if (raw === undefined) return {};
    let parsed: z.ZodSafeParseResult<Record<string, string>> | undefined;
    try {
      parsed = secretFileSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) return parsed.data;
    const { keptAs, message } = keepAside(path, 'The saved sign-in', parsed ? 'not a map of strings' : 'not JSON', now);
    warnings.push(`${message} Run \`exist-tray login\` again.`);
    throw new AccountStoreError('corrupt', message, keptAs);
  }
  return {
    warnings,
    get: (key) => run(async () => (await readAll())[key]),
    set: (key, value) =>
      run(() =>
        locked((all) => {
          all[key] = value;
          return true;
        }),
      ),
    delete: (key) => run(() => locked((all) => key in all && delete all[key])),
  };
}

/**
 * An account store that never throws a token pair away. Exist invalidates the old pair
 * when it hands out a new one, so a new pair that cannot be written (disk full, keyring
 * locked) is kept in memory: `load` returns it, the save is retried with back-off, and
 * `onProblem` tells the user once (and with null once it is on disk).
 */
export function keepUnsavedAccount(
  inner: AccountStore,
  opts: { clock: Clock; onProblem(message: string | null): void; retryMs?: number },
): AccountStore {
  const first = opts.retryMs ?? 5_000;
  let unsaved: StoredAccount | null = null;
  let cancel: (() => void) | null = null;
  let delay = first;
  const stopRetry = () => {
    cancel?.();
    cancel = null;
  };
  const attempt = async (a: StoredAccount): Promise<void> => {
    try {
      await inner.save(a);
    } catch (e) {
      if (e instanceof TypeError) throw e; // an invalid account: a bug, not the disk
      if (unsaved === null) opts.onProblem(unsavedMessage(e));
      unsaved = a;
      stopRetry();
      cancel = opts.clock.setTimeout(() => void attempt(a), delay);
      delay = Math.min(delay * 2, 10 * 60_000);
      return;
    }
    if (unsaved !== null) opts.onProblem(null);
    unsaved = null;
    delay = first;
  };
  return {
    load: async () => unsaved ?? inner.load(),
    save: (a) => {
      stopRetry();
      return attempt(a);
    },
    clear: async () => {
      stopRetry();
      unsaved = null;
      await inner.clear();
    },
  };
}

const unsavedMessage = (e: unknown): string => {
  const code = (e as { code?: string }).code;
  const why = code === 'ENOSPC' ? 'the disk is full' : e instanceof Error ? e.message : String(e);
  return `Your renewed Exist sign-in could not be saved (${why}). It is kept in memory and saving is retried; free some space and keep Exist Tray running until this clears.`;
};
