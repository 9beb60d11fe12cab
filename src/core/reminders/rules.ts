/**
 * Smart reminders, the pure part: which reminders are due at an instant, and when to look
 * again. Issue 18: reminders that know what you logged (Track & Graph #270: "*only if* I did
 * not enter values … otherwise I start to ignore the notification").
 *
 * Decisions:
 * - Times are wall-clock minutes in the user's **Exist timezone** (not the machine's), on
 *   chosen weekdays; each check reads the wall clock there, so DST needs no special case.
 * - One occurrence per attribute at a time: only the latest past time of today counts and
 *   everything up to it is marked handled, so waking a laptop never bursts stale reminders.
 *   An occurrence more than GRACE_MINUTES old when first seen (the computer slept through
 *   it) is skipped quietly.
 * - "only if nothing logged today" is judged on the value the app expects for today
 *   (server value plus pending writes); "below N" likewise. A snooze fires once more at its
 *   end, if the condition still holds then.
 */
import type { IsoDate } from '../../shared/domain';
import type { ReminderRule } from '../../shared/features';
import { minutesOfDayIn, todayIn } from '../values/dates';
import { weekdayOf } from '../quickadd/tokens';

/** How late a reminder may still be shown (minutes after its time). */
export const GRACE_MINUTES = 10;
export const DEFAULT_SNOOZE_MINUTES = 15;
/** The longest a scheduler sleeps between checks (timers stay short; clock jumps are caught). */
export const MAX_CHECK_INTERVAL_MS = 60 * 60_000;

export type ReminderCondition = 'always' | 'nothing-logged' | 'below';

export type { ReminderRule };

export interface ReminderEntry {
  attribute: string;
  rule: ReminderRule;
}

export interface ReminderState {
  /** Per attribute: the latest occurrence handled, `YYYY-MM-DD@mmmm` (sorts as text). */
  handled: Record<string, string>;
  /** Per attribute: when a snoozed reminder comes back (ms). */
  snoozed: Record<string, number>;
}

export interface DueReminder {
  attribute: string;
  date: IsoDate;
  /** Minutes from midnight of the occurrence (or of the snooze's end). */
  minute: number;
  snoozed: boolean;
  value: number | string | null;
}

export const emptyReminderState = (): ReminderState => ({ handled: {}, snoozed: {} });

/** `YYYY-MM-DD@mmmm`: comparable as text within one format. */
export const occurrenceKey = (date: IsoDate, minute: number): string => `${date}@${String(minute).padStart(4, '0')}`;

/** Whether the rule's condition asks for a reminder given today's value (null: nothing known). */
export function conditionHolds(rule: ReminderRule, value: number | string | null): boolean {
  switch (rule.condition) {
    case 'always':
      return true;
    case 'nothing-logged':
      return value === null || value === '';
    case 'below':
      return value === null || (typeof value === 'number' && value < (rule.below ?? 1));
    default:
      return false;
  }
}

/** The latest of the rule's times today at or before `minute`, when today is one of its weekdays. */
function latestTimeToday(rule: ReminderRule, today: IsoDate, minute: number): number | null {
  if (!rule.weekdays.includes(weekdayOf(today))) return null;
  const past = rule.times.filter((t) => t <= minute);
  return past.length === 0 ? null : Math.max(...past);
}

interface CheckInput {
  entries: readonly ReminderEntry[];
  state: ReminderState;
  nowMs: number;
  timeZone: string;
  valueOf(attribute: string, date: IsoDate): number | string | null;
}

/** One attribute's due reminder, updating `state` in place (handled / snoozed). */
function checkOne(e: ReminderEntry, i: CheckInput, today: IsoDate, minute: number): DueReminder | null {
  const value = () => i.valueOf(e.attribute, today);
  const until = i.state.snoozed[e.attribute];
  if (until !== undefined && i.nowMs >= until) {
    delete i.state.snoozed[e.attribute];
    const late = i.nowMs - until > GRACE_MINUTES * 60_000;
    if (!late && conditionHolds(e.rule, value()))
      return { attribute: e.attribute, date: today, minute, snoozed: true, value: value() };
  }
  const t = latestTimeToday(e.rule, today, minute);
  if (t === null) return null;
  const key = occurrenceKey(today, t);
  if ((i.state.handled[e.attribute] ?? '') >= key) return null;
  i.state.handled[e.attribute] = key;
  if (minute - t > GRACE_MINUTES || !conditionHolds(e.rule, value())) return null;
  return { attribute: e.attribute, date: today, minute: t, snoozed: false, value: value() };
}

/** The reminders due at `nowMs`; `state` is updated so each occurrence is handled once. */
export function dueReminders(i: CheckInput): DueReminder[] {
  const today = todayIn(i.timeZone, i.nowMs);
  const minute = minutesOfDayIn(i.timeZone, i.nowMs);
  const out: DueReminder[] = [];
  for (const e of i.entries) {
    const d = checkOne(e, i, today, minute);
    if (d !== null) out.push(d);
  }
  return out;
}

/** Minutes from `minute` on weekday `wd` to the rule's next time (within a week), or null. */
function minutesToNext(rule: ReminderRule, wd: number, minute: number): number | null {
  for (let day = 0; day <= 7; day++) {
    if (!rule.weekdays.includes((wd + day) % 7)) continue;
    const later = rule.times.filter((t) => day > 0 || t > minute);
    if (later.length > 0) return day * 1440 + Math.min(...later) - minute;
  }
  return null;
}

/** When a scheduler should check next: the next time of any rule or snooze end, at most an hour away. */
export function nextCheckAt(
  entries: readonly ReminderEntry[],
  state: ReminderState,
  nowMs: number,
  timeZone: string,
): number {
  const wd = weekdayOf(todayIn(timeZone, nowMs));
  const minute = minutesOfDayIn(timeZone, nowMs);
  const startOfMinute = nowMs - (nowMs % 60_000);
  let next = nowMs + MAX_CHECK_INTERVAL_MS;
  for (const e of entries) {
    const m = minutesToNext(e.rule, wd, minute);
    if (m !== null) next = Math.min(next, startOfMinute + m * 60_000);
    const s = state.snoozed[e.attribute];
    if (s !== undefined) next = Math.min(next, Math.max(s, nowMs));
  }
  return next;
}

/** A rule is usable when it has a time and a weekday, all in range. */
export function validateRule(rule: ReminderRule): string | null {
  if (rule.times.length === 0) return 'Choose at least one time';
  if (rule.times.some((t) => !Number.isInteger(t) || t < 0 || t > 1439)) return 'Times go from 00:00 to 23:59';
  if (rule.weekdays.length === 0) return 'Choose at least one day';
  if (rule.weekdays.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) return 'Unknown weekday';
  if (rule.condition === 'below' && (rule.below === undefined || !Number.isFinite(rule.below)))
    return 'Say below which value to remind';
  return null;
}
