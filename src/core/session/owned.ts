/**
 * The attributes one account's app owns in Exist: the in-memory list, its cache file
 * (owned.json, which the CLI also reads) and the one-at-a-time refresh. Owned by the
 * AccountSession; the attributes service only asks it.
 *
 * The cache belongs to the account's identity (server kind + user, `accountKey`), not to
 * a URL: the embedded sandbox listens on a new port every run, and a cache keyed by the
 * URL was lost on the second restart ("Nothing to track yet"). Files from older versions
 * carry only `baseUrl`; they match the account at that URL until the next fetch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Attribute } from '../../shared/domain';
import type { StoredAccount } from '../auth';
import { writeFileAtomic } from '../fs';
import { UserError } from '../errors';
import type { ExistClient } from '../exist/client';
import { attributeSchema } from '../exist/schemas';

export interface OwnedCache {
  /** The account's identity (`accountKey`); absent in files from older versions. */
  account?: string;
  baseUrl: string;
  fetchedAt: number;
  attributes: Attribute[];
}

/** owned.json is a cache of Exist's answer: checked like one, and simply refetched when it does not pass. */
const ownedCacheSchema = z.object({
  account: z.string().optional(),
  baseUrl: z.string(),
  fetchedAt: z.number(),
  attributes: z.array(attributeSchema),
});

/** Whether `cache` is this account's (by identity; by URL for an older file). */
function fits(cache: OwnedCache | null, identity: string, baseUrl: string): cache is OwnedCache {
  if (cache === null) return false;
  return cache.account !== undefined ? cache.account === identity : cache.baseUrl === baseUrl;
}

/** The cache file of the data folder's (first) account. */
export const ownedCachePath = (dataDir: string): string => join(dataDir, 'owned.json');

function readOwnedCacheFile(path: string): OwnedCache | null {
  try {
    const parsed = ownedCacheSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? (parsed.data as OwnedCache) : null;
  } catch {
    return null; // a cache: refetched from Exist when missing or unreadable
  }
}

/** The attributes this data folder's app owns, as last fetched; null when missing or unreadable. */
export const readOwnedCache = (dataDir: string): OwnedCache | null => readOwnedCacheFile(ownedCachePath(dataDir));

export interface OwnedList {
  /** The owned attributes of the connected account ([] when the cache is another server's). */
  attributes(): Attribute[];
  /** When the list was last fetched; null before the first fetch. */
  fetchedAt(): number | null;
  /**
   * Whether this account's list is known: `read` (fetched for it, now or in an earlier run),
   * `reading` (the first fetch is under way), `unread` (not fetched, none running: it failed).
   * The popover says "loading" only while `reading`, and never "waiting" when nothing is.
   */
  readState(): 'read' | 'reading' | 'unread';
  /** Fetch from Exist (one at a time; a call during a fetch gets a fresh one after it). */
  refresh(): Promise<void>;
  /** The owned attribute `name`, or a UserError saying how to add it. */
  require(name: string): Attribute;
  /** Like require, but asks Exist once when the list does not know the name (the CLI after `acquire` elsewhere). */
  ensure(name: string): Promise<Attribute>;
  /** The sandbox moved to another port: the cache follows it. */
  moveServer(from: string, to: string): void;
}

export function createOwnedList(deps: {
  path: string;
  now: () => number;
  account: () => StoredAccount | null;
  /** The account's identity the cache is kept under (server kind + user). */
  identity: (a: StoredAccount) => string;
  requireAccount: () => StoredAccount;
  client: () => ExistClient;
  /** After each successful fetch and cache write (preferences, history, pushes). */
  onRefreshed: (list: Attribute[]) => Promise<void>;
}): OwnedList {
  let owned = readOwnedCacheFile(deps.path);
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const attributes = (): Attribute[] => {
    const a = deps.account();
    return a && fits(owned, deps.identity(a), a.baseUrl) ? owned.attributes : [];
  };

  function refresh(): Promise<void> {
    if (running) {
      next ??= running
        .catch(() => {})
        .then(() => {
          next = null;
          return refresh();
        });
      return next;
    }
    running = (async () => {
      try {
        const a = deps.requireAccount();
        const list = await deps.client().listAllOwned();
        owned = { account: deps.identity(a), baseUrl: a.baseUrl, fetchedAt: deps.now(), attributes: list };
        await writeFileAtomic(deps.path, JSON.stringify(owned));
        await deps.onRefreshed(list);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const require = (name: string): Attribute => {
    const a = attributes().find((x) => x.name === name);
    if (!a)
      throw new UserError(
        'not-owned',
        `Exist Tray does not own “${name}”. Add it in Settings → Attributes first.`,
        'name',
      );
    return a;
  };

  return {
    attributes,
    fetchedAt: () => owned?.fetchedAt ?? null,
    readState() {
      const a = deps.account();
      if (a && fits(owned, deps.identity(a), a.baseUrl)) return 'read';
      return running ? 'reading' : 'unread';
    },
    refresh,
    require,
    async ensure(name) {
      if (!attributes().some((x) => x.name === name) && deps.account()?.status === 'connected') {
        await refresh().catch(() => {});
      }
      return require(name);
    },
    moveServer(from, to) {
      if (owned && owned.baseUrl === from) owned = { ...owned, baseUrl: to };
    },
  };
}
