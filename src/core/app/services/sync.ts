/**
 * The sync service: the outbox as the interface sees it (pending, failed, progress, the
 * rate budget), sending now, retrying and discarding, and the coalesced pushes that keep
 * the windows and the tray's pending count current. Outbox events become notices here.
 */
import type { InvokeHandlers, SyncState, SyncView } from '../../../shared/ipc-contract';
import { assertNever } from '../../../shared/result';
import type { OutboxEvent, OutboxSnapshot } from '../../outbox';
import type { AppContext } from '../context';
import { syncState } from '../../sync-state';
import { describeRefusedWrite } from '../../errors/refusal';
import { formatDay } from '../../values/day-format';
import { describeStop, syncView } from '../views';

export const EMPTY_SNAPSHOT: OutboxSnapshot = {
  pending: [],
  sending: [],
  failed: [],
  recent: [],
  maybeDoubled: [],
  expected: [],
  lastSyncAt: null,
  stopped: null,
};

/** How long a burst of outbox events is gathered into one sync:changed and one values:changed. */
const PUSH_COALESCE_MS = 30;

export interface SyncService {
  view(): SyncView;
  /** The one sync state every surface shows (src/core/sync-state.ts). */
  state(): SyncState;
  onOutboxEvent(e: OutboxEvent): void;
  /** Push sync:changed (and the dirty values) soon, once for a burst. */
  schedulePush(): void;
  syncNow(): Promise<SyncView>;
  stop(): void;
}

export function createSyncService(ctx: AppContext): SyncService {
  const { deps, notices, push } = ctx;
  const s = ctx.session;
  let pushTimer: (() => void) | null = null;
  const dirtyNames = new Set<string>();
  const dirtyDates = new Set<string>();
  const labelOf = (name: string) =>
    s()
      .owned.attributes()
      .find((a) => a.name === name)?.label ?? name;

  const view = (): SyncView => {
    const slot = s().outbox;
    const snapshot = slot.current()?.snapshot() ?? EMPTY_SNAPSHOT;
    const b = slot.budget()?.status();
    return syncView(snapshot, {
      progress: slot.status.progress,
      lastError: slot.status.lastError,
      rate: {
        used: b?.used ?? 0,
        limit: b?.limit ?? 300,
        pausedUntil: b && b.pausedUntil > deps.clock.now() ? b.pausedUntil : null,
      },
    });
  };

  const state = (): SyncState => syncState({ account: ctx.accountView().status, sync: view(), now: deps.clock.now() });

  const schedulePush = () => {
    pushTimer ??= deps.clock.setTimeout(() => {
      pushTimer = null;
      const v = view();
      push('sync:changed', v);
      deps.shell.setPendingCount(v.pending);
      if (dirtyNames.size > 0) {
        push('values:changed', { names: [...dirtyNames], dates: [...dirtyDates] });
        dirtyNames.clear();
        dirtyDates.clear();
      }
    }, PUSH_COALESCE_MS);
  };

  function onOutboxEvent(e: OutboxEvent) {
    const session = s();
    const status = session.outbox.status;
    switch (e.type) {
      case 'item':
        dirtyNames.add(e.item.op.name);
        dirtyDates.add(e.item.op.date);
        if (e.item.state === 'failed')
          notices.once(
            'writes-failing',
            'Exist refused a write',
            // By label and in the one date format; the refusal worded by the one mapper.
            `${labelOf(e.item.op.name)} on ${formatDay(e.item.op.date)}: ${e.item.error ? describeRefusedWrite(e.item.error).message : 'Exist refused it.'} See Settings → Sync.`,
          );
        break;
      case 'expected':
        dirtyNames.add(e.expected.name);
        dirtyDates.add(e.expected.date);
        break;
      case 'progress':
        status.progress = e.sent >= e.total ? null : { sent: e.sent, total: e.total };
        break;
      case 'synced':
        status.progress = null;
        status.lastError = null;
        if ((session.outbox.current()?.failed().length ?? 0) === 0) notices.clear('writes-failing');
        break;
      case 'stopped':
        status.progress = null;
        status.lastError = describeStop(e, status.lastError);
        if (e.reason === 'auth' && session.account()) {
          notices.once(
            'reconnect-needed',
            'Reconnect Exist Tray',
            'Exist refused this app’s token. Open Settings → Account and connect again; your pending writes are kept.',
          );
          void session.tokens.reload().then(() => push('account:changed', ctx.accountView()));
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

  async function syncNow(): Promise<SyncView> {
    const slot = s().outbox;
    const report = await slot.require().flush({ interactive: true });
    if (report.stopped) slot.status.lastError = describeStop(report.stopped, slot.status.lastError);
    return view();
  }

  return {
    view,
    onOutboxEvent,
    schedulePush,
    syncNow,
    state,
    stop: () => pushTimer?.(),
  };
}

export function syncHandlers(
  ctx: AppContext,
  service: SyncService,
): Pick<InvokeHandlers, 'sync:get' | 'sync:get-state' | 'sync:now' | 'sync:retry' | 'sync:discard'> {
  const outbox = () => ctx.session().outbox.require();
  return {
    'sync:get': async () => service.view(),
    'sync:get-state': async () => service.state(),
    'sync:now': () => service.syncNow(),
    'sync:retry': async ({ ids }) => {
      await outbox().retry(ids);
      if (ctx.autoFlush)
        void outbox()
          .flush({ interactive: true })
          .catch(() => {});
      return service.view();
    },
    'sync:discard': async ({ ids }) => {
      await outbox().discard(ids);
      return service.view();
    },
  };
}
