/**
 * createAppCore: the composition root of the main-side application, electron-free, for
 * three hosts (the Electron shell, the browser host, the CLI). It builds the data
 * folder's preferences and notices, ONE AccountSession (src/core/session: tokens, client,
 * outbox, budget, owned list, history of the connected account) and the services
 * (./services: account, attributes, writes, sync, history, settings, jobs), and joins
 * their handler maps into the IPC contract's InvokeHandlers. No application rule lives
 * here: each is in the service that owns it. Start-up and shut-down order is here.
 */
import { join } from 'node:path';
import { DEFAULT_EXIST_URL } from '../../shared/domain';
import type { InvokeHandlers, PushChannel, PushContract, SendHandlers } from '../../shared/ipc-contract';
import { jobsHandlers } from '../jobs';
import { accountKey, createAccountSession, ownedCachePath, type AccountSession } from '../session';
import type { AppContext } from './context';
import { createNotices, notificationEnabled } from './notices';
import { accountHandlers, createAccountService } from './services/account';
import { attributesHandlers, onOwnedRefreshed, ownedStale } from './services/attributes';
import { historyHandlers } from './services/history';
import { createAppJobs } from './services/jobs';
import { settingsHandlers } from './services/settings';
import { createSyncService, syncHandlers } from './services/sync';
import { createWritesService, writesHandlers } from './services/writes';
import { createLinksService, linksDepsFrom } from './services/links';
import { createInsightsService } from './services/insights';
import { ownershipHandlers } from './services/ownership';
import { quickAddHandlers } from './services/quickadd';
import { createRemindersService, remindersHandlers } from './services/reminders';
import { trayStateFrom } from '../traystate';
import { trayTitleFor } from './services/tray-title';
import { openPrefsStore } from './settings-store';
import type { AppCore, AppCoreDeps, PushListener } from './types';

export type { AppCore, AppCoreDeps } from './types';
export { accountDir, accountKey, readOwnedCache, readScopesFor, writeScopesFor, type OwnedCache } from '../session';
export { UNDO_WINDOW_MS } from './services/writes';

export function createAppCore(deps: AppCoreDeps): AppCore {
  const { clock, dataDir } = deps;
  const autoFlush = deps.autoFlush ?? true;
  const prefs = openPrefsStore(join(dataDir, 'settings.json'), () => clock.now());
  const listeners = new Set<PushListener>();
  let servicesBuilt = false; // pushes made while the services are being built have no tray to update
  const emit = <K extends PushChannel>(channel: K, payload: PushContract[K]) => {
    afterPush(channel);
    for (const l of listeners) {
      try {
        l(channel, payload);
      } catch {
        // a broken listener (closed window) must not break the core
      }
    }
  };
  // The sync state follows every sync and account push, once per change (a microtask
  // later: the services it reads are built below).
  let lastState = '';
  const pushSyncState = () => {
    const state = sync.state();
    const json = JSON.stringify(state);
    if (json === lastState) return;
    lastState = json;
    emit('sync:state-changed', state);
  };
  const push = <K extends PushChannel>(channel: K, payload: PushContract[K]) => {
    emit(channel, payload);
    if (channel === 'sync:changed' || channel === 'account:changed') queueMicrotask(pushSyncState);
  };
  const notices = createNotices({
    notifier: deps.notifier,
    enabled: (kind) => notificationEnabled(prefs.get().settings, kind),
    onNotice: (n) => push('app:notification', n),
    now: () => clock.now(),
  });

  // The services are built after the context; the session calls them back only later.
  const ctx: AppContext = {
    deps,
    prefs,
    push,
    notices,
    autoFlush,
    session: () => session,
    accountView: () => account.view(),
  };
  const session: AccountSession = createAccountSession({
    dataDir,
    secrets: deps.secrets,
    ownedPath: ownedCachePath(dataDir),
    identity: (a) => accountKey(a, account.serverOf(a.baseUrl).kind),
    clock,
    fetch: deps.fetch,
    power: deps.power,
    defaultBaseUrl: () => prefs.get().server?.baseUrl ?? deps.existUrl ?? DEFAULT_EXIST_URL,
    whenOutboxLocked: deps.whenOutboxLocked ?? 'fail',
    autoFlush: autoFlush ? { debounceMs: deps.flushDebounceMs } : null, // timing: outbox/flush-scheduler.ts (pacing)
    onTokenEvent: (e) => account.onTokenEvent(e),
    onOutboxEvent: (e) => sync.onOutboxEvent(e),
    onOutboxChanged: (opened) => {
      if (opened) deps.shell.setPendingCount(opened.pending().length);
      sync.schedulePush();
    },
    onOwnedRefreshed: onOwnedRefreshed(ctx),
    onHistoryLoaded: (names, date) => push('values:changed', { names, dates: [date] }),
    rememberOutboxKey: async (key) => {
      if (prefs.get().accountKey !== key) await prefs.update((p) => ({ ...p, accountKey: key }));
    },
    // Through the notices, so the CLI prints them too.
    notify: (n) => notices.notify(n.kind === 'token-refresh-failed' ? n.kind : 'info', n.title, n.body),
  });
  const account = createAccountService(ctx);
  const sync = createSyncService(ctx);
  const writes = createWritesService(ctx);
  const links = createLinksService(linksDepsFrom(ctx, writes, async () => undefined));
  const jobs = createAppJobs(ctx);
  const insights = createInsightsService(ctx);
  const reminders = createRemindersService(ctx, writes);
  /** Issue 18: the tray shows state after sync/account changes; reminder rules are re-read after attribute changes. */
  servicesBuilt = true;
  function afterPush(channel: PushChannel): void {
    if (!servicesBuilt) return;
    // The macOS title is a value: it follows values and the chosen attribute too.
    if (['sync:state-changed', 'values:changed', 'settings:changed', 'attributes:changed'].includes(channel))
      showTrayState();
    if (channel === 'attributes:changed') reminders.check();
  }
  function showTrayState(): void {
    deps.shell.setTrayState?.(trayStateFrom(sync.state(), trayTitleFor(ctx)));
  }

  const invoke: InvokeHandlers = {
    'app:get-info': async () => ({ ...deps.info }),
    ...accountHandlers(account),
    ...attributesHandlers(ctx),
    ...historyHandlers(ctx, insights),
    ...ownershipHandlers(ctx),
    ...quickAddHandlers(ctx, writes),
    ...remindersHandlers(reminders),
    ...writesHandlers(ctx, writes),
    ...syncHandlers(ctx, sync),
    ...settingsHandlers(ctx),
    ...jobsHandlers(jobs),
    ...links.handlers,
  };

  const send: SendHandlers = {
    'window:close': () => deps.shell.closePopover(),
    'window:open-settings': ({ tab }) => deps.shell.openSettings(tab),
    'shell:open-external': ({ url }) => void deps.opener.openExternal(url).catch(() => {}),
  };

  let started: Promise<void> | null = null;
  let unsubscribePower: (() => void) | undefined;

  async function wake(): Promise<void> {
    await session.tokens.checkNow().catch(() => {});
    session.outbox.current()?.notifyOnline();
    reminders.check();
    if (autoFlush) void jobs.wake().catch(() => {});
    if (autoFlush && session.connected())
      void session.outbox
        .current()
        ?.flush()
        .catch(() => {});
  }

  async function start(): Promise<void> {
    await account.start();
    for (const w of jobs.warnings) notices.notify('info', 'Scheduled jobs', w);
    if (autoFlush) jobs.start();
    if (prefs.loadWarning) notices.notify('info', 'Settings reset', prefs.loadWarning);
    await account.resume();
    for (const w of deps.secrets.warnings ?? []) notices.notify('info', 'Saved sign-in', w);
    session.outbox.markReady();
    if (autoFlush) reminders.start();
    showTrayState();
    unsubscribePower = deps.power?.onOnline?.(() => void wake());
    // Without a profile, "today" would be the machine's date: fetch it first (every host).
    if (session.connected() && !session.account()?.profile) await session.refreshProfile(true).catch(() => {});
    if (session.connected() && autoFlush) {
      void session.refreshProfile().catch(() => {});
      if (ownedStale(ctx)) void session.owned.refresh().catch(() => {});
    }
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
        await sync.syncNow();
      },
      increment: (name, delta, date) => writes.increment(name, delta, date),
      set: (name, value, date) => writes.set(name, value, date),
      wake,
      decideLaunch: links.decide,
    },
    start() {
      started ??= start();
      return started;
    },
    async stop() {
      await started?.catch(() => {}); // a stop during start waits for it, so nothing is left open
      session.halt();
      reminders.stop();
      account.stop();
      unsubscribePower?.();
      sync.stop();
      jobs.stop();
      await jobs.idle();
      await session.close();
      await deps.sandbox?.stop();
    },
  };
}
