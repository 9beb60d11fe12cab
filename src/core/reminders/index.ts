/**
 * Smart reminders (issue 18): rules.ts decides what is due (pure), scheduler.ts runs it on
 * the injected clock, notice.ts says it in words with its actions, store.ts keeps
 * what was handled across restarts.
 */
export * from './rules';
export { createReminderScheduler, type ReminderScheduler, type ReminderSchedulerDeps } from './scheduler';
export { reminderNotice, usualStep, type ReminderNotice, type ReminderActionId, type NoticeAttribute } from './notice';
export { openReminderStateStore, REMINDERS_FILE, type ReminderStateStore } from './store';
