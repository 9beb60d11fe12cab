/**
 * One account's outbox and rate budget, and what happens while another process holds
 * them: open the account's outbox (closing the previous account's, whose writes stay on
 * disk for it), or — in the app — wait for a CLI `sync` to let go and take over then.
 * Also the account's sync status (progress of a flush, the last error), which the sync
 * service reads and writes.
 */
import { join } from 'node:path';
import type { NotificationView } from '../../shared/ipc-contract';
import type { AppError } from '../../shared/result';
import { UserError } from '../errors';
import {
  createOutbox,
  OutboxLockedError,
  type AutoFlushOptions,
  type Outbox,
  type OutboxEvent,
  type OutboxWriteApi,
} from '../outbox';
import type { Clock } from '../ports';
import { ensurePrivatePath } from '../fs';
import { createRateBudget, type RateBudget } from '../rate/budget';
import { pacedBudget } from '../rate/pacer';
import { accountDir } from './keys';

export interface SyncStatus {
  progress: { sent: number; total: number } | null;
  lastError: AppError | null;
}

export interface OutboxSlot {
  current(): Outbox | null;
  /** The open outbox, or a UserError saying why there is none (starting, busy elsewhere, not connected). */
  require(): Outbox;
  budget(): RateBudget | null;
  /** The key of the open outbox's account. */
  key(): string | null;
  /** Opens the outbox of account `key`; with `wait`, a locked one is retried every 3 s. */
  open(key: string): Promise<void>;
  /** Start-up is over: "no outbox" now means "not connected", not "still starting". */
  markReady(): void;
  readonly status: SyncStatus;
  /** Shutting down: no more retries of a locked outbox. */
  halt(): void;
  close(): Promise<void>;
}

export interface OutboxSlotDeps {
  dataDir: string;
  clock: Clock;
  api: OutboxWriteApi;
  whenLocked: 'fail' | 'wait';
  /** Auto-flush timing, or null (the CLI sends only on `sync`). */
  autoFlush: AutoFlushOptions | null;
  onEvent: (e: OutboxEvent) => void;
  /** After an outbox opened, or the lock state changed (update counts and views). */
  onChanged: (opened: Outbox | null) => void;
  /** The account whose outbox is open is remembered here. */
  rememberKey: (key: string) => Promise<void>;
  notify: (n: NotificationView) => void;
}

export function createOutboxSlot(deps: OutboxSlotDeps): OutboxSlot {
  const { clock } = deps;
  let outbox: Outbox | null = null;
  let budget: RateBudget | null = null;
  let outboxKey: string | null = null;
  let ready = false;
  let closed = false;
  let busy: { pid: number; cancelRetry: () => void } | null = null;
  const status: SyncStatus = { progress: null, lastError: null };

  async function use(key: string): Promise<void> {
    if (key === outboxKey && outbox) return;
    const previous = outbox;
    outbox = null;
    if (previous) {
      const left = previous.pending().length;
      previous.stop();
      await previous.close();
      if (left > 0)
        deps.notify({
          kind: 'info',
          title: 'Writes kept for the other account',
          body: `${left} write${left === 1 ? '' : 's'} queued for the account you used before ${left === 1 ? 'is' : 'are'} kept and will be sent when you connect it again.`,
          at: clock.now(),
        });
    }
    const dir = accountDir(deps.dataDir, key);
    ensurePrivatePath(deps.dataDir, join(dir, 'outbox')); // the folder names carry the username
    budget = pacedBudget(createRateBudget({ clock, dir: join(dir, 'outbox') }), clock); // rate/pacer.ts
    const opened = await createOutbox({ dir, api: deps.api, clock, budget, onEvent: deps.onEvent });
    outbox = opened;
    outboxKey = key;
    await deps.rememberKey(key);
    for (const w of opened.warnings) deps.notify({ kind: 'info', title: 'Outbox recovered', body: w, at: clock.now() });
    if (deps.autoFlush) opened.startAutoFlush(deps.autoFlush);
    deps.onChanged(opened);
  }

  async function open(key: string): Promise<void> {
    try {
      await use(key);
      if (busy) status.lastError = null;
      busy = null;
    } catch (e) {
      if (!(e instanceof OutboxLockedError) || deps.whenLocked !== 'wait' || closed) throw e;
      busy?.cancelRetry();
      busy = { pid: e.pid, cancelRetry: clock.setTimeout(() => void open(key).catch(() => {}), 3_000) };
      status.lastError = { code: 'outbox-busy', message: e.message };
      deps.onChanged(null);
    }
  }

  return {
    current: () => outbox,
    require() {
      if (outbox) return outbox;
      if (!ready) throw new UserError('not-ready', 'Exist Tray is still starting. Try again in a moment.');
      if (busy)
        throw new UserError(
          'outbox-busy',
          `Another Exist Tray process (pid ${busy.pid}) is sending this account’s writes; Exist Tray takes over when it is done.`,
        );
      throw new UserError('not-connected', 'Connect your Exist account first (Settings → Account).');
    },
    budget: () => budget,
    key: () => outboxKey,
    open,
    markReady: () => void (ready = true),
    status,
    halt() {
      closed = true;
      busy?.cancelRetry();
    },
    async close() {
      closed = true;
      busy?.cancelRetry();
      await outbox?.close();
      outbox = null;
    },
  };
}
