/**
 * The writes service: every rule a write must pass before it is queued — the app owns
 * the attribute, its value type accepts the value (or increment), the date is a day of
 * the user's calendar in their Exist timezone — then the outbox; and undo.
 */
import { formatDay } from '../../values/day-format';
import type { IsoDate } from '../../../shared/domain';
import type { InvokeHandlers, WriteReceipt } from '../../../shared/ipc-contract';
import { assertNever } from '../../../shared/result';
import { UserError } from '../../errors';
import {
  formatDelta,
  formatValue,
  isIncrementable,
  validateStoredDelta,
  validateStoredValue,
  valueTypeLabel,
} from '../../values';
import type { AppContext } from '../context';

/** How long a write can be undone from the interface. */
export const UNDO_WINDOW_MS = 6_000;

export interface WritesService {
  increment(name: string, delta: number, date?: IsoDate): Promise<WriteReceipt>;
  set(name: string, value: number | string, date?: IsoDate): Promise<WriteReceipt>;
}

export function createWritesService(ctx: AppContext): WritesService {
  const s = ctx.session;
  const now = () => ctx.deps.clock.now();
  // The one date format (core/values/day-format.ts), as the popover writes it.
  const onDay = (date: IsoDate) => {
    const today = s().today();
    return date === today ? '' : ` on ${formatDay(date, today)}`;
  };
  return {
    async increment(name, delta, dateIn) {
      const session = s();
      const a = await session.owned.ensure(name);
      if (!isIncrementable(a.value_type))
        throw new UserError(
          'not-incrementable',
          `${a.label} is a ${valueTypeLabel(a.value_type).toLowerCase()} attribute: it can’t be incremented. Set a total instead.`,
          'delta',
        );
      const v = validateStoredDelta(a.value_type, delta);
      if (!v.ok) throw new UserError('invalid-value', v.message, 'delta');
      const date = session.resolveDate(dateIn);
      const item = await session.outbox
        .require()
        .enqueue({ kind: 'increment', name, date, delta: v.value as number }, { interactive: true });
      return {
        id: item.id,
        name,
        date,
        undoUntil: now() + UNDO_WINDOW_MS,
        description: `${formatDelta(a.value_type, v.value as number)} ${a.label}${onDay(date)}`,
      };
    },
    async set(name, value, dateIn) {
      const session = s();
      const a = await session.owned.ensure(name);
      const v = validateStoredValue(a.value_type, value, name);
      if (!v.ok) throw new UserError('invalid-value', v.message, 'value');
      const date = session.resolveDate(dateIn);
      const item = await session.outbox
        .require()
        .enqueue({ kind: 'set', name, date, value: v.value }, { interactive: true });
      return {
        id: item.id,
        name,
        date,
        undoUntil: now() + UNDO_WINDOW_MS,
        description: `${a.label}${onDay(date)} set to ${formatValue(a.value_type, v.value)}`,
      };
    },
  };
}

export function writesHandlers(
  ctx: AppContext,
  service: WritesService,
): Pick<InvokeHandlers, 'values:increment' | 'values:set' | 'values:undo'> {
  return {
    'values:increment': ({ name, delta, date }) => service.increment(name, delta, date),
    'values:set': ({ name, value, date }) => service.set(name, value, date),
    'values:undo': async ({ id }) => {
      const r = await ctx.session().outbox.require().undo(id);
      if (!r.ok) throw new UserError(r.error.code, r.error.message);
      switch (r.value.action) {
        case 'removed':
          return { undone: true, message: 'Undone before it reached Exist.' };
        case 'inverse-enqueued':
          return { undone: true, message: 'Undone: the opposite change is on its way to Exist.' };
        case 'restored':
          return { undone: true, message: 'Undone: the previous total is being restored in Exist.' };
        default:
          return assertNever(r.value);
      }
    },
  };
}
