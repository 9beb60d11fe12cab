/**
 * Shapes of issue 18's features as the interface sees them (reminders, quick-add, today's
 * state on a row, ownership before acquiring). Types only: the renderer imports them.
 */
import type { IsoDate } from './domain';

/** A reminder for one attribute (Settings → Attributes → Remind me), in the user's Exist timezone. */
export interface ReminderRule {
  /** Minutes from midnight, 0–1439. */
  times: number[];
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: number[];
  condition: 'always' | 'nothing-logged' | 'below';
  below?: number;
  snoozeMinutes?: number;
}

export type ReminderAction = 'log' | 'snooze' | 'open';

/** What typed quick-add text would write, shown before Enter. */
export type QuickAddPreview =
  { ok: true; description: string; name: string; label: string; date: IsoDate } | { ok: false; message: string };

/** Today's state on a popover row. */
export interface RowInsight {
  /** The day shown has a value (✓). */
  hasValue: boolean;
  /** The newest value on or before the day, formatted, and its day. */
  last: { date: IsoDate; text: string } | null;
  /** When this app last logged the attribute (ms), if it did recently. */
  loggedAt: number | null;
  /** With a read scope: Exist's usual value for this weekday, and progress towards it (0–1). */
  usual: { text: string; weekday: string; fraction: number } | null;
  /** Yes/no attributes: days in a row. */
  streak: number | null;
}

/** Before acquiring: does it exist, its type, who owns it now, and whether to ask. */
export interface OwnershipView {
  name: string;
  exists: boolean | null;
  label: string | null;
  type: string | null;
  owner: string | null;
  ownedByUs: boolean;
  confirm: boolean;
  sentence: string;
}
