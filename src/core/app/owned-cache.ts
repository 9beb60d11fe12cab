/**
 * `owned.json`: the attributes this data folder's account owns, as last fetched from Exist.
 * A cache, so it is checked like one and simply refetched when missing or unreadable.
 *
 * It belongs to an account's identity (server kind + user, `accountKey`), not to a URL:
 * the embedded sandbox listens on a new port every run, and a cache keyed by the URL was
 * lost on the second restart ("Nothing to track yet"). Files from older versions carry
 * only `baseUrl`; they still match the account at that URL until the next fetch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Attribute } from '../../shared/domain';
import { attributeSchema } from '../exist/schemas';
import { writeFileAtomic } from '../fs';

export interface OwnedCache {
  /** The account's identity (`accountKey`); absent in files from older versions. */
  account?: string;
  baseUrl: string;
  fetchedAt: number;
  attributes: Attribute[];
}

const ownedCacheSchema = z.object({
  account: z.string().optional(),
  baseUrl: z.string(),
  fetchedAt: z.number(),
  attributes: z.array(attributeSchema),
});

export const ownedCachePath = (dataDir: string): string => join(dataDir, 'owned.json');

/** The cached list; null when missing or unreadable. */
export function readOwnedCache(dataDir: string): OwnedCache | null {
  try {
    const parsed = ownedCacheSchema.safeParse(JSON.parse(readFileSync(ownedCachePath(dataDir), 'utf8')));
    return parsed.success ? (parsed.data as OwnedCache) : null;
  } catch {
    return null; // a cache: refetched from Exist when missing or unreadable
  }
}

/** Whether `cache` is this account's (by identity; by URL for an older file). */
export function ownedCacheFits(cache: OwnedCache | null, account: string, baseUrl: string): cache is OwnedCache {
  if (cache === null) return false;
  return cache.account !== undefined ? cache.account === account : cache.baseUrl === baseUrl;
}

export const writeOwnedCache = (dataDir: string, cache: OwnedCache): Promise<void> =>
  writeFileAtomic(ownedCachePath(dataDir), JSON.stringify(cache));
