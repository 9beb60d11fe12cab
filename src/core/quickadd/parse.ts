/**
 * Quick-add, step 3: typed text → one described write, or a message saying what to fix.
 * The popover shows `description` as the user types and sends `write` on Enter; the CLI
 * (`exist-tray add "20 pages"`) uses the same function, so both read text the same way.
 *
 * Decisions: a value on a countable attribute (integer, decimal, duration) is a change
 * (`20 pages` adds 20, `-2 pages` takes 2 away); `=20 pages` or `set pages 20` sets the
 * day's total. Scales, yes/no, times and percentages are always set (`mood 7`); a signed
 * value there is refused with a hint rather than guessed. A boolean named without a value
 * (`tired`) is set to yes. Values are read by core/values' parsers in the display unit,
 * so `5 mi run` is stored in km. Dates after the user's today are refused.
 */
import type { IsoDate, ValueTypeCode } from '../../shared/domain';
import { formatDelta, formatValue } from '../values/format';
import { parseDelta, parseValue } from '../values/parse';
import type { DisplayUnit } from '../values/types';
import { controlKindFor, isIncrementable } from '../values/valueTypes';
import { rankAttributes, type MatchableAttribute, type Scored } from './match';
import { tokenize, type QuickAddTokens } from './tokens';

export interface QuickAddAttribute extends MatchableAttribute {
  name: string;
  label: string;
  valueType: ValueTypeCode;
  unit?: DisplayUnit | undefined;
}

export type QuickAddWrite =
  | { kind: 'increment'; name: string; date: IsoDate; delta: number }
  | { kind: 'set'; name: string; date: IsoDate; value: number | string };

export type QuickAddResult =
  { ok: true; write: QuickAddWrite; label: string; description: string } | { ok: false; message: string };

export interface QuickAddContext {
  attributes: readonly QuickAddAttribute[];
  /** Today in the user's Exist timezone. */
  today: IsoDate;
}

const fail = (message: string): QuickAddResult => ({ ok: false, message });
const EXAMPLES = 'try “20 pages”, “+1h reading” or “mood 7 yesterday”';

/** "today", "yesterday", or "Mon 30 Nov". */
export function dayWords(date: IsoDate, today: IsoDate): string {
  if (date === today) return 'today';
  const d = new Date(`${date}T12:00:00Z`);
  const yesterday = new Date(`${today}T12:00:00Z`).getTime() - 86_400_000;
  if (d.getTime() === yesterday) return 'yesterday';
  return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

type Built = { ok: true; write: QuickAddWrite } | { ok: false; message: string };

/** The write `t` asks of `a`, or why it cannot be. */
function buildWrite(a: QuickAddAttribute, t: QuickAddTokens, date: IsoDate, unitWords: string[]): Built {
  const text = [t.value ?? '', ...unitWords].join(' ').trim();
  const ctx = { attributeName: a.name, unit: a.unit };
  if (t.value === null) {
    if (controlKindFor(a.valueType) === 'toggle')
      return { ok: true, write: { kind: 'set', name: a.name, date, value: 1 } };
    return { ok: false, message: `Add a value for ${a.label}, like “${a.label.toLowerCase()} 5”` };
  }
  if (isIncrementable(a.valueType) && t.sign !== '=') {
    const r = parseDelta(a.valueType, `${t.sign === '-' ? '-' : ''}${text}`, ctx);
    if (!r.ok || typeof r.value !== 'number') return { ok: false, message: `${a.label}: ${r.ok ? '' : r.message}` };
    return { ok: true, write: { kind: 'increment', name: a.name, date, delta: r.value } };
  }
  if (t.sign === '+' || t.sign === '-') {
    return { ok: false, message: `${a.label} can't be added to — type “${a.label.toLowerCase()} ${text}” to set it` };
  }
  const r = parseValue(a.valueType, text, ctx);
  if (!r.ok) return { ok: false, message: `${a.label}: ${r.message}` };
  return { ok: true, write: { kind: 'set', name: a.name, date, value: r.value } };
}

/** Words that describe `w` for the preview line: "+20 to Pages read today". */
export function describeWrite(w: QuickAddWrite, a: QuickAddAttribute, today: IsoDate): string {
  const when = dayWords(w.date, today);
  if (w.kind === 'set') return `Set ${a.label} to ${formatValue(a.valueType, w.value, a.unit)} for ${when}`;
  const change = formatDelta(a.valueType, w.delta, a.unit);
  return `${change} ${w.delta < 0 ? 'from' : 'to'} ${a.label} ${when}`;
}

/** Among the best-scored attributes, the ones the value suits; ties are kept. */
function pick(ranked: Scored<QuickAddAttribute>[], t: QuickAddTokens, date: IsoDate) {
  const built = ranked.map((s) => ({ s, b: buildWrite(s.attribute, t, date, s.unitWords) }));
  const fits = built.filter(
    (x) => x.b.ok && (!t.durationHint || controlKindFor(x.s.attribute.valueType) === 'duration'),
  );
  const top = fits[0]?.s.score;
  return { best: fits.filter((x) => x.s.score === top), firstError: built[0]?.b };
}

/** Reads `input` against the owned attributes. Never throws. */
export function parseQuickAdd(input: string, ctx: QuickAddContext): QuickAddResult {
  if (typeof input !== 'string' || input.trim() === '') return fail(`Type what you did — ${EXAMPLES}`);
  if (input.length > 200) return fail('That is too long for a quick add');
  const t = tokenize(input, ctx.today);
  if (t.error !== undefined) return fail(t.error);
  const date = t.date ?? ctx.today;
  if (date > ctx.today) return fail(`${date} is in the future for you (today is ${ctx.today} in your Exist timezone)`);
  if (t.words.length === 0) return fail(`Say what it was, like “${t.value ?? '20'} pages”`);
  const ranked = rankAttributes(ctx.attributes, t.words);
  if (ranked.length === 0) return fail(noMatch(t.words, ctx.attributes));
  const { best, firstError } = pick(ranked, t, date);
  const chosen = best[0];
  if (chosen === undefined || !chosen.b.ok) {
    return fail(firstError && !firstError.ok ? firstError.message : `Couldn't read that — ${EXAMPLES}`);
  }
  if (best.length > 1) {
    const names = best.map((x) => x.s.attribute.label);
    return fail(`“${t.words.join(' ')}” could be ${names.slice(0, 3).join(' or ')} — add a word to choose`);
  }
  const a = chosen.s.attribute;
  return { ok: true, write: chosen.b.write, label: a.label, description: describeWrite(chosen.b.write, a, ctx.today) };
}

function noMatch(words: string[], list: readonly QuickAddAttribute[]): string {
  if (list.length === 0) return 'No attributes yet — add one in Settings → Attributes first';
  const some = list.slice(0, 3).map((a) => a.label.toLowerCase());
  return `None of your attributes is called “${words.join(' ')}” — try ${some.map((s) => `“${s}”`).join(', ')}`;
}
