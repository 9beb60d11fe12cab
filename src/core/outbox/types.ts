import type { IsoDate } from '../../shared/domain';
import type { BlockReason } from '../rate/budget';

/** What one Exist write call answers: 200 when all objects succeeded, 202 when some failed. */
export type WriteResult<T> = {
  status: 200 | 202;
  success: Array<Echo<T> & { current?: number }>;
  failed: Array<Echo<T> & { error_code: string; error: string }>;
};

/** An object as Exist echoes it: the reference does not promise every field (or the order). */
type Echo<T> = Omit<T, 'date'> & { date?: string | undefined };

/** One attribute's value on one day, as a read answered it (null: the day has no value). */
export type DayValue = { name: string; date: string; value: number | string | null };

/** One value object as the write endpoints take it. */
export type WriteObject = { name: string; value: number | string; date: string };

/**
 * The narrow port the outbox needs from the Exist client (which satisfies it
 * structurally), so the outbox can be tested with an in-memory fake and never
 * depends on HTTP details. Methods throw `ExistError` (src/core/exist/errors.ts).
 */
export interface OutboxWriteApi {
  increment(
    items: { name: string; value: number; date: string }[],
  ): Promise<WriteResult<{ name: string; value: number; date: string }>>;
  update(
    items: { name: string; value: number | string; date: string }[],
  ): Promise<WriteResult<{ name: string; value: number | string; date: string }>>;
  /** Optional: read the day's total (needs a read scope); null when the day has no value. Throws ExistError('forbidden') without scope. */
  readDayValue?(name: string, date: string): Promise<number | string | null>;
  /**
   * Optional: ONE call reading the days `dateMax − days + 1 … dateMax` of several attributes
   * (Exist's `GET /attributes/with-values/`). Returns every (name, date, value) the answer
   * named; an attribute or day it left out is simply absent (the caller reads those one by
   * one). Throws ExistError like the other methods; a whole-call 400/403/404 means "read them
   * one by one".
   */
  readDays?(names: string[], dateMax: string, days: number): Promise<DayValue[]>;
  /**
   * Optional: attributes worth reading alongside a batched read (the ones this app writes),
   * so their day's total is known before their first click and needs no read of its own.
   */
  readAlso?(): string[];
  /** Optional: whether `readDayValue` can work for this attribute (a read scope); false skips the read without spending a call. */
  canRead?(name: string): boolean;
  /**
   * Optional: re-acquire an attribute after a write failed for ownership (`unauthorised` item).
   * `error` is Exist's text for the item. A refusal means "not without asking the user"
   * (another service owns it now): the items
   * fail with its code and message, and the interface offers to take it back.
   */
  reacquire?(name: string, error?: string): Promise<boolean | ReacquireRefusal>;
}

/** A re-acquire the app will not do on its own (issue 18: taking an attribute from another service is the user's call). */
export interface ReacquireRefusal {
  refused: true;
  code: string;
  message: string;
}

/**
 * Why an item is flagged: `other-writer` — the day's total matched neither "applied" nor
 * "not applied" (another installation or a late apply changed it); `changed-during-repair`
 * — after re-sending a proven-missing delta, Exist's total showed more than expected;
 * `unverifiable` — no read scope and no +0 probe, so the delta was re-sent unchecked.
 */
export type FlagCode = 'other-writer' | 'changed-during-repair' | 'unverifiable';

/** A write the user asked for: add `delta` to the day, or set the day's total. */
export type OutboxOp =
  | { kind: 'increment'; name: string; date: IsoDate; delta: number }
  | { kind: 'set'; name: string; date: IsoDate; value: number | string };

/** pending → sending → synced | failed (and back to pending on retry or after a lost answer). */
export type ItemState = 'pending' | 'sending' | 'synced' | 'failed';

/** One queued operation as the interface shows it. */
export interface QueuedItem {
  readonly id: string;
  readonly op: OutboxOp;
  readonly state: ItemState;
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * The user should check this day in Exist: an increment whose answer was lost and that
   * could not be proven applied or missing (see `flag` for why). Kept after it syncs.
   */
  readonly maybeDoubled: boolean;
  /**
   * Why it is flagged, in words (`maybeDoubled` items): when, and since when the day's
   * total it was judged against had been known (a change after `since` explains the flag).
   */
  readonly flag?: { code: FlagCode; message: string; at: number; since?: number };
  /** Its answer was lost; the outbox checks the day before doing anything else with it. */
  readonly checking?: boolean;
  /** Exist's (or our) reason, for failed items. */
  readonly error?: { code: string; message: string };
  /** For a synced set: the day's total before it (undefined = unknown, null = the day was empty). */
  readonly previousTotal?: number | string | null;
  /** This item was enqueued by `undo` of that item. */
  readonly undoOf?: string;
  /** `undo` already enqueued this item's inverse. */
  readonly undoneBy?: string;
}

/** What the tray shows for one attribute and day right after a click. */
export interface ExpectedValue {
  name: string;
  date: IsoDate;
  /**
   * `known` true: the day's total once the outbox is sent (known total + pending deltas,
   * or the pending set). `known` false: the day's total is unknown, and `value` is only
   * the sum of the pending deltas to add to it.
   */
  value: number | string;
  known: boolean;
  /** Items not yet synced for this attribute and day. */
  unsynced: number;
}

/**
 * `checking`: writes whose answer was lost wait out the grace period before the day is read back.
 * `network`: no connection, DNS or no answer in time (Exist can't be reached); `server`: Exist
 * answered, with a 5xx or an answer that does not add up (Exist is having trouble). Kept apart
 * so the interface never calls a server error "can't be reached".
 */
export type StopReason = BlockReason | 'network' | 'server' | 'auth' | 'journal' | 'checking';

/** The outcome of one `flush()`. */
export interface FlushReport {
  /** Calls to Exist, including reads and re-acquires. */
  calls: number;
  /** Value objects sent in write calls. */
  objectsSent: number;
  /** Items that became synced. */
  synced: number;
  /** Items that moved to the failed list. */
  failed: number;
  /** Items still waiting. */
  pending: number;
  /** Why the flush stopped with items left; `retryAt` is when it is worth trying again. */
  stopped?: { reason: StopReason; message: string; retryAt?: number };
}

/** Everything the interface needs in one read. */
export interface OutboxSnapshot {
  pending: QueuedItem[];
  sending: QueuedItem[];
  failed: QueuedItem[];
  /** Recently synced items (kept for undo), newest first. */
  recent: QueuedItem[];
  /** Items flagged "may have counted twice", newest first (synced or not). */
  maybeDoubled: QueuedItem[];
  expected: ExpectedValue[];
  lastSyncAt: number | null;
  stopped: FlushReport['stopped'] | null;
}

/** Events for the interface; listeners must be cheap (they run synchronously). */
export type OutboxEvent =
  | { type: 'item'; item: QueuedItem }
  | { type: 'removed'; id: string }
  | { type: 'counts'; pending: number; sending: number; failed: number }
  | { type: 'progress'; sent: number; total: number }
  | { type: 'synced'; at: number }
  | { type: 'expected'; expected: ExpectedValue }
  | { type: 'stopped'; reason: StopReason; message: string; retryAt?: number }
  | { type: 'warning'; message: string };

/** What `undo` did. */
export type UndoOutcome =
  | { action: 'removed'; id: string; note?: string }
  | { action: 'inverse-enqueued'; id: string; inverse: QueuedItem }
  | { action: 'restored'; id: string; inverse: QueuedItem };
