/**
 * Which account a session is, and where its files live. One account (server and user) =
 * one AccountSession = one folder `accounts/<key>/` with its outbox and rate budget, so
 * writes queued for the sandbox never go to real Exist and one user's totals never seed
 * another's. Also the scope rules that decide what a session may read and write.
 */
import { join } from 'node:path';
import type { ServerKind } from '../../shared/ipc-contract';

/** The key of an account: its server (host, or `sandbox`, whose port changes each run) and user. */
export function accountKey(
  a: { baseUrl: string; clientId: string; profile: { username: string } | null },
  serverKind: ServerKind,
): string {
  const server = serverKind === 'sandbox' ? 'sandbox' : new URL(a.baseUrl).host;
  return `${server}-${a.profile?.username ?? a.clientId}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/** The folder of one account's outbox and rate budget. */
export const accountDir = (dataDir: string, key: string): string => join(dataDir, 'accounts', key);

/** The scope that lets this client write an attribute of `group` (manual ones also by manual_write). */
export function writeScopesFor(group: string, manual: boolean): string[] {
  return manual ? [`${group}_write`, 'manual_write'] : [`${group}_write`];
}
export function readScopesFor(group: string, manual: boolean): string[] {
  return manual ? [`${group}_read`, 'manual_read'] : [`${group}_read`];
}
