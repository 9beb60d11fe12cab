/**
 * The renderer's one data layer: a per-window store of invoke answers, keyed by
 * channel + payload. Every component that asks for `attributes:list-owned` in one
 * window shares one request and one push subscription (the Settings tabs used to fetch
 * the owned list three times). Owns: load/error state, pushes that replace the answer,
 * pushes that only ask for a refetch, and dropping answers that a newer push or request
 * has overtaken. React binding: `useChannel` in ./useChannel.tsx.
 *
 * Decision: an entry fetches when it gets its first user and listens to its pushes while it
 * has users. It lets go a tick after its last user unmounts, so a tab switch (old tab
 * unmounts, new one mounts in the same commit) or StrictMode's double mount does not
 * refetch; an entry that lost all its users is stale and fetches again on its next user.
 */
import {
  methodName,
  pushMethodName,
  type ExistTrayApi,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type PushChannel,
} from '../../../shared/ipc-contract';
import type { AppError, Result } from '../../../shared/result';

export interface ChannelState<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
}

type Listener = () => void;

interface Entry {
  state: ChannelState<unknown>;
  listeners: Set<Listener>;
  users: number;
  seq: number;
  offs: Array<() => void>;
  release: ReturnType<typeof setTimeout> | null;
  stale: boolean;
  fetch(): Promise<void>;
  listen(): void;
}

export interface ChannelHandle<T> {
  get(): ChannelState<T>;
  subscribe(listener: Listener): () => void;
  refresh(): Promise<void>;
  /** Replace the answer locally (e.g. with what a write returned); a newer push still wins. */
  set(update: T | ((prev: T | null) => T)): void;
}

function callInvoke(api: ExistTrayApi, channel: InvokeChannel, payload: unknown): Promise<Result<unknown>> {
  const [ns, m] = methodName(channel);
  const fn = (api as unknown as Record<string, Record<string, (p: unknown) => Promise<Result<unknown>>>>)[ns]?.[m];
  if (!fn) return Promise.resolve({ ok: false, error: { code: 'no-channel', message: `${channel} is not available` } });
  return fn(payload);
}

function subscribePush(api: ExistTrayApi, channel: PushChannel, listener: (p: unknown) => void): () => void {
  const [ns, m] = pushMethodName(channel);
  const fn = (api as unknown as Record<string, Record<string, (l: (p: unknown) => void) => () => void>>)[ns]?.[m];
  return fn ? fn(listener) : () => {};
}

export interface ChannelOptions {
  /** Push channels whose payload is this channel's answer: it replaces the data. */
  push?: PushChannel | null;
  /** Push channels that only mean "ask again". */
  refreshOn?: readonly PushChannel[];
}

export class ChannelStore {
  private readonly entries = new Map<string, Entry>();
  /** Requests made, by channel: lets tests and the bench see that a window fetches once. */
  readonly requests = new Map<string, number>();

  constructor(private readonly api: () => ExistTrayApi) {}

  handle<K extends InvokeChannel>(
    channel: K,
    payload: InvokeRequest<K>,
    opts: ChannelOptions = {},
  ): ChannelHandle<InvokeResponse<K>> {
    const key = `${channel} ${JSON.stringify(payload)} ${opts.push ?? ''} ${(opts.refreshOn ?? []).join(',')}`;
    const entry = this.entries.get(key) ?? this.create(key, channel, payload, opts);
    const emit = () => {
      for (const l of entry.listeners) l();
    };
    return {
      get: () => entry.state as ChannelState<InvokeResponse<K>>,
      subscribe: (listener) => {
        entry.listeners.add(listener);
        this.retain(entry);
        return () => {
          entry.listeners.delete(listener);
          this.releaseLater(entry);
        };
      },
      refresh: () => entry.fetch(),
      set: (update) => {
        entry.seq += 1; // an answer in flight is older than this
        const prev = entry.state.data as InvokeResponse<K> | null;
        const data =
          typeof update === 'function' ? (update as (p: InvokeResponse<K> | null) => InvokeResponse<K>)(prev) : update;
        entry.state = { data, error: null, loading: false };
        emit();
      },
    };
  }

  private create(key: string, channel: InvokeChannel, payload: unknown, opts: ChannelOptions): Entry {
    const entry: Entry = {
      state: { data: null, error: null, loading: true },
      listeners: new Set(),
      users: 0,
      seq: 0,
      offs: [],
      release: null,
      stale: true,
      listen: () => {
        const api = this.api();
        if (opts.push) {
          entry.offs.push(
            subscribePush(api, opts.push, (p) => {
              entry.seq += 1;
              entry.state = { data: p, error: null, loading: false };
              for (const l of entry.listeners) l();
            }),
          );
        }
        for (const ch of opts.refreshOn ?? []) entry.offs.push(subscribePush(api, ch, () => void entry.fetch()));
      },
      fetch: async () => {
        const mine = ++entry.seq;
        this.requests.set(channel, (this.requests.get(channel) ?? 0) + 1);
        if (!entry.state.loading) {
          entry.state = { ...entry.state, loading: true };
          for (const l of entry.listeners) l();
        }
        const r = await callInvoke(this.api(), channel, payload);
        if (mine !== entry.seq) return; // a push or a newer request overtook this answer
        entry.state = r.ok
          ? { data: r.value, error: null, loading: false }
          : { data: entry.state.data, error: r.error, loading: false };
        for (const l of entry.listeners) l();
      },
    };
    this.entries.set(key, entry);
    return entry;
  }

  /** The window is going away: stop listening now (a later user makes an entry fetch again). */
  dispose(): void {
    for (const entry of this.entries.values()) {
      if (entry.release) clearTimeout(entry.release);
      entry.release = null;
      for (const off of entry.offs.splice(0)) off();
      entry.stale = true;
    }
  }

  private retain(entry: Entry): void {
    entry.users += 1;
    if (entry.release) {
      clearTimeout(entry.release);
      entry.release = null;
    }
    if (entry.users === 1 && entry.offs.length === 0) entry.listen();
    if (entry.stale) {
      entry.stale = false;
      void entry.fetch();
    }
  }

  private releaseLater(entry: Entry): void {
    entry.users -= 1;
    if (entry.users > 0 || entry.release) return;
    entry.release = setTimeout(() => {
      entry.release = null;
      if (entry.users > 0) return;
      for (const off of entry.offs.splice(0)) off();
      entry.stale = true;
    }, 0);
  }
}
