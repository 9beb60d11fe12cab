/**
 * The quick-add service: the popover's typed field and `reminders`' "log" both end in the
 * writes service; this one reads the text (src/core/quickadd) against the owned
 * attributes, in the user's units and on the user's today, and answers a preview before
 * Enter. The renderer may not import the core, so the grammar runs here, behind the
 * contract, for every host alike.
 */
import type { QuickAddPreview } from '../../../shared/features';
import type { InvokeHandlers } from '../../../shared/ipc-contract';
import { parseQuickAdd, type QuickAddAttribute, type QuickAddResult } from '../../quickadd';
import { UserError } from '../../errors';
import { displayUnitFor } from '../../values';
import type { AppContext } from '../context';
import type { WritesService } from './writes';

/** The owned attributes as quick-add can name them, with their units for this user. */
export function quickAddAttributes(ctx: AppContext): QuickAddAttribute[] {
  const profile = ctx.session().account()?.profile ?? null;
  return ctx
    .session()
    .owned.attributes()
    .map((a) => ({ name: a.name, label: a.label, valueType: a.value_type, unit: displayUnitFor(a, profile) }));
}

function read(ctx: AppContext, text: string): QuickAddResult {
  return parseQuickAdd(text, { attributes: quickAddAttributes(ctx), today: ctx.session().today() });
}

export function quickAddHandlers(
  ctx: AppContext,
  writes: WritesService,
): Pick<InvokeHandlers, 'quickadd:preview' | 'quickadd:submit'> {
  return {
    'quickadd:preview': async ({ text }): Promise<QuickAddPreview> => {
      const r = read(ctx, text);
      return r.ok
        ? { ok: true, description: r.description, name: r.write.name, label: r.label, date: r.write.date }
        : { ok: false, message: r.message };
    },
    'quickadd:submit': async ({ text }) => {
      const r = read(ctx, text);
      if (!r.ok) throw new UserError('invalid-value', r.message, 'text');
      const w = r.write;
      const receipt =
        w.kind === 'increment'
          ? await writes.increment(w.name, w.delta, w.date)
          : await writes.set(w.name, w.value, w.date);
      return { ...receipt, description: r.description };
    },
  };
}
