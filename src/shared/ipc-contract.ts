/**
 * The one IPC contract between the renderer and the main-side core.
 *
 * Three maps, in the style of GitHub Desktop's `ipc-shared.ts`:
 * - invoke channels: renderer → main, answered with a `Result` (never a thrown error);
 * - send channels: renderer → main, fire-and-forget;
 * - push channels: main → renderer.
 *
 * Channel names are `namespace:kebab-action`. The runtime lists below are checked at
 * compile time against the type maps, so a channel cannot exist in one and not the other.
 * Runtime payload schemas live beside this file in `ipc-schemas.ts` (zod), kept out of
 * the renderer bundle. Both the Electron IPC layer and the browser host's WebSocket
 * bridge dispatch through `src/core/ipc/dispatch.ts`, so validation is the same.
 *
 * Types and constants only: this file is imported by the renderer.
 */
import type { AttributeTemplate, CreatableValueTypeName, IsoDate, Profile, ValueTypeCode } from './domain';
import type { AppError, Result } from './result';
import type { SyncState } from './sync-state';

export type { SyncState, SyncStateKind } from './sync-state';
import type { OwnershipView, QuickAddPreview, ReminderAction, ReminderRule, RowInsight } from './features';

// ---------------------------------------------------------------- views

export interface AppInfo {
  name: string;
  productName: string;
  version: string;
  platform: string;
  /** Where the core runs: inside Electron, or under Node behind the browser host. */
  host: 'electron' | 'browser' | 'cli';
}

export type AccountStatus = 'disconnected' | 'connecting' | 'connected' | 'needs-reconnect';
export type ServerKind = 'exist' | 'sandbox';

export interface AccountView {
  status: AccountStatus;
  server: { kind: ServerKind; baseUrl: string };
  clientId: string | null;
  hasClientSecret: boolean;
  /** Scopes granted by the last authorisation. */
  scopes: string[];
  /** Access token expiry, ms since the epoch. */
  expiresAt: number | null;
  profile: Profile | null;
  /** While connecting: the page the browser was sent to, so the UI can offer to open it again. */
  authorizeUrl: string | null;
  /** The last connect or refresh failure, in words. */
  error: AppError | null;
}

/** Per-write sync state. `maybe-doubled`: an increment whose answer was lost and that had to be resent blind. */
export type ItemSyncState = 'pending' | 'sending' | 'synced' | 'failed' | 'maybe-doubled';

export interface AttributePrefs {
  visible: boolean;
  /** Quick increment steps shown beside +1, in the attribute's stored unit (minutes for durations). */
  steps: number[];
  order: number;
  /** Smart reminder (issue 18); absent or null for none. */
  reminder?: ReminderRule | null;
}

export interface OwnedAttributeView {
  name: string;
  label: string;
  group: { name: string; label: string; priority: number };
  priority: number;
  template: string | null;
  manual: boolean;
  valueType: ValueTypeCode;
  valueTypeDescription: string;
  prefs: AttributePrefs;
}

export interface TrayAttributeView extends OwnedAttributeView {
  /** The value for the chosen date as the app expects it to be: known total plus pending writes; null when the total is unknown. */
  value: number | string | null;
  /** When `value` is null (total unknown, e.g. a write-only token before the first answer): the sum of pending increments. */
  pendingDelta: number | null;
  /** State of the newest write for this attribute and date; null when none is known. */
  state: ItemSyncState | null;
  /** Failure message for `failed`. */
  message: string | null;
  /** The last 7 days ending at the chosen date, oldest first; null without a read scope. */
  history: { date: IsoDate; value: number | string | null }[] | null;
  /** ✓, last value, usual for this weekday, streak (issue 18). */
  insight?: RowInsight;
}

export interface TrayView {
  account: AccountStatus;
  /** The date the values are for. */
  date: IsoDate;
  /** Today in the user's Exist timezone (not the machine's). */
  today: IsoDate;
  timezone: string;
  profile: Profile | null;
  groups: { name: string; label: string; priority: number; attributes: TrayAttributeView[] }[];
  pending: number;
  /** The account's owned attributes: known (`read`), first read under way (`reading`), or not read (it failed). */
  attributes: 'read' | 'reading' | 'unread';
}

export interface WriteReceipt {
  id: string;
  name: string;
  date: IsoDate;
  /** Until when the action can be undone (ms since the epoch). */
  undoUntil: number;
  description: string;
}

export interface FailedWriteView {
  id: string;
  name: string;
  date: IsoDate;
  kind: 'increment' | 'set';
  value: number | string;
  errorCode: string;
  /** In words (core/errors/refusal.ts): what Exist said and what to do; no HTTP status or path. */
  message: string;
  /** The raw text behind `message` (Exist's answer as received), for the "Details" disclosure. */
  detail?: string;
  at: number;
}

/** A write waiting to be sent (or being sent). */
export interface QueuedWriteView {
  id: string;
  name: string;
  date: IsoDate;
  kind: 'increment' | 'set';
  value: number | string;
  state: 'pending' | 'sending';
  at: number;
}

export interface SyncView {
  pending: number;
  /** The oldest queued writes (at most 100), in the order they will be sent. */
  queued: QueuedWriteView[];
  sending: boolean;
  progress: { sent: number; total: number } | null;
  lastSyncAt: number | null;
  lastError: AppError | null;
  failed: FailedWriteView[];
  /** Increments that had to be resent without knowing whether the first try counted. */
  maybeDoubled: FailedWriteView[];
  rate: { used: number; limit: number; pausedUntil: number | null };
}

/**
 * What the OS did with `Settings.globalShortcut` (read-only; filled in by the Electron shell,
 * never stored). `unavailable` also covers "cannot be confirmed": on Wayland `register()`
 * answers true whether or not the desktop will ever deliver the key, so only a first press
 * proves it there.
 */
export interface ShortcutStatus {
  state: 'active' | 'unavailable' | 'off';
  accelerator: string | null;
  /** For `unavailable`: why, in words, and what to do instead. */
  reason?: string;
}

export interface Settings {
  launchAtLogin: boolean;
  /** Electron accelerator, e.g. "CommandOrControl+Shift+E"; null for none. */
  globalShortcut: string | null;
  /** Read-only, answered by settings:get/set and pushed with settings:changed; absent where no shell reports it. */
  shortcutStatus?: ShortcutStatus;
  notifications: { tokenRefreshed: boolean; reconnectNeeded: boolean; writesFailing: boolean };
  /** Only meaningful where the OS offers no secret storage: the user agreed to keep secrets in plain text. */
  allowPlaintextSecrets: boolean;
  /** `exist-tray://` writes are applied without the popover's confirmation (default off: any web page can open a link). */
  applyLinksWithoutAsking?: boolean;
  /** macOS: the owned attribute whose value today shows beside the tray icon (`tray.setTitle`); null or absent: none. */
  trayTitleAttribute?: string | null;
}

/** A write an `exist-tray://` link asked for, checked and waiting for the user's click (src/core/launch/policy.ts). */
export interface LinkProposalView {
  id: string;
  attribute: string;
  label: string;
  valueText: string;
  date: IsoDate;
  summary: string;
}

export interface TemplateView extends AttributeTemplate {
  label: string;
  owned: boolean;
}

export type JobSource =
  | { kind: 'command'; command: string }
  | { kind: 'file'; path: string; format: 'csv' | 'json'; dateColumn?: string; valueColumn?: string; jsonPath?: string }
  | { kind: 'url'; url: string; jsonPath?: string };

export interface JobSpec {
  attribute: string;
  source: JobSource;
  /** `hourly` (the default and the fastest allowed) or a cron expression no more often than hourly. */
  schedule: string;
  /** How many days before today to send as well (Exist asks for yesterday at least). */
  daysBack: number;
}

export interface JobRunView {
  at: number;
  ok: boolean;
  sent: { date: IsoDate; value: number | string }[];
  error: string | null;
}

export interface JobView extends JobSpec {
  id: string;
  nextRunAt: number | null;
  runs: JobRunView[];
}

export interface ImportPreview {
  rows: { line: number; date: IsoDate; attribute: string; value: number | string }[];
  errors: { line: number; message: string }[];
  calls: number;
}

export interface NotificationView {
  kind: string;
  title: string;
  body: string;
  at: number;
  /** Reminder buttons; answered with `reminders:act` for the attribute in `ref`. */
  actions?: { id: string; label: string }[];
  ref?: string;
}

export type SettingsTab = 'account' | 'attributes' | 'sync' | 'general';

// ---------------------------------------------------------------- channel maps

type Empty = Record<string, never>;

/** Renderer → main, answered. `[request, response]`. */
export interface InvokeContract {
  'app:get-info': [Empty, AppInfo];
  'account:get': [Empty, AccountView];
  'account:connect': [{ clientId: string; clientSecret: string; scopes: string[]; server: ServerKind }, AccountView];
  'account:cancel-connect': [Empty, AccountView];
  'account:refresh': [Empty, AccountView];
  'account:disconnect': [Empty, AccountView];
  /** `refresh`: ask Exist now instead of answering from the cache. */
  'attributes:list-owned': [{ refresh?: boolean }, OwnedAttributeView[]];
  'attributes:list-templates': [{ group?: string }, TemplateView[]];
  'attributes:acquire': [{ by: 'template' | 'name'; name: string; manual?: boolean }, OwnedAttributeView];
  'attributes:create': [
    { label: string; group: string; valueType: CreatableValueTypeName; manual: boolean },
    OwnedAttributeView,
  ];
  'attributes:release': [{ name: string }, { name: string }];
  'attributes:set-prefs': [
    { name: string; visible?: boolean; steps?: number[]; reminder?: ReminderRule | null },
    OwnedAttributeView,
  ];
  /** Before acquiring: whether it exists, its type, and who owns it now (GET /api/2/attributes/). */
  'attributes:ownership': [{ by: 'template' | 'name'; name: string }, OwnershipView];
  /** After a "not owner" refusal, confirmed: acquire it back from the other service and send its refused writes again. */
  'attributes:take-back': [{ name: string }, { message: string }];
  /** After a "not owner" refusal: leave it to the other service; its refused writes are discarded. */
  'attributes:stop-tracking': [{ name: string }, { message: string }];
  'quickadd:preview': [{ text: string }, QuickAddPreview];
  'quickadd:submit': [{ text: string }, WriteReceipt];
  'reminders:act': [{ attribute: string; action: ReminderAction }, { message: string }];
  'attributes:reorder': [{ names: string[] }, OwnedAttributeView[]];
  'tray:get-view': [{ date?: IsoDate }, TrayView];
  'values:increment': [{ name: string; delta: number; date?: IsoDate }, WriteReceipt];
  'values:set': [{ name: string; value: number | string; date?: IsoDate }, WriteReceipt];
  'values:undo': [{ id: string }, { undone: boolean; message: string }];
  'sync:get': [Empty, SyncView];
  /** The one sync state every surface shows (src/core/sync-state.ts). */
  'sync:get-state': [Empty, SyncState];
  'sync:now': [Empty, SyncView];
  'sync:retry': [{ ids: string[] }, SyncView];
  'sync:discard': [{ ids: string[] }, SyncView];
  'settings:get': [Empty, Settings];
  'settings:set': [Partial<Settings>, Settings];
  'jobs:list': [Empty, JobView[]];
  'jobs:add': [JobSpec, JobView];
  'jobs:remove': [{ id: string }, { id: string }];
  'jobs:run': [{ id: string }, JobRunView];
  'import:preview': [{ csv: string; attribute?: string }, ImportPreview];
  'import:run': [{ csv: string; attribute?: string }, { queued: number; calls: number }];
  'links:get-proposal': [Empty, LinkProposalView | null];
  'links:confirm': [{ id: string }, WriteReceipt];
  'links:dismiss': [{ id: string }, { id: string }];
}

/** Renderer → main, fire-and-forget. */
export interface SendContract {
  'window:close': Empty;
  'window:open-settings': { tab?: SettingsTab };
  'shell:open-external': { url: string };
}

/** Main → renderer. */
export interface PushContract {
  'account:changed': AccountView;
  'values:changed': { names: string[]; dates: IsoDate[] };
  'attributes:changed': OwnedAttributeView[];
  'sync:changed': SyncView;
  /** Pushed when the sync state changes (after sync or account changes). */
  'sync:state-changed': SyncState;
  'settings:changed': Settings;
  'jobs:changed': JobView[];
  'import:progress': { sent: number; total: number };
  'app:notification': NotificationView;
  'window:show-tab': { tab: SettingsTab };
  'links:proposal': LinkProposalView | null;
  /** Open the popover on this attribute (a reminder's "Open"). */
  'popover:focus': { name: string };
}

export type InvokeChannel = keyof InvokeContract;
export type SendChannel = keyof SendContract;
export type PushChannel = keyof PushContract;
export type InvokeRequest<K extends InvokeChannel> = InvokeContract[K][0];
export type InvokeResponse<K extends InvokeChannel> = InvokeContract[K][1];
export type InvokeResult<K extends InvokeChannel> = Result<InvokeResponse<K>>;

// ---------------------------------------------------------------- runtime channel lists

export const INVOKE_CHANNELS = [
  'app:get-info',
  'account:get',
  'account:connect',
  'account:cancel-connect',
  'account:refresh',
  'account:disconnect',
  'attributes:list-owned',
  'attributes:list-templates',
  'attributes:acquire',
  'attributes:create',
  'attributes:release',
  'attributes:set-prefs',
  'attributes:reorder',
  'attributes:ownership',
  'attributes:take-back',
  'attributes:stop-tracking',
  'quickadd:preview',
  'quickadd:submit',
  'reminders:act',
  'tray:get-view',
  'values:increment',
  'values:set',
  'values:undo',
  'sync:get',
  'sync:get-state',
  'sync:now',
  'sync:retry',
  'sync:discard',
  'settings:get',
  'settings:set',
  'jobs:list',
  'jobs:add',
  'jobs:remove',
  'jobs:run',
  'import:preview',
  'import:run',
  'links:get-proposal',
  'links:confirm',
  'links:dismiss',
] as const satisfies readonly InvokeChannel[];

export const SEND_CHANNELS = [
  'window:close',
  'window:open-settings',
  'shell:open-external',
] as const satisfies readonly SendChannel[];

export const PUSH_CHANNELS = [
  'account:changed',
  'values:changed',
  'attributes:changed',
  'sync:changed',
  'sync:state-changed',
  'settings:changed',
  'jobs:changed',
  'import:progress',
  'app:notification',
  'window:show-tab',
  'links:proposal',
  'popover:focus',
] as const satisfies readonly PushChannel[];

// Compile-time: every channel of each map is in its runtime list (the reverse is the `satisfies` above).
type Missing<All, Listed> = Exclude<All, Listed>;
type AssertNone<T extends never> = T;
export type _InvokeListed = AssertNone<Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>>;
export type _SendListed = AssertNone<Missing<SendChannel, (typeof SEND_CHANNELS)[number]>>;
export type _PushListed = AssertNone<Missing<PushChannel, (typeof PUSH_CHANNELS)[number]>>;

// ---------------------------------------------------------------- handler maps (compile-time completeness)

/** Who sent an IPC message; main rejects anything that is not one of its own windows. */
export interface SenderInfo {
  /** The URL of the sending frame. */
  url: string;
  /** Whether the sender is a window this app created (Electron) or an authenticated socket (browser host). */
  trusted: boolean;
}

/** Every invoke channel must have a handler: a missing key fails to compile. */
export type InvokeHandlers = {
  [K in InvokeChannel]: (request: InvokeRequest<K>, sender: SenderInfo) => Promise<InvokeResponse<K>>;
};

/** Every send channel must have a handler. */
export type SendHandlers = {
  [K in SendChannel]: (payload: SendContract[K], sender: SenderInfo) => void;
};

// ---------------------------------------------------------------- the preload API shape

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type Namespace<K extends string> = K extends `${infer N}:${string}` ? N : never;
type Action<K extends string, N extends string> = K extends `${N}:${infer A}` ? A : never;
type AllNamespaces = Namespace<InvokeChannel | SendChannel | PushChannel>;

type InvokeMethods<N extends string> = {
  [K in InvokeChannel as K extends `${N}:${string}` ? CamelCase<Action<K, N>> : never]: (
    request: InvokeRequest<K>,
  ) => Promise<InvokeResult<K>>;
};
type SendMethods<N extends string> = {
  [K in SendChannel as K extends `${N}:${string}` ? CamelCase<Action<K, N>> : never]: (
    payload: SendContract[K],
  ) => void;
};
type PushMethods<N extends string> = {
  [K in PushChannel as K extends `${N}:${string}` ? `on${Capitalize<CamelCase<Action<K, N>>>}` : never]: (
    listener: (payload: PushContract[K]) => void,
  ) => () => void;
};

/**
 * The object the preload exposes as `window.existTray`: one method per channel,
 * grouped by namespace (`api.values.increment(...)`, `api.account.onChanged(cb)`).
 * Subscriptions return their unsubscribe function. No raw IPC is reachable.
 */
export type ExistTrayApi = {
  [N in AllNamespaces]: InvokeMethods<N> & SendMethods<N> & PushMethods<N>;
};

/** kebab-case → camelCase, the runtime twin of the `CamelCase` type. */
export const camelCase = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `account:changed` → ['account', 'onChanged']: where a push channel lives on the API object. */
export const pushMethodName = (channel: string): [string, string] => {
  const [ns, action] = channel.split(':') as [string, string];
  const c = camelCase(action);
  return [ns, `on${c.charAt(0).toUpperCase()}${c.slice(1)}`];
};

/** `values:increment` → ['values', 'increment']. */
export const methodName = (channel: string): [string, string] => {
  const [ns, action] = channel.split(':') as [string, string];
  return [ns, camelCase(action)];
};
