/**
 * What a reminder says, and which actions it offers. The actions are ids the hosts hand
 * back (`reminders:act`): Electron notification buttons where the platform has them
 * (macOS, Windows), a click elsewhere ("open"); the browser host draws buttons on the desk.
 *
 * Decisions: "log" adds the attribute's usual step — the row's own +1 for counts and
 * decimals, the first quick step for durations (a minute is rarely what was done) — and
 * is offered only for attributes that can be incremented; "snooze" comes back after the
 * rule's snooze minutes; "open" shows the popover on that attribute.
 */
import type { ValueTypeCode } from '../../shared/domain';
import { formatDelta, formatValue, formatClock } from '../values/format';
import type { DisplayUnit } from '../values/types';
import { controlKindFor, isIncrementable } from '../values/valueTypes';
import { DEFAULT_SNOOZE_MINUTES, type DueReminder, type ReminderRule } from './rules';

export type ReminderActionId = 'log' | 'snooze' | 'open';

export interface ReminderNotice {
  title: string;
  body: string;
  actions: { id: ReminderActionId; label: string }[];
  /** The step "log" adds, in the stored unit; null when the attribute cannot be incremented. */
  step: number | null;
}

export interface NoticeAttribute {
  label: string;
  valueType: ValueTypeCode;
  steps: number[];
  unit?: DisplayUnit | undefined;
}

/** The step a reminder's "log" adds, or null when the attribute cannot be incremented. */
export function usualStep(valueType: ValueTypeCode, steps: readonly number[]): number | null {
  if (!isIncrementable(valueType)) return null;
  return controlKindFor(valueType) === 'duration' ? (steps.find((s) => s > 0) ?? 15) : 1;
}

export function reminderNotice(a: NoticeAttribute, rule: ReminderRule, due: DueReminder): ReminderNotice {
  const step = usualStep(a.valueType, a.steps);
  const shown = formatValue(a.valueType, due.value, a.unit);
  const body =
    due.value === null || due.value === ''
      ? `Nothing logged today yet (${formatClock(due.minute)}).`
      : rule.condition === 'below'
        ? `${shown} so far today — below ${formatValue(a.valueType, rule.below ?? 1, a.unit)}.`
        : `${shown} so far today.`;
  const actions: ReminderNotice['actions'] = [];
  if (step !== null) actions.push({ id: 'log', label: `${formatDelta(a.valueType, step, a.unit)} ${a.label}` });
  actions.push({ id: 'snooze', label: `Snooze ${rule.snoozeMinutes ?? DEFAULT_SNOOZE_MINUTES} min` });
  actions.push({ id: 'open', label: 'Open' });
  return { title: `Reminder: ${a.label}`, body, actions, step };
}
