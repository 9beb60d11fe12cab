/**
 * The reminders service: runs src/core/reminders' scheduler on the host's clock over the
 * reminder rules kept in each attribute's preferences (settings.json), judges "nothing
 * logged" on the value the app expects today (server value plus pending writes), and
 * shows each due reminder through the Notifier with its actions. An action comes back
 * either through the notifier's callback (Electron) or the `reminders:act` channel (the
 * browser host's desk buttons); both end here. What was handled or snoozed is kept in
 * `<data>/reminders.json` (src/core/reminders/store.ts), so a restart neither repeats a
 * reminder nor loses a snooze.
 */
import { join } from 'node:path';
import type { IsoDate } from '../../../shared/domain';
import type { ReminderAction as ReminderActionShape } from '../../../shared/features';
import type { InvokeHandlers } from '../../../shared/ipc-contract';
import { UserError } from '../../errors';
import {
  createReminderScheduler,
  openReminderStateStore,
  reminderNotice,
  REMINDERS_FILE,
  usualStep,
  type DueReminder,
  type ReminderEntry,
} from '../../reminders';
import { displayUnitFor } from '../../values';
import type { AppContext } from '../context';
import { prefsFor } from '../context';
import type { WritesService } from './writes';

export interface RemindersService {
  start(): void;
  stop(): void;
  check(): void;
  act(attribute: string, action: ReminderActionShape): Promise<string>;
}

/** Today's value as the popover shows it: pending writes on top of the known or server total. */
export function expectedValue(ctx: AppContext, name: string, date: IsoDate): number | string | null {
  const session = ctx.session();
  const box = session.outbox.current();
  const exp = box?.expected(name, date);
  if (exp?.known) return exp.value;
  const server = session.history.get(date, name)?.find((h) => h.date === date)?.value ?? null;
  const base = box?.knownTotal(name, date) ?? server;
  if (exp && typeof exp.value === 'number') return (typeof base === 'number' ? base : 0) + exp.value;
  return base ?? null;
}

export function createRemindersService(ctx: AppContext, writes: WritesService): RemindersService {
  const s = ctx.session;
  const entries = (): ReminderEntry[] =>
    s()
      .owned.attributes()
      .flatMap((a) => {
        const rule = prefsFor(ctx, a).reminder;
        return rule ? [{ attribute: a.name, rule }] : [];
      });

  const fire = (due: DueReminder) => {
    const a = s()
      .owned.attributes()
      .find((x) => x.name === due.attribute);
    const rule = entries().find((e) => e.attribute === due.attribute)?.rule;
    if (!a || !rule) return;
    const unit = displayUnitFor(a, s().account()?.profile ?? null);
    const n = reminderNotice(
      { label: a.label, valueType: a.value_type, steps: prefsFor(ctx, a).steps, unit },
      rule,
      due,
    );
    ctx.notices.notify('reminder', n.title, n.body, {
      actions: n.actions,
      ref: a.name,
      onAction: (id) => void service.act(a.name, id as ReminderActionShape).catch(() => {}),
    });
  };

  const store = openReminderStateStore(join(ctx.deps.dataDir, REMINDERS_FILE), () => ctx.deps.clock.now());
  const scheduler = createReminderScheduler({
    clock: ctx.deps.clock,
    persist: store,
    timeZone: () => s().timezone(),
    entries,
    valueOf: (name, date) => expectedValue(ctx, name, date),
    fire,
  });

  const service: RemindersService = {
    start() {
      scheduler.start();
      if (store.warning) ctx.notices.notify('info', 'Reminders reset', store.warning);
    },
    stop: () => scheduler.stop(),
    check: () => scheduler.check(),
    async act(attribute, action) {
      const a = s().owned.require(attribute);
      if (action === 'snooze') {
        scheduler.snooze(attribute);
        return `Snoozed the ${a.label} reminder`;
      }
      if (action === 'open') {
        ctx.deps.shell.showPopover?.(attribute);
        ctx.push('popover:focus', { name: attribute });
        return `Opened ${a.label}`;
      }
      const step = usualStep(a.value_type, prefsFor(ctx, a).steps);
      if (step === null) throw new UserError('not-incrementable', `${a.label} can't be added to; open it instead`);
      const r = await writes.increment(attribute, step);
      return r.description;
    },
  };
  return service;
}

export function remindersHandlers(service: RemindersService): Pick<InvokeHandlers, 'reminders:act'> {
  return {
    'reminders:act': async ({ attribute, action }) => {
      if (!['log', 'snooze', 'open'].includes(action)) throw new UserError('invalid', 'Unknown reminder action');
      return { message: await service.act(attribute, action) };
    },
  };
}
