/**
 * Runs the reminder rules on the injected clock: one timer to the next time of any rule
 * (at most an hour away, so a clock jump or a long sleep is noticed), a check on wake, and
 * a check whenever the rules change. Electron-free: the app, the browser host and tests
 * drive the same code; the host only shows what `fire` is given.
 */
import type { IsoDate } from '../../shared/domain';
import type { Clock } from '../ports';
import {
  DEFAULT_SNOOZE_MINUTES,
  dueReminders,
  emptyReminderState,
  nextCheckAt,
  type DueReminder,
  type ReminderEntry,
  type ReminderState,
} from './rules';

export interface ReminderSchedulerDeps {
  clock: Clock;
  /** The user's Exist timezone (profile), falling back to the machine's. */
  timeZone(): string;
  entries(): ReminderEntry[];
  valueOf(attribute: string, date: IsoDate): number | string | null;
  fire(due: DueReminder): void;
  onError?(e: unknown): void;
  /** Where the handled/snoozed state survives a restart (store.ts); in memory only without it. */
  persist?: { load(): ReminderState | null; save(state: ReminderState): void };
}

export interface ReminderScheduler {
  start(): void;
  stop(): void;
  /** Look now (after wake, a write, or a change of rules). */
  check(): void;
  snooze(attribute: string): void;
  /** For tests and the settings view. */
  state(): ReminderState;
}

export function createReminderScheduler(d: ReminderSchedulerDeps): ReminderScheduler {
  const state = emptyReminderState();
  let cancel: (() => void) | null = null;
  let running = false;

  const arm = () => {
    cancel?.();
    cancel = null;
    if (!running) return;
    const now = d.clock.now();
    const at = nextCheckAt(d.entries(), state, now, d.timeZone());
    cancel = d.clock.setTimeout(check, Math.max(1_000, at - now));
  };

  const save = () => {
    try {
      d.persist?.save(state);
    } catch (e) {
      d.onError?.(e); // a full disk must not stop reminders; the state is kept in memory
    }
  };

  function check() {
    if (!running) return;
    try {
      const due = dueReminders({
        entries: d.entries(),
        state,
        nowMs: d.clock.now(),
        timeZone: d.timeZone(),
        valueOf: d.valueOf,
      });
      save();
      for (const r of due) d.fire(r);
    } catch (e) {
      d.onError?.(e);
    }
    arm();
  }

  return {
    start() {
      if (running) return;
      running = true;
      const saved = d.persist?.load();
      if (saved) {
        Object.assign(state.handled, saved.handled);
        Object.assign(state.snoozed, saved.snoozed);
      }
      // Times already past today count as handled: starting the app is not a reason to nag.
      // Snoozes are left to the first check: one that ended during a restart still comes back.
      const now = d.clock.now();
      const priming = { handled: state.handled, snoozed: {} };
      dueReminders({
        entries: d.entries(),
        state: priming,
        nowMs: now,
        timeZone: d.timeZone(),
        valueOf: () => 'started',
      });
      save();
      arm();
    },
    stop() {
      running = false;
      cancel?.();
      cancel = null;
    },
    check,
    snooze(attribute) {
      const rule = d.entries().find((e) => e.attribute === attribute)?.rule;
      state.snoozed[attribute] = d.clock.now() + (rule?.snoozeMinutes ?? DEFAULT_SNOOZE_MINUTES) * 60_000;
      save();
      arm();
    },
    state: () => state,
  };
}
