import { useEffect, useRef } from 'react';
import type { ExistTrayApi } from '../../../shared/ipc-contract';
import { getApi } from '../api';

/**
 * Subscribes to push channels for the lifetime of a component and unsubscribes on
 * unmount, so windows that reopen never pile up listeners. `setup` runs once, on mount:
 * listeners must read changing state through `useLatest` refs or functional updates.
 */
export function useSubscriptions(setup: (api: ExistTrayApi) => Array<() => void>): void {
  const latest = useRef(setup);
  latest.current = setup;
  useEffect(() => {
    const offs = latest.current(getApi());
    return () => {
      for (const off of offs) off();
    };
  }, []);
}

/** Keeps the newest value reachable from callbacks created earlier (timers, listeners). */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
