/**
 * AccountSession: everything that belongs to ONE Exist account — its stored tokens and
 * token manager, its Exist client, its outbox and rate budget (accounts/<key>/), its
 * owned-attribute list and cache, its recent-values history, its timezone and "today".
 * The services (src/core/app/services/) hold no account state: they ask the session.
 * A second account is a second session (its own secret key and owned-cache file), built
 * with the same function; test/core/app/session.sandbox.test.ts runs two side by side.
 */
import type { Attribute, IsoDate } from '../../shared/domain';
import type { AccountStore, StoredAccount, TokenEvent, TokenManager } from '../auth';
import { createSecretAccountStore, createTokenManager, DEFAULT_ACCOUNT_KEY, keepUnsavedAccount } from '../auth';
import { UserError } from '../errors';
import { createExistClient, type ExistClient } from '../exist/client';
import type { AutoFlushOptions, Outbox, OutboxEvent } from '../outbox';
import { existWriteApi } from '../outbox/exist-write-api';
import type { NotificationView } from '../../shared/ipc-contract';
import type { Clock, FetchLike, PowerEvents, SecretStore } from '../ports';
import { isValidTimeZone, parseDateChoice, todayIn } from '../values';
import { createHistory, type History } from './history';
import { accountKey, readScopesFor } from './keys';
import { createOutboxSlot, type OutboxSlot } from './outbox-slot';
import { createOwnedList, type OwnedList } from './owned';

export { accountDir, accountKey, readScopesFor, writeScopesFor } from './keys';
export { ownedCachePath, readOwnedCache, type OwnedCache, type OwnedList } from './owned';
export type { History, HistoryPoint } from './history';
export type { OutboxSlot, SyncStatus } from './outbox-slot';

const PROFILE_TTL_MS = 24 * 60 * 60_000;
const machineTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export interface AccountSessionDeps {
  /** The data folder; the outbox lives in accounts/<key>/ under it. */
  dataDir: string;
  secrets: SecretStore;
  /** Where this account's tokens are kept in `secrets`. Default the first account's key. */
  secretKey?: string;
  /** This account's owned-attribute cache. Default <dataDir>/owned.json (the CLI reads it). */
  ownedPath: string;
  /** The account's identity (server kind + user) its owned cache is kept under. Default: an Exist account's. */
  identity?: (a: StoredAccount) => string;
  clock: Clock;
  fetch?: FetchLike;
  power?: PowerEvents;
  /** The server to talk to when no account is stored (the saved server, or Exist). */
  defaultBaseUrl: () => string;
  whenOutboxLocked: 'fail' | 'wait';
  /** Auto-flush timing (defaults in outbox/flush-scheduler.ts), or null: send only when asked (the CLI). */
  autoFlush: AutoFlushOptions | null;
  onTokenEvent: (e: TokenEvent) => void;
  onOutboxEvent: (e: OutboxEvent) => void;
  onOutboxChanged: (opened: Outbox | null) => void;
  /** After a fetch of the owned list (the session has already reset its history and started today's). */
  onOwnedRefreshed: (list: Attribute[]) => Promise<void>;
  onHistoryLoaded: (names: string[], date: IsoDate) => void;
  rememberOutboxKey: (key: string) => Promise<void>;
  notify: (n: NotificationView) => void;
}

export interface AccountSession {
  readonly store: AccountStore;
  readonly tokens: TokenManager;
  /** The client of the account's server (one per base URL: the sandbox moves between runs). */
  client(): ExistClient;
  account(): StoredAccount | null;
  /** The stored account, or a UserError "connect first". */
  requireAccount(): StoredAccount;
  connected(): boolean;
  /** The user's Exist timezone (an unknown name from the profile falls back to the machine's, not to an error). */
  timezone(): string;
  today(): IsoDate;
  /** A date from the interface (undefined = today) checked against the user's calendar. */
  resolveDate(date: IsoDate | undefined): IsoDate;
  hasScope(wanted: string[]): boolean;
  readable(a: Attribute): boolean;
  /** Fetch the profile (timezone, username) when missing, older than a day, or `force`. */
  refreshProfile(force?: boolean): Promise<void>;
  readonly owned: OwnedList;
  readonly history: History;
  readonly outbox: OutboxSlot;
  /** Shutting down, first step: no more token timers or outbox retries. */
  halt(): void;
  close(): Promise<void>;
}

export function createAccountSession(deps: AccountSessionDeps): AccountSession {
  const { clock } = deps;
  // A token pair that cannot be saved (disk full) is kept in memory, retried and reported.
  const store = keepUnsavedAccount(
    createSecretAccountStore(deps.secrets, { key: deps.secretKey ?? DEFAULT_ACCOUNT_KEY }),
    {
      clock,
      onProblem: (m) =>
        m && deps.notify({ kind: 'token-refresh-failed', title: 'Exist sign-in not saved', body: m, at: clock.now() }),
    },
  );
  const clients = new Map<string, ExistClient>();
  const baseUrlNow = (): string => tokens.current()?.baseUrl ?? deps.defaultBaseUrl();
  const client = (): ExistClient => {
    const baseUrl = baseUrlNow();
    let c = clients.get(baseUrl);
    if (!c) {
      // Every API call counts against Exist's hour: the account's budget meters them all (rate/budget.ts).
      c = createExistClient({ baseUrl, fetch: deps.fetch, auth: tokens, meter: () => outbox.budget()?.meter });
      clients.set(baseUrl, c);
    }
    return c;
  };
  const tokens = createTokenManager({
    store,
    oauth: { refreshTokens: (args) => client().refreshTokens(args) },
    clock,
    power: deps.power,
    notifier: (e) => deps.onTokenEvent(e),
  });

  const account = () => tokens.current();
  const requireAccount = (): StoredAccount => {
    const a = tokens.current();
    if (!a) throw new UserError('not-connected', 'Connect your Exist account first (Settings → Account).');
    return a;
  };
  const timezone = () => {
    const tz = tokens.current()?.profile?.timezone;
    return tz && isValidTimeZone(tz) ? tz : machineTimeZone();
  };
  const today = () => todayIn(timezone(), clock.now());
  const hasScope = (wanted: string[]) => {
    const granted = new Set(tokens.current()?.scope ?? []);
    return wanted.some((s) => granted.has(s));
  };
  const readable = (a: Attribute) => hasScope(readScopesFor(a.group.name, a.manual));
  const readableNames = () =>
    owned
      .attributes()
      .filter(readable)
      .map((a) => a.name);

  const history: History = createHistory({
    now: () => clock.now(),
    client,
    readableNames: () => readableNames(),
    onLoaded: deps.onHistoryLoaded,
  });
  const owned: OwnedList = createOwnedList({
    path: deps.ownedPath,
    identity: deps.identity ?? ((a) => accountKey(a, 'exist')),
    now: () => clock.now(),
    account,
    requireAccount,
    client,
    onRefreshed: async (list) => {
      history.clear();
      history.load(today()); // so the first click of the day shows a total, not just "+1"
      await deps.onOwnedRefreshed(list);
    },
  });

  const outbox = createOutboxSlot({
    dataDir: deps.dataDir,
    clock,
    api: existWriteApi(client, {
      canRead: (name) => {
        const a = owned.attributes().find((x) => x.name === name);
        return a !== undefined && readable(a);
      },
      templateOf: (name) => owned.attributes().find((x) => x.name === name)?.template,
      // Read alongside a batched read, so their first click needs no read (outbox/sender.ts).
      readAlso: () => readableNames(),
      // Issue 18: never take an attribute back from another service without asking.
      askBeforeTakingBack: { label: (name) => owned.attributes().find((x) => x.name === name)?.label ?? name },
    }),
    whenLocked: deps.whenOutboxLocked,
    autoFlush: deps.autoFlush,
    onEvent: deps.onOutboxEvent,
    onChanged: deps.onOutboxChanged,
    rememberKey: deps.rememberOutboxKey,
    notify: deps.notify,
  });

  return {
    store,
    tokens,
    client,
    account,
    requireAccount,
    connected: () => tokens.current()?.status === 'connected',
    timezone,
    today,
    resolveDate(date) {
      if (date === undefined) return today();
      const r = parseDateChoice(date, timezone(), clock.now());
      if (!r.ok) throw new UserError('invalid-date', r.message, 'date');
      return r.value;
    },
    hasScope,
    readable,
    async refreshProfile(force = false) {
      const a = tokens.current();
      if (!a || a.status !== 'connected') return;
      if (!force && a.profile && a.profileFetchedAt && clock.now() - a.profileFetchedAt < PROFILE_TTL_MS) return;
      const profile = await client().getProfile();
      const latest = tokens.current() ?? a;
      await store.save({ ...latest, profile, profileFetchedAt: clock.now() });
      await tokens.reload();
    },
    owned,
    history,
    outbox,
    halt() {
      outbox.halt();
      tokens.stop();
    },
    async close() {
      tokens.stop();
      await outbox.close();
    },
  };
}
