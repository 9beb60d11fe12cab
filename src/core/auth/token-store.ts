/**
 * Where the connected account (tokens, client ID and secret, cached profile) lives.
 * The app backs it with safeStorage through `SecretStore`; the CLI with an owner-only
 * file. Loads are validated: a corrupt record is set aside (never silently lost) and
 * reported with a clear error. Writes go through core/fs's one atomic writer.
 */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import type { Profile } from '../../shared/domain';
import type { SecretStore } from '../ports';
import { storedProfileSchema } from '../exist/schemas';
import { nodeAtomicFs, serial, writeFileAtomic, type AtomicFs } from '../fs';

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

async function setAside(path: string, now: () => number): Promise<string> {
  const aside = `${path}.corrupt-${now()}`;
  await fs.rename(path, aside);
  return aside;
}

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
        const aside = await setAside(path, now);
        throw new AccountStoreError(
          'corrupt',
          `The saved Exist account in ${path} could not be read (${p.reason}). It was kept as ${aside}; connect to Exist again.`,
          aside,
        );
      }),
    save: (a) => run(() => writeFileAtomic(path, `${validateForSave(a)}\n`, io)),
    clear: () => run(() => fs.rm(path, { force: true })),
  };
}

const secretFileSchema = z.record(z.string(), z.string());

/** A `SecretStore` in one owner-only JSON file (for the CLI, where safeStorage is not available). */
export function createFileSecretStore(path: string, opts: { now?: () => number; io?: AtomicFs } = {}): SecretStore {
  const now = opts.now ?? Date.now;
  const io = opts.io ?? nodeAtomicFs;
  const run = serial();
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
    const aside = await setAside(path, now);
    throw new AccountStoreError(
      'corrupt',
      `The secrets file ${path} could not be read. It was kept as ${aside}.`,
      aside,
    );
  }
  return {
    get: (key) => run(async () => (await readAll())[key]),
    set: (key, value) =>
      run(async () => {
        const all = await readAll();
        all[key] = value;
        await writeFileAtomic(path, `${JSON.stringify(all, null, 2)}\n`, io);
      }),
    delete: (key) =>
      run(async () => {
        const all = await readAll();
        if (!(key in all)) return;
        delete all[key];
        await writeFileAtomic(path, `${JSON.stringify(all, null, 2)}\n`, io);
      }),
  };
}
