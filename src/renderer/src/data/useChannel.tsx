/**
 * `useChannel(channel, payload, pushChannel)` → `{data, error, loading, refresh, set}`:
 * the one way a component reads data from the core. Each window renders one
 * `<ChannelProvider>`, so components asking for the same channel and payload share one
 * request and one push subscription (see channel-store.ts for the rules).
 */
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type {
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  PushChannel,
  PushContract,
} from '../../../shared/ipc-contract';
import type { AppError } from '../../../shared/result';
import { getApi } from '../api';
import { ChannelStore } from './channel-store';

const StoreContext = createContext<ChannelStore | null>(null);

/** One store per window. `store` is for tests that want to count requests. */
export function ChannelProvider({ children, store }: { children: ReactNode; store?: ChannelStore }) {
  const [own] = useState(() => store ?? new ChannelStore(getApi));
  useEffect(() => () => own.dispose(), [own]);
  return <StoreContext.Provider value={own}>{children}</StoreContext.Provider>;
}

/** Push channels whose payload is exactly this invoke channel's answer. */
export type PushFor<K extends InvokeChannel> = {
  [P in PushChannel]: PushContract[P] extends InvokeResponse<K> ? P : never;
}[PushChannel];

export interface ChannelResult<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
  refresh(): Promise<void>;
  set(update: T | ((prev: T | null) => T)): void;
}

export function useChannel<K extends InvokeChannel>(
  channel: K,
  payload: InvokeRequest<K>,
  pushChannel?: PushFor<K> | null,
  refreshOn?: readonly PushChannel[],
): ChannelResult<InvokeResponse<K>> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useChannel needs a <ChannelProvider> around the window');
  // The handle follows the request's value, not its object identity (`{}` is new each render).
  const key = JSON.stringify([channel, payload, pushChannel ?? null, refreshOn ?? []]);
  const handle = useMemo(() => {
    const [ch, body, push, more] = JSON.parse(key) as [K, InvokeRequest<K>, PushChannel | null, PushChannel[]];
    return store.handle(ch, body, { push, refreshOn: more });
  }, [store, key]);
  const state = useSyncExternalStore(handle.subscribe, handle.get, handle.get);
  return { ...state, refresh: handle.refresh, set: handle.set };
}
