/**
 * The per-type readers behind the registry's `parse` (quantities with units, durations,
 * clock times, percentages, yes/no, scales). No dispatch on value types here: that is
 * the registry's (./registry.ts).
 */
import { minutesOfDayIn } from './dates';
import { MAX_DECIMAL, MAX_INTEGER, groupThousands, quote, readNumber, roundTo } from './numbers';
import type { DisplayUnit, ParseContext, ParseResult } from './types';

/** Longest duration we accept for one day's total or change: a day has 1440 minutes. */
export const MAX_DURATION_MINUTES = 1440;

const ok = (value: number | string): ParseResult => ({ ok: true, value });
const fail = (message: string): ParseResult => ({ ok: false, message });

/** Minutes from midday for a clock time: 12:00 → 0, 23:30 → 690, 01:00 → 780, 11:59 → 1439. */
export function minutesFromMidday(minutesOfDay: number): number {
  return (((minutesOfDay - 720) % 1440) + 1440) % 1440;
}

// ---------------------------------------------------------------- quantities

const UNIT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  km: ['km', 'kms', 'kilometre', 'kilometres', 'kilometer', 'kilometers'],
  mi: ['mi', 'mile', 'miles'],
  'km/h': ['km/h', 'km/hr', 'kmh', 'kph'],
  mph: ['mph', 'mi/h'],
  kg: ['kg', 'kgs', 'kilo', 'kilos', 'kilogram', 'kilograms'],
  lb: ['lb', 'lbs', 'pound', 'pounds'],
  g: ['g', 'gram', 'grams'],
  mg: ['mg', 'milligram', 'milligrams'],
  kJ: ['kj', 'kilojoule', 'kilojoules'],
  kcal: ['kcal', 'cal', 'calorie', 'calories'],
  ml: ['ml', 'millilitre', 'millilitres', 'milliliter', 'milliliters'],
  'fl oz': ['fl oz', 'floz', 'fl. oz', 'fl.oz', 'oz', 'fluid ounce', 'fluid ounces'],
  '°C': ['°c', 'c', 'ºc', 'deg c', 'degc'],
  '°F': ['°f', 'f', 'ºf', 'deg f', 'degf'],
  'in/h': ['in/h', 'in/hr'],
};

/** Strips a trailing unit ("5 mi", "8.0km"); says whether the number was typed in the metric unit. */
function stripUnit(s: string, unit: DisplayUnit): { text: string; inMetric: boolean } {
  const candidates: { word: string; inMetric: boolean }[] = [];
  for (const [label, inMetric] of [
    [unit.label, false],
    [unit.metricLabel, true],
  ] as const) {
    for (const word of UNIT_ALIASES[label] ?? [label.toLowerCase()]) candidates.push({ word, inMetric });
  }
  candidates.sort((a, b) => b.word.length - a.word.length);
  const lower = s.toLowerCase();
  for (const c of candidates) {
    if (lower.endsWith(c.word)) {
      const text = s.slice(0, s.length - c.word.length).trim();
      // "5c" must not eat the digit-free tail of something else; require a number before it.
      if (/\d$/.test(text) || text === '') {
        return { text, inMetric: c.inMetric };
      }
    }
  }
  return { text: s, inMetric: false };
}

export function parseQuantity(
  input: string,
  kind: 'integer' | 'decimal',
  purpose: 'total' | 'delta',
  ctx: ParseContext,
): ParseResult {
  const unit = ctx.unit;
  const s = input.trim();
  const example = kind === 'integer' && unit === undefined ? 'Enter a whole number, like 12' : unitExample(unit);
  if (s === '') return fail(example);
  const { text, inMetric } = unit === undefined ? { text: s, inMetric: false } : stripUnit(s, unit);
  if (text === '') return fail(example);
  const converting = unit !== undefined && !inMetric && unit.label !== unit.metricLabel;
  const wholeOnly = kind === 'integer' && !converting;
  const r = readNumber(text, wholeOnly ? 'integer' : 'decimal');
  if (r.kind === 'ambiguous') {
    const asDecimal = String(Number(text.replace(',', '.').replace(/\s/g, '').replace('\u2212', '-')));
    const asThousands = text.replace(',', '');
    return fail(`Couldn't tell whether ${quote(text)} means ${asDecimal} or ${asThousands} — type one of those`);
  }
  if (r.kind === 'syntax')
    return fail(purpose === 'delta' && wholeOnly ? 'Enter a whole number, like 5 or -1' : example);
  if (wholeOnly && r.hasFraction) return fail(`Enter a whole number, like 12 (${quote(text)} has a fraction)`);
  const negativeOk = purpose === 'delta' || ctx.allowNegative === true || unit?.allowNegative === true;
  if (r.value < 0 && !negativeOk) return fail("A total can't be negative — enter 0 or more");
  const raw = converting ? unit.toMetric(r.value) : r.value;
  const metric = kind === 'integer' ? Math.round(raw) + 0 : roundTo(raw, 6);
  const limit = kind === 'integer' ? MAX_INTEGER : MAX_DECIMAL;
  if (!Number.isFinite(metric) || Math.abs(metric) > limit) {
    return fail(
      `That number is too big (at most ${groupThousands(converting ? roundTo(unit.fromMetric(limit), 0) : limit)})`,
    );
  }
  if (purpose === 'delta' && metric === 0) {
    return fail(
      r.value === 0
        ? "Adding 0 wouldn't change anything — enter a number other than 0"
        : `${quote(text)} is less than one ${unit?.metricLabel ?? 'unit'} once converted — too small to add`,
    );
  }
  return ok(metric === 0 ? 0 : metric);
}

function unitExample(unit: DisplayUnit | undefined): string {
  return unit === undefined ? 'Enter a number, like 2.5' : `Enter a number of ${unit.label}, like 2.5`;
}

// ---------------------------------------------------------------- percentage

export function parsePercentage(input: string): ParseResult {
  const s = input.trim().replace(/\s*%$/, '');
  const example = 'Enter a percentage from 0 to 100, like 45 or 45.5%';
  if (s === '') return fail(example);
  const r = readNumber(s, 'decimal');
  if (r.kind === 'ambiguous')
    return fail(`Couldn't tell whether ${quote(input)} means ${s.replace(',', '.')}% — type it with a dot`);
  if (r.kind === 'syntax') return fail(example);
  if (r.value < 0 || r.value > 100) return fail('A percentage goes from 0 to 100%');
  return ok(roundTo(r.value / 100, 6));
}

// ---------------------------------------------------------------- boolean & scale

const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', '1', 'on', '✓', '✔']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', '0', 'off']);

export function parseBoolean(input: string): ParseResult {
  const s = input.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return ok(1);
  if (FALSE_WORDS.has(s)) return ok(0);
  return fail('Enter yes or no');
}

export function parseScale(input: string): ParseResult {
  const s = input
    .trim()
    .replace(/\s*(?:\/|of)\s*9$/i, '')
    .trim();
  const r = readNumber(s, 'integer');
  if (r.kind !== 'ok') return fail('Enter a whole number from 1 to 9');
  if (r.hasFraction) return fail('Scale values are whole numbers from 1 to 9');
  if (r.value < 1 || r.value > 9) return fail('Scale values go from 1 to 9');
  return ok(r.value);
}

// ---------------------------------------------------------------- duration

const H_WORD = '(?:h|hr|hrs|hour|hours)';
const M_WORD = '(?:m|min|mins|minute|minutes)';
const HOURS_FIRST = new RegExp(
  `^(\\d{1,5}(?:[.,]\\d{1,6})?)\\s*${H_WORD}(?:\\s*(?:,|and)?\\s*(\\d{1,5})\\s*${M_WORD}?)?$`,
);
const MINUTES_ONLY = new RegExp(`^(\\d{1,7}(?:[.,]\\d{1,6})?)\\s*${M_WORD}$`);
const CLOCK_DURATION = /^(\d{1,3}):([0-5]\d)$/;

type DurationRead = { kind: 'ok'; minutes: number } | { kind: 'syntax' } | { kind: 'fraction' };

/** Reads "80", "1h 20m", "1h20", "1:20", "1.5h", "90 min" (optionally signed) as minutes. */
function readDuration(input: string): DurationRead {
  let s = input.trim().toLowerCase().replace(/\s+/g, ' ');
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-') || s.startsWith('\u2212')) {
    sign = s.startsWith('+') ? 1 : -1;
    s = s.slice(1).trim();
  }
  if (s === '' || s.startsWith('+') || s.startsWith('-')) return { kind: 'syntax' };
  let m = CLOCK_DURATION.exec(s);
  if (m !== null) return { kind: 'ok', minutes: sign * (Number(m[1]) * 60 + Number(m[2])) };
  if (/^[\d.,]+$/.test(s)) {
    const r = readNumber(s, 'integer');
    if (r.kind !== 'ok') return { kind: 'syntax' };
    return r.hasFraction ? { kind: 'fraction' } : { kind: 'ok', minutes: sign * r.value };
  }
  m = HOURS_FIRST.exec(s);
  if (m !== null) {
    const hours = Number((m[1] ?? '0').replace(',', '.'));
    const minutes = m[2] === undefined ? 0 : Number(m[2]);
    return { kind: 'ok', minutes: sign * (Math.round(hours * 60) + minutes) };
  }
  m = MINUTES_ONLY.exec(s);
  if (m !== null) {
    const minutes = Number((m[1] ?? '').replace(',', '.'));
    return Number.isInteger(minutes) ? { kind: 'ok', minutes: sign * minutes } : { kind: 'fraction' };
  }
  return { kind: 'syntax' };
}

export function parseDuration(input: string, purpose: 'total' | 'delta'): ParseResult {
  const r = readDuration(input);
  if (r.kind === 'syntax') {
    return fail(
      input.trim() === ''
        ? 'Enter a duration, like 80, 1h 20m or 1:20'
        : `Couldn't read ${quote(input)} as a duration — try 80, 1h 20m or 1:20`,
    );
  }
  if (r.kind === 'fraction') return fail('Durations are whole minutes — try 90 or 1.5h');
  const minutes = r.minutes + 0;
  if (purpose === 'total' && minutes < 0) return fail("A duration can't be negative");
  if (purpose === 'delta' && minutes === 0) return fail("Adding 0 minutes wouldn't change anything");
  if (Math.abs(minutes) > MAX_DURATION_MINUTES) {
    return fail(`That's more than a day — enter at most 24h (${MAX_DURATION_MINUTES} minutes)`);
  }
  return ok(minutes);
}

// ---------------------------------------------------------------- time of day

const CLOCK = /^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a|p)?$/;
const COMPACT_CLOCK = /^(\d{1,2})(\d{2})\s*(am|pm|a|p)?$/;

/** Minutes from midnight for "07:30", "7:30pm", "0730", "7am", "noon", "midnight", "now"; or a message. */
export function readClock(input: string, ctx: ParseContext): number | string {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/([ap])\.\s?m\.?$/, '$1m');
  const example = `try 07:30, 7:30pm or 19:30`;
  if (s === '') return `Enter a time, like 07:30 or 7:30pm`;
  if (s === 'noon' || s === 'midday') return 720;
  if (s === 'midnight') return 0;
  if (s === 'now') {
    if (ctx.now === undefined) return `Type the time, like 07:30 — ${example}`;
    try {
      return minutesOfDayIn(ctx.now.timeZone, ctx.now.nowMs);
    } catch {
      return `Couldn't tell the time in your Exist timezone — type it, like 07:30`;
    }
  }
  const m = CLOCK.exec(s) ?? (/^\d{3,4}/.test(s) ? COMPACT_CLOCK.exec(s) : null);
  if (m === null) return `Couldn't read ${quote(input)} as a time — ${example}`;
  const hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3];
  if (minute > 59) return 'Times go from 00:00 to 23:59';
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return `With am/pm the hour goes from 1 to 12 — ${example}`;
    const pm = meridiem.startsWith('p');
    return ((hour % 12) + (pm ? 12 : 0)) * 60 + minute;
  }
  if (hour > 23) return 'Times go from 00:00 to 23:59';
  return hour * 60 + minute;
}
