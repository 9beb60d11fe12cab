/**
 * createAppCore: the main-side application, electron-free. It composes the Exist
 * client, the account and token manager, the outbox and rate budget, preferences and
 * (with issue 8) jobs behind the IPC contract, for three hosts: the Electron shell,
 * the browser host and the CLI. Every rule a write must pass (ownership, value type,
 * the user's date in their Exist timezone) lives here once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EXIST_URL, VALUE_TYPES, type Attribute, type IsoDate } from '../../shared/domain';
import type {
  AccountView,
  InvokeHandlers,
  OwnedAttributeView,
  PushChannel,
  PushContract,
  SendHandlers,
  ServerKind,
  SyncView,
  TemplateView,
  WriteReceipt,
} from '../../shared/ipc-contract';
import type { AppError } from '../../shared/result';
import { assertNever } from '../../shared/result';
import {
  connectAccount,
  createSecretAccountStore,
  createTokenManager,
  isAuthFlowError,
  type StoredAccount,
  type TokenEvent,
} from '../auth';
import { UserError, isUserError } from '../errors';
import { z } from 'zod';
import { createExistClient, type ExistClient } from '../exist/client';
import { attributeSchema } from '../exist/schemas';
import { isExistError } from '../exist/errors';
import { describeExistError } from '../ipc/describe-error';
import { createJobsService, jobsHandlers } from '../jobs';
import { createOutbox, OutboxLockedError, type Outbox, type OutboxEvent, type OutboxSnapshot } from '../outbox';
import { existWriteApi } from '../outbox/exist-write-api';
import { createRateBudget, type RateBudget } from '../rate/budget';
import {
  formatDelta,
  formatValue,
  isIncrementable,
  isValidTimeZone,
  parseDateChoice,
  todayIn,
  addDays,
  validateStoredDelta,
  validateStoredValue,
  valueTypeLabel,
} from '../values';
import { writeFileAtomic } from '../fs';
import { createNotices, notificationEnabled } from './notices';
import { defaultSteps, openPrefsStore } from './settings-store';
import type { AppCore, AppCoreDeps, PushListener } from './types';
import { describeStop, ownedView, sortOwned, syncView, trayView } from './views';

export type { AppCore, AppCoreDeps } from './types';

/** How long a write can be undone from the interface. */
export const UNDO_WINDOW_MS = 6_000;
const OWNED_TTL_MS = 10 * 60_000;
const HISTORY_TTL_MS = 5 * 60_000;
const PROFILE_TTL_MS = 24 * 60 * 60_000;

export interface OwnedCache {
  baseUrl: string;
  fetchedAt: number;
  attributes: Attribute[];
}

/** owned.json is a cache of Exist's answer: checked like one, and simply refetched when it does not pass. */
const ownedCacheSchema = z.object({ baseUrl: z.string(), fetchedAt: z.number(), attributes: z.array(attributeSchema) });

/** The attributes this data folder's app owns, as last fetched; null when missing or unreadable. */
export function readOwnedCache(dataDir: string): OwnedCache | null {
  try {
    const parsed = ownedCacheSchema.safeParse(JSON.parse(readFileSync(join(dataDir, 'owned.json'), 'utf8')));
    return parsed.success ? (parsed.data as OwnedCache) : null;
  } catch {
    return null; // a cache: refetched from Exist when missing or unreadable
  }
}

const machineTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The scope that lets this client write an attribute of `group` (manual ones also by manual_write). */
export function writeScopesFor(group: string, manual: boolean): string[] {
  return manual ? [`${group}_write`, 'manual_write'] : [`${group}_write`];
}
export function readScopesFor(group: string, manual: boolean): string[] {
  return manual ? [`${group}_read`, 'manual_read'] : [`${group}_read`];
}

/**
 * Which account a data folder's outbox belongs to. Each account (server and user) has
 * its own outbox, rate budget and known totals under `accounts/<key>/`, so writes queued
 * for the sandbox never go to real Exist, and one user's totals never seed another's.
 */
export function accountKey(
  a: { baseUrl: string; clientId: string; profile: { username: string } | null },
  serverKind: ServerKind,
): string {
  const server = serverKind === 'sandbox' ? 'sandbox' : new URL(a.baseUrl).host;
  return `${server}-${a.profile?.username ?? a.clientId}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/** The folder of one account's outbox and rate budget. */
export const accountDir = (dataDir: string, key: string): string => join(dataDir, 'accounts', key);

const EMPTY_SNAPSHOT: OutboxSnapshot = {
  pending: [],
  sending: [],
  failed: [],
  recent: [],
  maybeDoubled: [],
  expected: [],
  lastSyncAt: null,
  stopped: null,
};

export function createAppCore(deps: AppCoreDeps): AppCore {
  const { clock, dataDir } = deps;
  const autoFlush = deps.autoFlush ?? true;
  const prefs = openPrefsStore(join(dataDir, 'settings.json'), () => clock.now());
  const accountStore = createSecretAccountStore(deps.secrets);
  const listeners = new Set<PushListener>();
  const push = <K extends PushChannel>(channel: K, payload: PushContract[K]) => {
    for (const l of listeners) {
      try {
        l(channel, payload);
      } catch {
        // a broken listener (closed window) must not break the core
      }
    }
  };

  // ---------------------------------------------------------------- clients and tokens
  const clients = new Map<string, ExistClient>();
  const baseUrlNow = (): string =>
    tokens.current()?.baseUrl ?? prefs.get().server?.baseUrl ?? deps.existUrl ?? DEFAULT_EXIST_URL;
  const clientFor = (baseUrl: string): ExistClient => {
    let c = clients.get(baseUrl);
    if (!c) {
      c = createExistClient({ baseUrl, fetch: deps.fetch, auth: tokens });
      clients.set(baseUrl, c);
    }
    return c;
  };
  const client = () => clientFor(baseUrlNow());

  const tokens = createTokenManager({
    store: accountStore,
    oauth: { refreshTokens: (args) => client().refreshTokens(args) },
    clock,
    power: deps.power,
    notifier: (e) => onTokenEvent(e),
  });

  // ---------------------------------------------------------------- notifications
  const notices = createNotices({
    notifier: deps.notifier,
    enabled: (kind) => notificationEnabled(prefs.get().settings, kind),
    onNotice: (n) => push('app:notification', n),
    now: () => clock.now(),
  });

  // The client ID and secret outlive a disconnect (the user made that client once, in Exist).
  const CLIENT_KEY = 'exist-client';
  let savedClient: { baseUrl: string; clientId: string; clientSecret: string } | null = null;
  const loadSavedClient = async () => {
    try {
      const raw = await deps.secrets.get(CLIENT_KEY);
      const v = raw ? (JSON.parse(raw) as { baseUrl?: unknown; clientId?: unknown; clientSecret?: unknown }) : null;
      savedClient =
        v && typeof v.baseUrl === 'string' && typeof v.clientId === 'string' && typeof v.clientSecret === 'string'
          ? { baseUrl: v.baseUrl, clientId: v.clientId, clientSecret: v.clientSecret }
          : null;
    } catch {
      savedClient = null;
    }
  };
  const saveClient = async (baseUrl: string, clientId: string, clientSecret: string) => {
    savedClient = { baseUrl, clientId, clientSecret };
    await deps.secrets.set(CLIENT_KEY, JSON.stringify(savedClient));
  };

  let lastAccountError: AppError | null = null;
  function onTokenEvent(e: TokenEvent) {
    switch (e.type) {
      case 'refreshed':
        notices.clear('reconnect-needed');
        notices.clear('token-refresh-failed');
        notices.notify(
          'token-refreshed',
          'Exist connection renewed',
          `Your Exist token was renewed; it now lasts until ${new Date(e.expiresAt).toDateString()}.`,
        );
        lastAccountError = null;
        break;
      case 'refresh-failed':
        lastAccountError = { code: e.needsReconnect ? 'needs-reconnect' : 'refresh-failed', message: e.reason };
        if (e.needsReconnect)
          notices.once(
            'reconnect-needed',
            'Reconnect Exist Tray',
            'Exist no longer accepts this app. Open Settings → Account and connect again; your pending writes are kept.',
          );
        else
          notices.once(
            'token-refresh-failed',
            'Could not renew the Exist token',
            `${e.reason} It will be tried again.`,
          );
        break;
      default:
        assertNever(e);
    }
    push('account:changed', accountView());
  }

  // ---------------------------------------------------------------- account
  let connecting: {
    abort: AbortController;
    authorizeUrl: string | null;
    server: { kind: ServerKind; baseUrl: string };
  } | null = null;

  const serverOf = (baseUrl: string): { kind: ServerKind; baseUrl: string } => {
    const s = prefs.get().server;
    return s && s.baseUrl === baseUrl ? s : { kind: 'exist', baseUrl };
  };

  function accountView(): AccountView {
    const a = tokens.current();
    const saved = savedClient && savedClient.baseUrl === (a?.baseUrl ?? baseUrlNow()) ? savedClient : null;
    const base: Omit<AccountView, 'status'> = {
      server: connecting?.server ?? serverOf(a?.baseUrl ?? baseUrlNow()),
      clientId: a?.clientId ?? saved?.clientId ?? null,
      hasClientSecret: Boolean(a?.clientSecret ?? saved?.clientSecret),
      scopes: a?.scope ?? [],
      expiresAt: a?.expiresAt ?? null,
      profile: a?.profile ?? null,
      authorizeUrl: connecting?.authorizeUrl ?? null,
      error: lastAccountError,
    };
    if (connecting) return { ...base, status: 'connecting' };
    return { ...base, status: a ? a.status : 'disconnected' };
  }

  const requireAccount = (): StoredAccount => {
    const a = tokens.current();
    if (!a) throw new UserError('not-connected', 'Connect your Exist account first (Settings → Account).');
    return a;
  };

  /** The user's Exist timezone (an unknown name from the profile falls back to the machine's, not to an error). */
  const timezone = () => {
    const tz = tokens.current()?.profile?.timezone;
    return tz && isValidTimeZone(tz) ? tz : machineTimeZone();
  };
  const today = () => todayIn(timezone(), clock.now());

  const toAppError = (e: unknown): AppError => {
    if (isUserError(e)) return e.toAppError();
    if (isAuthFlowError(e)) return { code: e.code, message: e.message };
    if (isExistError(e)) return describeExistError(e);
    return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
  };

  async function refreshProfile(force = false): Promise<void> {
    const a = tokens.current();
    if (!a || a.status !== 'connected') return;
    if (!force && a.profile && a.profileFetchedAt && clock.now() - a.profileFetchedAt < PROFILE_TTL_MS) return;
    const profile = await client().getProfile();
    const latest = tokens.current() ?? a;
    await accountStore.save({ ...latest, profile, profileFetchedAt: clock.now() });
    await tokens.reload();
  }

  // ---------------------------------------------------------------- owned attributes
  const ownedPath = join(dataDir, 'owned.json');
  let owned = readOwnedCache(dataDir);

  const ownedAttributes = (): Attribute[] => {
    const a = tokens.current();
    return owned && a && owned.baseUrl === a.baseUrl ? owned.attributes : [];
  };

  const prefsFor = (a: Attribute) =>
    prefs.get().attributes[a.name] ?? { visible: true, steps: defaultSteps(a.value_type), order: a.priority };

  const ownedViews = (): OwnedAttributeView[] => sortOwned(ownedAttributes().map((a) => ownedView(a, prefsFor(a))));

  // One fetch at a time; a call made while one is in flight gets a fresh fetch after it
  // (the in-flight one may have started before the change the caller just made).
  let ownedRefresh: Promise<void> | null = null;
  let ownedRefreshNext: Promise<void> | null = null;
  function refreshOwned(): Promise<void> {
    if (ownedRefresh) {
      ownedRefreshNext ??= ownedRefresh
        .catch(() => {})
        .then(() => {
          ownedRefreshNext = null;
          return refreshOwned();
        });
      return ownedRefreshNext;
    }
    ownedRefresh = (async () => {
      try {
        const a = requireAccount();
        const list = await client().listAllOwned();
        owned = { baseUrl: a.baseUrl, fetchedAt: clock.now(), attributes: list };
        await writeFileAtomic(ownedPath, JSON.stringify(owned));
        const missing = list.filter((x) => !prefs.get().attributes[x.name]);
        if (missing.length > 0) {
          const maxOrder = Math.max(0, ...Object.values(prefs.get().attributes).map((p) => p.order));
          await prefs.update((p) => {
            missing.forEach(
              (x, i) =>
                (p.attributes[x.name] = { visible: true, steps: defaultSteps(x.value_type), order: maxOrder + i + 1 }),
            );
            return p;
          });
        }
        history.clear();
        loadHistory(today()); // so the first click of the day shows a total, not just "+1"
        push('attributes:changed', ownedViews());
        push('values:changed', { names: list.map((x) => x.name), dates: [] });
      } finally {
        ownedRefresh = null;
      }
    })();
    return ownedRefresh;
  }

  const requireOwned = (name: string): Attribute => {
    const a = ownedAttributes().find((x) => x.name === name);
    if (!a)
      throw new UserError(
        'not-owned',
        `Exist Tray does not own “${name}”. Add it in Settings → Attributes first.`,
        'name',
      );
    return a;
  };

  /** Like requireOwned, but asks Exist once when the cache does not know the name (the CLI after `acquire` elsewhere). */
  const ensureOwned = async (name: string): Promise<Attribute> => {
    if (!ownedAttributes().some((x) => x.name === name) && tokens.current()?.status === 'connected') {
      await refreshOwned().catch(() => {});
    }
    return requireOwned(name);
  };

  const hasScope = (wanted: string[]) => {
    const granted = new Set(tokens.current()?.scope ?? []);
    return wanted.some((s) => granted.has(s));
  };

  // ---------------------------------------------------------------- history (sparklines) — only with a read scope
  const history = new Map<
    IsoDate,
    { at: number; values: Map<string, { date: IsoDate; value: number | string | null }[]> }
  >();
  const historyLoads = new Map<IsoDate, Promise<void>>();
  const readable = (a: Attribute) => hasScope(readScopesFor(a.group.name, a.manual));

  function loadHistory(date: IsoDate): void {
    const names = ownedAttributes()
      .filter(readable)
      .map((a) => a.name);
    const cached = history.get(date);
    if (names.length === 0 || historyLoads.has(date) || (cached && clock.now() - cached.at < HISTORY_TTL_MS)) return;
    const load = (async () => {
      try {
        const values = new Map<string, { date: IsoDate; value: number | string | null }[]>();
        const page = await client().withValues({ days: 7, dateMax: date, attributes: names, limit: 100 });
        for (const attr of page.results) {
          const byDate = new Map((attr.values ?? []).map((v) => [v.date, v.value]));
          values.set(
            attr.name,
            Array.from({ length: 7 }, (_, i) => addDays(date, i - 6)).map((d) => ({
              date: d,
              value: byDate.get(d) ?? null,
            })),
          );
        }
        history.set(date, { at: clock.now(), values });
        push('values:changed', { names, dates: [date] });
      } catch {
        // sparklines are a nicety: the row still shows the value the outbox knows
      } finally {
        historyLoads.delete(date);
      }
    })();
    historyLoads.set(date, load);
  }

  // ---------------------------------------------------------------- outbox and sync
  let outbox: Outbox | null = null;
  let budget: RateBudget | null = null;
  let progress: { sent: number; total: number } | null = null;
  let lastSyncError: AppError | null = null;

  const writeApi = existWriteApi(client, {
    canRead: (name) => {
      const a = ownedAttributes().find((x) => x.name === name);
      return a !== undefined && readable(a);
    },
    templateOf: (name) => ownedAttributes().find((x) => x.name === name)?.template,
  });

  let outboxKey: string | null = null;
  let startupDone = false;

  let outboxBusy: { pid: number; cancelRetry: () => void } | null = null;

  const requireOutbox = (): Outbox => {
    if (outbox) return outbox;
    if (!startupDone) throw new UserError('not-ready', 'Exist Tray is still starting. Try again in a moment.');
    if (outboxBusy)
      throw new UserError(
        'outbox-busy',
        `Another Exist Tray process (pid ${outboxBusy.pid}) is sending this account’s writes; Exist Tray takes over when it is done.`,
      );
    throw new UserError('not-connected', 'Connect your Exist account first (Settings → Account).');
  };

  /** Opens the outbox of the account `key` (closing another account's, whose writes stay on disk for it). */
  async function useOutboxOf(key: string): Promise<void> {
    if (key === outboxKey && outbox) return;
    const previous = outbox;
    outbox = null;
    if (previous) {
      const left = previous.pending().length;
      previous.stop();
      await previous.close();
      if (left > 0)
        push('app:notification', {
          kind: 'info',
          title: 'Writes kept for the other account',
          body: `${left} write${left === 1 ? '' : 's'} queued for the account you used before ${left === 1 ? 'is' : 'are'} kept and will be sent when you connect it again.`,
          at: clock.now(),
        });
    }
    const dir = accountDir(dataDir, key);
    budget = createRateBudget({ clock, dir: join(dir, 'outbox') });
    const opened = await createOutbox({ dir, api: writeApi, clock, budget, onEvent: onOutboxEvent });
    outbox = opened;
    outboxKey = key;
    if (prefs.get().accountKey !== key) await prefs.update((p) => ({ ...p, accountKey: key }));
    for (const w of opened.warnings)
      push('app:notification', { kind: 'info', title: 'Outbox recovered', body: w, at: clock.now() });
    if (autoFlush) opened.startAutoFlush({ debounceMs: deps.flushDebounceMs }); // pacing: outbox/flush-scheduler.ts
    deps.shell.setPendingCount(opened.pending().length);
    schedulePush();
  }

  /** Opens the account's outbox, or (app hosts) waits for another process to let go of it. */
  async function openOutboxOf(key: string): Promise<void> {
    try {
      await useOutboxOf(key);
      if (outboxBusy) lastSyncError = null;
      outboxBusy = null;
    } catch (e) {
      if (!(e instanceof OutboxLockedError) || deps.whenOutboxLocked !== 'wait' || stopped) throw e;
      outboxBusy?.cancelRetry();
      outboxBusy = { pid: e.pid, cancelRetry: clock.setTimeout(() => void openOutboxOf(key).catch(() => {}), 3_000) };
      lastSyncError = { code: 'outbox-busy', message: e.message };
      schedulePush();
    }
  }

  const currentSyncView = (): SyncView => {
    const s = outbox?.snapshot() ?? EMPTY_SNAPSHOT;
    const b = budget?.status();
    return syncView(s, {
      progress,
      lastError: lastSyncError,
      rate: {
        used: b?.used ?? 0,
        limit: b?.limit ?? 300,
        pausedUntil: b && b.pausedUntil > clock.now() ? b.pausedUntil : null,
      },
    });
  };

  // Pushes are coalesced: a burst of outbox events becomes one sync:changed and one values:changed.
  let pushTimer: (() => void) | null = null;
  const dirtyNames = new Set<string>();
  const dirtyDates = new Set<string>();
  const schedulePush = () => {
    pushTimer ??= clock.setTimeout(() => {
      pushTimer = null;
      const view = currentSyncView();
      push('sync:changed', view);
      deps.shell.setPendingCount(view.pending);
      if (dirtyNames.size > 0) {
        push('values:changed', { names: [...dirtyNames], dates: [...dirtyDates] });
        dirtyNames.clear();
        dirtyDates.clear();
      }
    }, 30);
  };

  function onOutboxEvent(e: OutboxEvent) {
    switch (e.type) {
      case 'item':
        dirtyNames.add(e.item.op.name);
        dirtyDates.add(e.item.op.date);
        if (e.item.state === 'failed')
          notices.once(
            'writes-failing',
            'Exist refused a write',
            `${e.item.op.name} on ${e.item.op.date}: ${e.item.error?.message ?? 'failed'}. See Settings → Sync.`,
          );
        break;
      case 'expected':
        dirtyNames.add(e.expected.name);
        dirtyDates.add(e.expected.date);
        break;
      case 'progress':
        progress = e.sent >= e.total ? null : { sent: e.sent, total: e.total };
        break;
      case 'synced':
        progress = null;
        lastSyncError = null;
        if ((outbox?.failed().length ?? 0) === 0) notices.clear('writes-failing');
        break;
      case 'stopped':
        progress = null;
        lastSyncError = describeStop(e);
        if (e.reason === 'auth' && tokens.current()) {
          notices.once(
            'reconnect-needed',
            'Reconnect Exist Tray',
            'Exist refused this app’s token. Open Settings → Account and connect again; your pending writes are kept.',
          );
          void tokens.reload().then(() => push('account:changed', accountView()));
        }
        break;
      case 'removed':
      case 'counts':
      case 'warning':
        break;
      default:
        assertNever(e);
    }
    schedulePush();
  }

  const resolveDate = (date: IsoDate | undefined): IsoDate => {
    if (date === undefined) return today();
    const r = parseDateChoice(date, timezone(), clock.now());
    if (!r.ok) throw new UserError('invalid-date', r.message, 'date');
    return r.value;
  };

  async function enqueueIncrement(name: string, delta: number, dateIn?: IsoDate): Promise<WriteReceipt> {
    const a = await ensureOwned(name);
    if (!isIncrementable(a.value_type))
      throw new UserError(
        'not-incrementable',
        `${a.label} is a ${valueTypeLabel(a.value_type).toLowerCase()} attribute: it can’t be incremented. Set a total instead.`,
        'delta',
      );
    const v = validateStoredDelta(a.value_type, delta);
    if (!v.ok) throw new UserError('invalid-value', v.message, 'delta');
    const date = resolveDate(dateIn);
    const item = await requireOutbox().enqueue(
      { kind: 'increment', name, date, delta: v.value as number },
      { interactive: true },
    );
    return {
      id: item.id,
      name,
      date,
      undoUntil: clock.now() + UNDO_WINDOW_MS,
      description: `${formatDelta(a.value_type, v.value as number)} ${a.label}${date === today() ? '' : ` on ${date}`}`,
    };
  }

  async function enqueueSet(name: string, value: number | string, dateIn?: IsoDate): Promise<WriteReceipt> {
    const a = await ensureOwned(name);
    const v = validateStoredValue(a.value_type, value, name);
    if (!v.ok) throw new UserError('invalid-value', v.message, 'value');
    const date = resolveDate(dateIn);
    const item = await requireOutbox().enqueue({ kind: 'set', name, date, value: v.value }, { interactive: true });
    return {
      id: item.id,
      name,
      date,
      undoUntil: clock.now() + UNDO_WINDOW_MS,
      description: `${a.label}${date === today() ? '' : ` on ${date}`} set to ${formatValue(a.value_type, v.value)}`,
    };
  }

  async function syncNow(): Promise<SyncView> {
    const report = await requireOutbox().flush({ interactive: true });
    if (report.stopped) lastSyncError = describeStop(report.stopped);
    return currentSyncView();
  }

  // ---------------------------------------------------------------- scheduled jobs and history import (through the outbox)
  const jobs = createJobsService({
    dataDir,
    clock,
    timezone,
    enqueueSet: (name, date, value) => requireOutbox().enqueue({ kind: 'set', name, date, value }),
    flush: () => requireOutbox().flush(),
    attribute: (name) => ensureOwned(name).catch(() => undefined),
    // The jobs service already tells each job's failure once per episode (and remembers it across restarts).
    notifyOnce: (kind, title, body) => notices.notify(kind, title, body),
    clearNotice: () => {},
    onJobsChanged: (list) => push('jobs:changed', list),
    onImportProgress: (p) => push('import:progress', p),
    onOutboxProgress: (l) =>
      requireOutbox().onChange((e) => {
        if (e.type === 'progress') l({ sent: e.sent, total: e.total });
      }),
  });

  // ---------------------------------------------------------------- connect
  async function connect(req: {
    clientId: string;
    clientSecret: string;
    scopes: string[];
    server: ServerKind;
  }): Promise<AccountView> {
    if (connecting)
      throw new UserError('busy', 'A connection attempt is already waiting for the browser. Cancel it first.');
    if (req.scopes.length === 0)
      throw new UserError('no-scopes', 'Choose at least one permission (scope) to ask for.', 'scopes');
    let baseUrl: string;
    let clientId = req.clientId;
    let clientSecret = req.clientSecret;
    switch (req.server) {
      case 'sandbox': {
        if (!deps.sandbox) throw new UserError('no-sandbox', 'The local sandbox is not available in this build.');
        const s = await deps.sandbox.start();
        baseUrl = s.url;
        clientId = s.clientId;
        clientSecret = s.clientSecret;
        break;
      }
      case 'exist':
        if (!clientId)
          throw new UserError('missing-client-id', 'Enter the client ID of the app you created in Exist.', 'clientId');
        baseUrl = deps.existUrl ?? DEFAULT_EXIST_URL;
        // Reconnecting the same client: the stored secret is used when the form leaves it empty.
        if (!clientSecret && tokens.current()?.clientId === clientId)
          clientSecret = tokens.current()?.clientSecret ?? '';
        if (!clientSecret && savedClient?.clientId === clientId && savedClient.baseUrl === baseUrl)
          clientSecret = savedClient.clientSecret;
        if (!clientSecret)
          throw new UserError(
            'missing-client-secret',
            'Enter the client secret of the app you created in Exist.',
            'clientSecret',
          );
        break;
      default:
        return assertNever(req.server);
    }
    const abort = new AbortController();
    const attemptServer = { kind: req.server, baseUrl };
    connecting = { abort, authorizeUrl: null, server: attemptServer };
    lastAccountError = null;
    push('account:changed', accountView());

    let urlReady!: () => void;
    const urlKnown = new Promise<void>((r) => (urlReady = r));
    const attempt = connectAccount({
      client: createExistClient({ baseUrl, fetch: deps.fetch }),
      opener: deps.opener,
      clientId,
      clientSecret,
      scopes: req.scopes,
      store: accountStore,
      clock,
      signal: abort.signal,
      ...(deps.redirectUri ? { redirectUri: deps.redirectUri } : {}),
      onAuthorizeUrl: (url) => {
        if (connecting?.abort === abort) connecting.authorizeUrl = url;
        urlReady();
        push('account:changed', accountView());
      },
    });
    const done = attempt.then(
      async () => {
        await prefs.update((p) => ({ ...p, server: attemptServer }));
        lastSyncError = null;
        if (req.server === 'exist') await saveClient(baseUrl, clientId, clientSecret);
        const fresh = await tokens.reload();
        if (fresh) await openOutboxOf(accountKey(fresh, req.server));
        connecting = null;
        notices.clear('reconnect-needed');
        push('account:changed', accountView());
        await refreshOwned().catch((e: unknown) => (lastAccountError = toAppError(e)));
        void outbox?.flush().catch(() => {});
        push('account:changed', accountView());
      },
      (e: unknown) => {
        if (connecting?.abort === abort) connecting = null;
        if (!(isAuthFlowError(e) && e.code === 'cancelled')) lastAccountError = toAppError(e);
        push('account:changed', accountView());
        throw e;
      },
    );
    done.catch(() => {});
    // Answer once the browser has been sent to Exist, or at once if the attempt failed before (port 8000 busy).
    await Promise.race([urlKnown, done]).catch((e: unknown) => {
      throw new UserError(toAppError(e).code, toAppError(e).message);
    });
    return accountView();
  }

  // ---------------------------------------------------------------- handlers
  const invoke: InvokeHandlers = {
    'app:get-info': async () => ({ ...deps.info }),
    'account:get': async () => accountView(),
    'account:connect': (req) => connect(req),
    'account:cancel-connect': async () => {
      connecting?.abort.abort();
      connecting = null;
      push('account:changed', accountView());
      return accountView();
    },
    'account:refresh': async () => {
      requireAccount();
      await tokens.refreshNow();
      await refreshProfile(true);
      lastAccountError = null;
      push('account:changed', accountView());
      return accountView();
    },
    'account:disconnect': async () => {
      connecting?.abort.abort();
      connecting = null;
      await accountStore.clear();
      await tokens.reload();
      lastAccountError = null;
      push('account:changed', accountView());
      push('attributes:changed', ownedViews());
      return accountView();
    },
    'attributes:list-owned': async ({ refresh }) => {
      if (refresh && tokens.current()?.status === 'connected') await refreshOwned();
      else if (tokens.current() && (!owned || clock.now() - owned.fetchedAt > OWNED_TTL_MS))
        void refreshOwned().catch(() => {});
      return ownedViews();
    },
    'attributes:list-templates': async ({ group }) => {
      requireAccount();
      const list = await client().listAllTemplates(group ? { groups: [group] } : {});
      const mine = new Set(ownedAttributes().map((a) => a.template ?? a.name));
      return list.map((t): TemplateView => ({
        ...t,
        label: (t as { label?: string }).label ?? t.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        owned: mine.has(t.name),
      }));
    },
    'attributes:acquire': async ({ by, name, manual }) => {
      requireAccount();
      if (by === 'template') {
        const template = (await client().listAllTemplates()).find((t) => t.name === name);
        if (!template)
          throw new UserError(
            'no-such-template',
            `Exist has no template called “${name}”. Add it by name instead if it is your own attribute.`,
            'name',
          );
        if (!hasScope(writeScopesFor(template.group, Boolean(manual))))
          throw new UserError(
            'missing-scope',
            `Adding “${name}” needs the ${template.group}_write permission, which this connection did not grant. Reconnect in Settings → Account with it ticked.`,
          );
      }
      const r = await client().acquire([
        by === 'template'
          ? { template: name, ...(manual === undefined ? {} : { manual }) }
          : { name, ...(manual === undefined ? {} : { manual }) },
      ]);
      const failure = r.failed[0];
      if (failure)
        throw new UserError(
          failure.error_code === 'not_found' ? 'no-such-attribute' : 'acquire-failed',
          `Exist did not let Exist Tray take “${name}”: ${failure.error}`,
          'name',
        );
      await refreshOwned();
      const a = ownedAttributes().find((x) => x.name === name);
      if (!a)
        throw new UserError(
          'acquire-failed',
          `Exist accepted “${name}”, but it is not among the attributes this app owns.`,
        );
      return ownedView(a, prefsFor(a));
    },
    'attributes:create': async ({ label, group, valueType, manual }) => {
      requireAccount();
      if (!hasScope(writeScopesFor(group, manual)))
        throw new UserError(
          'missing-scope',
          `Creating an attribute in ${group} needs the ${group}_write permission${manual ? ' (or manual_write)' : ''}. Reconnect in Settings → Account with it ticked.`,
        );
      const r = await client().create([{ label, group, value_type: VALUE_TYPES[valueType], manual }], {
        successObjects: true,
      });
      const failure = r.failed[0];
      if (failure)
        throw new UserError(
          ['exists', 'already_exists'].includes(failure.error_code) ? 'already-exists' : 'create-failed',
          `Exist did not create “${label}”: ${failure.error}`,
          'label',
        );
      const created = r.success[0] as { name?: unknown } | undefined;
      await refreshOwned();
      const a =
        ownedAttributes().find((x) => x.name === created?.name) ?? ownedAttributes().find((x) => x.label === label);
      if (!a)
        throw new UserError(
          'create-failed',
          `Exist created “${label}”, but it is not among the attributes this app owns.`,
        );
      return ownedView(a, prefsFor(a));
    },
    'attributes:release': async ({ name }) => {
      requireOwned(name);
      const waiting = (outbox?.pending() ?? []).filter((i) => i.op.name === name).length;
      if (waiting > 0)
        throw new UserError(
          'pending-writes',
          `${waiting} write${waiting === 1 ? '' : 's'} for “${name}” ${waiting === 1 ? 'is' : 'are'} still waiting. Sync or discard ${waiting === 1 ? 'it' : 'them'} first, so nothing is lost.`,
        );
      const r = await client().release([{ name }]);
      const failure = r.failed[0];
      if (failure) throw new UserError('release-failed', `Exist did not release “${name}”: ${failure.error}`);
      await refreshOwned();
      return { name };
    },
    'attributes:set-prefs': async ({ name, visible, steps }) => {
      const a = requireOwned(name);
      const current = prefsFor(a);
      await prefs.update((p) => {
        p.attributes[name] = {
          ...current,
          ...(visible === undefined ? {} : { visible }),
          ...(steps === undefined ? {} : { steps: [...new Set(steps)].sort((x, y) => x - y) }),
        };
        return p;
      });
      push('attributes:changed', ownedViews());
      push('values:changed', { names: [name], dates: [] });
      return ownedView(a, prefsFor(a));
    },
    'attributes:reorder': async ({ names }) => {
      for (const n of names) requireOwned(n);
      await prefs.update((p) => {
        names.forEach((n, i) => {
          const a = requireOwned(n);
          p.attributes[n] = { ...prefsFor(a), order: i };
        });
        return p;
      });
      const views = ownedViews();
      push('attributes:changed', views);
      push('values:changed', { names, dates: [] });
      return views;
    },
    'tray:get-view': async ({ date: dateIn }) => {
      const date = resolveDate(dateIn);
      const box = outbox;
      const a = tokens.current();
      if (a?.status === 'connected') loadHistory(date);
      const hist = history.get(date);
      return trayView({
        account: accountView().status,
        date,
        today: today(),
        timezone: timezone(),
        profile: a?.profile ?? null,
        owned: ownedViews(),
        snapshot: box?.snapshot() ?? EMPTY_SNAPSHOT,
        expected: (n, d) => box?.expected(n, d),
        knownTotal: (n, d) => box?.knownTotal(n, d),
        history: (n) => hist?.values.get(n) ?? null,
      });
    },
    'values:increment': ({ name, delta, date }) => enqueueIncrement(name, delta, date),
    'values:set': ({ name, value, date }) => enqueueSet(name, value, date),
    'values:undo': async ({ id }) => {
      const r = await requireOutbox().undo(id);
      if (!r.ok) throw new UserError(r.error.code, r.error.message);
      switch (r.value.action) {
        case 'removed':
          return { undone: true, message: 'Undone before it reached Exist.' };
        case 'inverse-enqueued':
          return { undone: true, message: 'Undone: the opposite change is on its way to Exist.' };
        case 'restored':
          return { undone: true, message: 'Undone: the previous total is being restored in Exist.' };
        default:
          return assertNever(r.value);
      }
    },
    'sync:get': async () => currentSyncView(),
    'sync:now': () => syncNow(),
    'sync:retry': async ({ ids }) => {
      await requireOutbox().retry(ids);
      if (autoFlush)
        void requireOutbox()
          .flush({ interactive: true })
          .catch(() => {});
      return currentSyncView();
    },
    'sync:discard': async ({ ids }) => {
      await requireOutbox().discard(ids);
      return currentSyncView();
    },
    'settings:get': async () => prefs.get().settings,
    'settings:set': async (change) => {
      const before = prefs.get().settings;
      if (
        change.launchAtLogin !== undefined &&
        change.launchAtLogin !== before.launchAtLogin &&
        !deps.shell.setLaunchAtLogin(change.launchAtLogin)
      )
        throw new UserError(
          'login-item-refused',
          'The system did not allow Exist Tray to change “launch at login”.',
          'launchAtLogin',
        );
      if (
        change.globalShortcut !== undefined &&
        change.globalShortcut !== before.globalShortcut &&
        !deps.shell.setGlobalShortcut(change.globalShortcut)
      )
        throw new UserError(
          'shortcut-refused',
          `The shortcut ${change.globalShortcut} is taken by another app or not valid here. Choose another.`,
          'globalShortcut',
        );
      const next = await prefs.update((p) => ({ ...p, settings: { ...p.settings, ...change } }));
      push('settings:changed', next.settings);
      return next.settings;
    },
    ...jobsHandlers(jobs),
  };

  const send: SendHandlers = {
    'window:close': () => deps.shell.closePopover(),
    'window:open-settings': ({ tab }) => deps.shell.openSettings(tab),
    'shell:open-external': ({ url }) => void deps.opener.openExternal(url).catch(() => {}),
  };

  /**
   * The embedded sandbox listens on a new loopback port each run; its state (and so the
   * tokens) persists in the data dir. A sandbox account is pointed at the new address.
   */
  async function reattachSandbox(): Promise<void> {
    const server = prefs.get().server;
    const a = tokens.current();
    if (server?.kind !== 'sandbox' || !deps.sandbox || !a) return;
    const s = await deps.sandbox.start();
    if (s.url === a.baseUrl) return;
    await accountStore.save({ ...a, baseUrl: s.url });
    await prefs.update((p) => ({ ...p, server: { kind: 'sandbox', baseUrl: s.url } }));
    if (owned && owned.baseUrl === a.baseUrl) owned = { ...owned, baseUrl: s.url };
    await tokens.reload();
  }

  let started: Promise<void> | null = null;
  let stopped = false;
  let unsubscribePower: (() => void) | undefined;

  async function wake(): Promise<void> {
    await tokens.checkNow().catch(() => {});
    outbox?.notifyOnline();
    if (autoFlush) void jobs.wake().catch(() => {});
    if (autoFlush && tokens.current()?.status === 'connected') void outbox?.flush().catch(() => {});
  }

  return {
    invoke,
    send,
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    commands: {
      syncNow: async () => {
        await syncNow();
      },
      increment: (name, delta, date) => enqueueIncrement(name, delta, date),
      set: (name, value, date) => enqueueSet(name, value, date),
      wake,
    },
    start() {
      started ??= (async () => {
        await loadSavedClient();
        for (const w of jobs.warnings)
          push('app:notification', { kind: 'info', title: 'Scheduled jobs', body: w, at: clock.now() });
        if (autoFlush) jobs.start();
        if (prefs.loadWarning) notices.notify('info', 'Settings reset', prefs.loadWarning);
        await tokens.start().catch((e: unknown) => {
          lastAccountError = toAppError(e);
        });
        await reattachSandbox().catch((e: unknown) => {
          lastAccountError = toAppError(e);
        });
        const account = tokens.current();
        // The outbox of the stored account (an account stored without a key — older data,
        // or stored by a tool — gets one from its server and user).
        if (account) await openOutboxOf(prefs.get().accountKey ?? accountKey(account, serverOf(account.baseUrl).kind));
        startupDone = true;
        unsubscribePower = deps.power?.onOnline?.(() => void wake());
        // Without a profile, "today" would be the machine's date: fetch it first (every host).
        if (tokens.current()?.status === 'connected' && !tokens.current()?.profile)
          await refreshProfile(true).catch(() => {});
        if (tokens.current()?.status === 'connected' && autoFlush) {
          void refreshProfile().catch(() => {});
          if (!owned || clock.now() - owned.fetchedAt > OWNED_TTL_MS) void refreshOwned().catch(() => {});
        }
      })();
      return started;
    },
    async stop() {
      await started?.catch(() => {}); // a stop during start waits for it, so nothing is left open
      stopped = true;
      outboxBusy?.cancelRetry();
      connecting?.abort.abort();
      connecting = null;
      unsubscribePower?.();
      tokens.stop();
      pushTimer?.();
      jobs.stop();
      await jobs.idle();
      await outbox?.close();
      outbox = null;
      await deps.sandbox?.stop();
    },
  };
}
