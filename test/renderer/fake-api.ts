/**
 * A fake ExistTrayApi for component tests, built with the real `buildApi` over an
 * in-memory transport, so method names, payloads and Result shapes follow the contract.
 * Handlers are plain async functions; throwing `Refusal` answers `{ok:false,error}`.
 */
import { buildApi } from '../../src/preload/build-api';
import type {
  AccountView,
  ExistTrayApi,
  InvokeChannel,
  InvokeHandlers,
  PushChannel,
  PushContract,
  SendChannel,
  SendContract,
  SyncView,
  TrayAttributeView,
  TrayView,
} from '../../src/shared/ipc-contract';
import type { AppError } from '../../src/shared/result';
import type { IsoDate, Profile, ValueTypeCode } from '../../src/shared/domain';
import { syncState } from '../../src/core/sync-state';

export class Refusal extends Error {
  constructor(public readonly error: AppError) {
    super(error.message);
  }
}

export interface Fake {
  api: ExistTrayApi;
  /** Every invoke, in order. */
  calls: { channel: InvokeChannel; payload: unknown }[];
  sent: { channel: SendChannel; payload: unknown }[];
  callsTo<K extends InvokeChannel>(channel: K): Parameters<InvokeHandlers[K]>[0][];
  sentTo<K extends SendChannel>(channel: K): SendContract[K][];
  push<K extends PushChannel>(channel: K, payload: PushContract[K]): void;
  listenerCount(channel: PushChannel): number;
}

export function createFake(handlers: Partial<InvokeHandlers>): Fake {
  const calls: Fake['calls'] = [];
  const sent: Fake['sent'] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api = buildApi({
    async invoke(channel, payload) {
      calls.push({ channel: channel as InvokeChannel, payload });
      const h = handlers[channel as InvokeChannel] as ((p: unknown, s: unknown) => Promise<unknown>) | undefined;
      if (!h) return { ok: false, error: { code: 'not-faked', message: `${channel} is not part of this test` } };
      try {
        return { ok: true, value: await h(payload, { url: 'test://', trusted: true }) };
      } catch (e) {
        if (e instanceof Refusal) return { ok: false, error: e.error };
        throw e;
      }
    },
    send(channel, payload) {
      sent.push({ channel: channel as SendChannel, payload });
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  return {
    api,
    calls,
    sent,
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.payload) as never,
    sentTo: (channel) => sent.filter((c) => c.channel === channel).map((c) => c.payload) as never,
    push(channel, payload) {
      for (const l of listeners.get(channel) ?? []) l(payload);
    },
    listenerCount: (channel) => listeners.get(channel)?.size ?? 0,
  };
}

/** Nothing queued, sent or failed: the Sync view of a quiet account (tests spread over it). */
export const EMPTY_SYNC_VIEW: SyncView = {
  pending: 0,
  queued: [],
  sending: false,
  progress: null,
  lastSyncAt: null,
  lastError: null,
  failed: [],
  maybeDoubled: [],
  rate: { used: 0, limit: 300, pausedUntil: null },
};

/** No account connected, on real Exist. */
export const DISCONNECTED_ACCOUNT: AccountView = {
  status: 'disconnected',
  server: { kind: 'exist', baseUrl: 'https://exist.io' },
  clientId: null,
  hasClientSecret: false,
  scopes: [],
  expiresAt: null,
  profile: null,
  authorizeUrl: null,
  error: null,
};

export const PROFILE: Profile = {
  username: 'reader',
  first_name: 'Ada',
  last_name: 'Reader',
  avatar: null,
  timezone: 'Pacific/Auckland',
  local_time: null,
  imperial_distance: false,
  imperial_weight: false,
  imperial_energy: false,
  imperial_liquid: false,
  imperial_temperature: false,
  trial: false,
  delinquent: false,
};

export interface FakeAttr {
  name: string;
  label: string;
  group: string;
  valueType: ValueTypeCode;
  steps?: number[];
  visible?: boolean;
  order?: number;
  template?: string | null;
  description?: string;
}

const GROUP_PRIORITY: Record<string, number> = { media: 8, mood: 3, custom: 20, productivity: 2, health: 6 };

/**
 * A small stateful tray backend: values per attribute and date, increments and totals,
 * undo by receipt id. Enough for the popover to behave as it would against the core.
 */
export function fakeTray(opts: {
  today: IsoDate;
  attrs: FakeAttr[];
  account?: TrayView['account'];
  timezone?: string;
  /** What the sync view holds besides the pending count (failed, flagged, pauses). */
  sync?: Partial<SyncView>;
  /** Whether the owned list is known yet (default read). */
  attributes?: TrayView['attributes'];
}) {
  const values = new Map<string, number | string>();
  const key = (name: string, date: IsoDate) => `${name}@${date}`;
  const undoLog = new Map<string, { k: string; before: number | string | undefined }>();
  let nextId = 1;
  const state = {
    account: opts.account ?? ('connected' as TrayView['account']),
    pending: 0,
    attributes: opts.attributes ?? ('read' as TrayView['attributes']),
  };

  const view = (date: IsoDate): TrayView => {
    const groups = new Map<string, TrayView['groups'][number]>();
    opts.attrs.forEach((a, i) => {
      const g = groups.get(a.group) ?? {
        name: a.group,
        label: a.group.charAt(0).toUpperCase() + a.group.slice(1),
        priority: GROUP_PRIORITY[a.group] ?? 10,
        attributes: [],
      };
      groups.set(a.group, g);
      const attr: TrayAttributeView = {
        name: a.name,
        label: a.label,
        group: { name: g.name, label: g.label, priority: g.priority },
        priority: i,
        template: a.template ?? null,
        manual: true,
        valueType: a.valueType,
        valueTypeDescription: a.description ?? '',
        prefs: { visible: a.visible ?? true, steps: a.steps ?? [], order: a.order ?? i },
        value: values.get(key(a.name, date)) ?? null,
        pendingDelta: null,
        state: values.has(key(a.name, date)) ? 'pending' : null,
        message: null,
        history: null,
      };
      g.attributes.push(attr);
    });
    return {
      account: state.account,
      date,
      today: opts.today,
      timezone: opts.timezone ?? 'Pacific/Auckland',
      profile: PROFILE,
      groups: [...groups.values()],
      pending: state.pending,
      attributes: state.attributes,
    };
  };

  const receipt = (name: string, date: IsoDate, description: string, before: number | string | undefined) => {
    const id = `w${nextId++}`;
    undoLog.set(id, { k: key(name, date), before });
    return { id, name, date, undoUntil: Date.now() + 6000, description };
  };

  const syncView = (): SyncView => ({ ...EMPTY_SYNC_VIEW, pending: state.pending, ...opts.sync });

  const handlers: Partial<InvokeHandlers> = {
    'tray:get-view': async ({ date }) => view(date ?? opts.today),
    'sync:get-state': async () => syncState({ account: state.account, sync: syncView(), now: Date.now() }),
    'values:increment': async ({ name, delta, date }) => {
      const d = date ?? opts.today;
      if (d > opts.today) throw new Refusal({ code: 'future-date', message: 'That date is in the future' });
      const before = values.get(key(name, d));
      values.set(key(name, d), (typeof before === 'number' ? before : 0) + delta);
      state.pending += 1;
      return receipt(name, d, `Added ${delta} to ${name}`, before);
    },
    'values:set': async ({ name, value, date }) => {
      const d = date ?? opts.today;
      const before = values.get(key(name, d));
      values.set(key(name, d), value);
      state.pending += 1;
      return receipt(name, d, `Set ${name} to ${value}`, before);
    },
    'values:undo': async ({ id }) => {
      const entry = undoLog.get(id);
      if (!entry) return { undone: false, message: 'Too late to undo' };
      if (entry.before === undefined) values.delete(entry.k);
      else values.set(entry.k, entry.before);
      undoLog.delete(id);
      state.pending = Math.max(0, state.pending - 1);
      return { undone: true, message: 'Undone' };
    },
    'sync:now': async () => {
      state.pending = 0;
      return {
        pending: 0,
        queued: [],
        sending: false,
        progress: null,
        lastSyncAt: Date.now(),
        lastError: null,
        failed: [],
        maybeDoubled: [],
        rate: { used: 1, limit: 300, pausedUntil: null },
      };
    },
  };
  return { handlers, values, state, get: (name: string, date: IsoDate) => values.get(key(name, date)) };
}
