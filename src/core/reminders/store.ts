/**
 * The reminders' handled state on disk (`<data>/reminders.json`): which occurrence of each
 * attribute's reminder was already shown or skipped, and when a snoozed one comes back. In
 * memory only, a restart would lose a snooze and, if the owned list or the profile arrived
 * after start, show a reminder a second time.
 *
 * Decisions: one owner, the running app (or browser host): only a started reminder
 * scheduler reads or writes it, and the CLI never starts one. Written through core/fs's
 * atomic writer, synchronously — a few tiny writes a day, and a write that completes before
 * `stop()` returns leaves nothing for shutdown to wait on. Only changes are written. A
 * damaged file is set aside (core/fs setAside) with one sentence for the user, and reminders
 * start from "nothing handled" — the scheduler's start then counts today's past times as
 * handled, so a damaged file never causes a burst.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { setAside, writeFileAtomicSync } from '../fs';
import type { ReminderState } from './rules';

export const REMINDERS_FILE = 'reminders.json';

const fileSchema = z.object({
  version: z.literal(1),
  handled: z.record(z.string(), z.string().regex(/^\d{4}-\d{2}-\d{2}@\d{4}$/)),
  snoozed: z.record(z.string(), z.number().finite()),
});

export interface ReminderStateStore {
  /** The saved state, or null (none yet, or damaged: see `warning`). */
  load(): ReminderState | null;
  save(state: ReminderState): void;
  /** Why the saved state could not be used (the file was set aside), once, after load(). */
  readonly warning: string | null;
}

export function openReminderStateStore(path: string, now: () => number = Date.now): ReminderStateStore {
  let last = '';
  let warning: string | null = null;
  return {
    get warning() {
      return warning;
    },
    load() {
      if (!existsSync(path)) return null;
      try {
        const text = readFileSync(path, 'utf8');
        const parsed = fileSchema.safeParse(JSON.parse(text));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
        last = JSON.stringify({ handled: parsed.data.handled, snoozed: parsed.data.snoozed });
        return { handled: { ...parsed.data.handled }, snoozed: { ...parsed.data.snoozed } };
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        warning = `${setAside(path, 'The reminders file', reason, now()).message} Reminders start afresh (a snoozed one will not come back).`;
        return null;
      }
    },
    save(state) {
      const json = JSON.stringify({ handled: state.handled, snoozed: state.snoozed });
      if (json === last) return;
      writeFileAtomicSync(path, `${JSON.stringify({ version: 1, ...state }, null, 2)}\n`);
      last = json;
    },
  };
}
