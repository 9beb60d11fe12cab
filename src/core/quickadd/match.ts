/**
 * Quick-add, step 2: which owned attribute do the typed words name? Each attribute is
 * known by the words of its label, the parts of its name (`tv_min` → tv, min) and its
 * unit words (minutes and hours for durations, "km"/"mi" for distances, …).
 *
 * Decisions: every typed word must match one of the attribute's words — exactly, by a
 * crude stem ("pages" ~ "page", "reading" ~ "read"), or as a prefix of at least two
 * letters ("med" → meditation). A word that only matches a unit counts for less, so "20
 * min" alone is ambiguous between durations rather than silently picking one. Ties are
 * reported, never guessed.
 */
import type { ValueTypeCode } from '../../shared/domain';
import type { DisplayUnit } from '../values/types';
import { controlKindFor } from '../values/valueTypes';

export interface MatchableAttribute {
  name: string;
  label: string;
  valueType: ValueTypeCode;
  unit?: DisplayUnit | undefined;
}

export interface Scored<A> {
  attribute: A;
  score: number;
  /** The typed words that matched a unit word (kept in the value text for conversion). */
  unitWords: string[];
}

const DURATION_WORDS = ['h', 'hr', 'hrs', 'hour', 'hours', 'm', 'min', 'mins', 'minute', 'minutes'];
const UNIT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  km: ['km', 'kms', 'kilometres', 'kilometers'],
  mi: ['mi', 'mile', 'miles'],
  kg: ['kg', 'kgs', 'kilos'],
  lb: ['lb', 'lbs', 'pounds'],
  ml: ['ml'],
  'fl oz': ['oz', 'floz'],
  kJ: ['kj'],
  kcal: ['kcal', 'cal', 'calories'],
  g: ['g', 'grams'],
  mg: ['mg'],
};

/** A crude English stem: enough for labels like "Pages read", "Time reading", "Coffees". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

/** Lower-case words of a label or name ("TV minutes", "tv_min" → tv, minutes / tv, min). */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function unitWordsOf(a: MatchableAttribute): string[] {
  if (controlKindFor(a.valueType) === 'duration') return DURATION_WORDS;
  if (a.unit === undefined) return [];
  const labels = [a.unit.label, a.unit.metricLabel];
  return labels.flatMap((l) => [l.toLowerCase(), ...(UNIT_ALIASES[l] ?? [])]);
}

/** 3 exact or same stem, 2 a prefix of two letters or more, 0 no match. */
function wordScore(typed: string, word: string): number {
  if (typed === word || stem(typed) === stem(word)) return 3;
  if (typed.length >= 2 && word.startsWith(typed)) return 2;
  return 0;
}

/** How well `typed` names `a`: 0 when some typed word matches nothing. */
export function scoreAttribute<A extends MatchableAttribute>(a: A, typed: string[]): Scored<A> {
  const own = [...new Set([...wordsOf(a.label), ...wordsOf(a.name)])];
  const units = unitWordsOf(a);
  let score = 0;
  const unitWords: string[] = [];
  for (const t of typed) {
    const best = Math.max(0, ...own.map((w) => wordScore(t, w)));
    if (best > 0) score += best;
    else if (units.includes(t)) {
      score += 1;
      unitWords.push(t);
    } else return { attribute: a, score: 0, unitWords: [] };
  }
  const full = own.length > 0 && own.every((w) => typed.some((t) => wordScore(t, w) > 0));
  return { attribute: a, score: score + (full ? 1 : 0), unitWords };
}

/** The attributes `typed` names, best first (score > 0 only). */
export function rankAttributes<A extends MatchableAttribute>(list: readonly A[], typed: string[]): Scored<A>[] {
  if (typed.length === 0) return [];
  return list
    .map((a) => scoreAttribute(a, typed))
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score);
}
