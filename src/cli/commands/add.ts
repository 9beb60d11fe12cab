/**
 * `exist-tray add "20 pages"`: the popover's typed quick-add on the command line. The text
 * is read by src/core/quickadd against the owned attributes Exist Tray knows (owned.json,
 * kept by the app and by the CLI's own core), then written through the same `write` path
 * as `increment` / `set` (the running app's socket, or the CLI's outbox).
 *
 * Decisions: the parsed value is handed on as text in Exist's own (metric) unit, which
 * reads back exactly ("69.853 kg", "21%", "07:30"), so `write` validates it once more in
 * the attribute's type. "today" sends no date, so the core picks the user's today in their
 * Exist timezone; other date words are resolved against the machine's today (the CLI has
 * no profile when the running app takes the write) — a known limit, said in the README.
 */
import type { Command } from 'commander';
import { readOwnedCache } from '../../core/app';
import { parseQuickAdd, type QuickAddAttribute, type QuickAddWrite } from '../../core/quickadd';
import { UserError } from '../../core/errors';
import { controlKindFor, displayUnitFor, formatValue, todayIn } from '../../core/values';
import type { CliContext } from '../context';
import type { CommandRegistrar } from '../program';
import { write } from './write';

/** The attributes quick-add can name, from the owned-attributes cache. */
export function quickAddAttributes(dataDir: string): QuickAddAttribute[] {
  return (readOwnedCache(dataDir)?.attributes ?? []).map((a) => ({
    name: a.name,
    label: a.label,
    valueType: a.value_type,
    unit: displayUnitFor(a, null),
  }));
}

/** The write as text `write` reads back to the same stored value (metric units). */
export function metricText(w: QuickAddWrite, a: QuickAddAttribute): string {
  const v = w.kind === 'increment' ? w.delta : w.value;
  if (typeof v === 'string') return v;
  // Clock times and percentages in the registry's own shapes (they read back exactly); quantities in metric.
  const control = controlKindFor(a.valueType);
  if (control === 'time' || control === 'percentage') return formatValue(a.valueType, v);
  return a.unit === undefined ? String(v) : `${v} ${a.unit.metricLabel}`;
}

async function add(ctx: CliContext, text: string, opts: { sync: boolean }): Promise<string | null> {
  const attributes = quickAddAttributes(ctx.dataDir);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const today = todayIn(tz, Date.now());
  const r = parseQuickAdd(text, { attributes, today });
  if (!r.ok) throw new UserError('invalid-value', r.message);
  const a = attributes.find((x) => x.name === r.write.name) as QuickAddAttribute;
  if (!ctx.json) ctx.io.stderr(`exist-tray: ${r.description}`);
  const date = r.write.date === today ? undefined : r.write.date;
  return write(ctx, r.write.kind, r.write.name, metricText(r.write, a), { sync: opts.sync, ...(date ? { date } : {}) });
}

export const registerAddCommand: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('add')
    .description('quick-add in words: "20 pages", "+1h reading", "mood 7 yesterday", "-2 pages"')
    .argument('<text...>', 'what you did, as you would type it in the popover')
    .option('--no-sync', 'only queue it; `exist-tray sync` sends it')
    .action(async (words: string[], opts: { sync: boolean }) => {
      const failure = await add(ctx(), words.join(' '), opts);
      if (failure !== null) throw new UserError('write-failed', failure);
    });
};
