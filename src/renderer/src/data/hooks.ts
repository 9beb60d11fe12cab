/** The channels several components of a window read, named once (all through `useChannel`). */
import type { OwnedAttributeView } from '../../../shared/ipc-contract';
import { useMemo } from 'react';
import { useChannel } from './useChannel';

export const useOwnedList = () => useChannel('attributes:list-owned', {}, 'attributes:changed');
export const useAccount = () => useChannel('account:get', {}, 'account:changed');
export const useSyncView = () => useChannel('sync:get', {}, 'sync:changed');
export const useSettingsData = () => useChannel('settings:get', {}, 'settings:changed');
export const useJobs = () => useChannel('jobs:list', {}, 'jobs:changed');
/** The one sync state (src/core/sync-state.ts) the footer, the Sync tab, the tray and the CLI all show. */
export const useSyncState = () => useChannel('sync:get-state', {}, 'sync:state-changed');

/** Owned attributes by name, so writes read "Time reading +1h 20m", not "time_reading +80". */
export type OwnedByName = ReadonlyMap<string, OwnedAttributeView>;

export function useOwnedByName(): OwnedByName {
  const { data } = useOwnedList();
  return useMemo(() => new Map((data ?? []).map((a) => [a.name, a])), [data]);
}
