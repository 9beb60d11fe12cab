/**
 * Quick-add, step 1: splits what was typed into a date, a value and the words that name
 * the attribute. Purely syntactic — which attribute the words mean is match.ts's job, and
 * whether the value suits it is left to core/values' parsers (one home for value rules).
 *
 * Decisions: the first token that starts like a number (optionally signed with + − or =)
 * is the value; time words after it ("1h 30m", "45 min", "7:30 pm") belong to it. Date
 * words may stand anywhere: today, yesterday, a weekday (the latest one on or before
 * today), "N days ago", or YYYY-MM-DD. Dates after today are refused by the caller.
 */
import type { IsoDate } from '../../shared/domain';
import { addDays, isIsoDate } from '../values/dates';

export type Sign = '+' | '-' | '=' | null;

export interface QuickAddTokens {
  /** The date words resolved, or null for "today" by default. */
  date: IsoDate | null;
  /** The value as typed without its sign ("20", "1h 30m", "7"), or null when none was typed. */
  value: string | null;
  sign: Sign;
  /** The value carried a time word ("45m", "1h"): it names a duration. */
  durationHint: boolean;
  /** Lower-cased words left over: they name the attribute. */
  words: string[];
  /** Set when the date words could not be read. */
  error?: string;
}

const TIME_WORD = /^(h|hr|hrs|hour|hours|m|min|mins|minute|minutes)$/i;
const MERIDIEM = /^(am|pm|a\.m\.|p\.m\.)$/i;
const DURATION_PIECE = /^\d+\s*(m|min|mins|minutes?)$/i;
const VALUE_START = /^[+\-\u2212=]?(\d|[.,]\d)/;
const HAS_TIME_SUFFIX = /\d\s*(h|hr|hrs|hours?|m|min|mins|minutes?)$/i;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const YES_NO = new Set(['yes', 'no', 'y', 'n', 'true', 'false', 'on', 'off']);
const FILLER = new Set(['to', 'of', 'on', 'for', 'the', 'a', 'an', 'i', 'did', 'add', 'log', 'my', 'in', 'at']);

/** Weekday (0 = Sunday) of a calendar date. */
export function weekdayOf(date: IsoDate): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** "mon", "tues", "friday" → 0–6, or -1. */
function weekdayIndex(word: string): number {
  if (word.length < 3) return -1;
  return WEEKDAYS.findIndex((d) => d.startsWith(word));
}

type DateRead = { date: IsoDate; used: number } | { error: string } | null;

/** Reads date words starting at `tokens[i]` (1–3 tokens), or null when there are none. */
function readDate(tokens: string[], i: number, today: IsoDate): DateRead {
  const w = (tokens[i] ?? '').toLowerCase();
  if (w === 'today') return { date: today, used: 1 };
  if (w === 'yesterday' || w === 'yday') return { date: addDays(today, -1), used: 1 };
  if (/^\d{4}-\d{2}-\d{2}$/.test(w)) {
    return isIsoDate(w) ? { date: w, used: 1 } : { error: `${w} isn't a real date` };
  }
  const ago = /^(\d{1,3})d?$/.exec(w);
  const next = (tokens[i + 1] ?? '').toLowerCase();
  if (ago !== null && /^ago$/.test(next)) return { date: addDays(today, -Number(ago[1])), used: 2 };
  if (ago !== null && /^days?$/.test(next) && (tokens[i + 2] ?? '').toLowerCase() === 'ago') {
    return { date: addDays(today, -Number(ago[1])), used: 3 };
  }
  const wd = weekdayIndex(w === 'last' ? next : w);
  if (wd < 0) return null;
  const back = (weekdayOf(today) - wd + 7) % 7;
  return { date: addDays(today, w === 'last' && back === 0 ? -7 : -back), used: w === 'last' ? 2 : 1 };
}

/** Pulls the date words out of `tokens`; returns the rest. */
function takeDate(tokens: string[], today: IsoDate): { rest: string[]; date: IsoDate | null; error?: string } {
  const rest: string[] = [];
  let date: IsoDate | null = null;
  for (let i = 0; i < tokens.length;) {
    const r = readDate(tokens, i, today);
    if (r === null) {
      rest.push(tokens[i] ?? '');
      i++;
    } else if ('error' in r) return { rest, date, error: r.error };
    else if (date !== null && date !== r.date) return { rest, date, error: 'Give one date only' };
    else {
      date = r.date;
      i += r.used;
    }
  }
  return { rest, date };
}

/** Takes the value token and the time words that belong to it. */
function takeValue(tokens: string[]): { rest: string[]; value: string | null; sign: Sign; durationHint: boolean } {
  const at = tokens.findIndex((t) => VALUE_START.test(t));
  if (at < 0) return { rest: tokens, value: null, sign: null, durationHint: false };
  const parts = [tokens[at] ?? ''];
  let end = at + 1;
  while (end < tokens.length) {
    const t = tokens[end] ?? '';
    if (!TIME_WORD.test(t) && !MERIDIEM.test(t) && !DURATION_PIECE.test(t)) break;
    parts.push(t);
    end++;
  }
  let value = parts.join(' ');
  let sign: Sign = null;
  const first = value.charAt(0);
  if (first === '+' || first === '=') sign = first;
  else if (first === '-' || first === '\u2212') sign = '-';
  if (sign !== null) value = value.slice(1).trim();
  const durationHint = parts.slice(1).some((p) => TIME_WORD.test(p)) || HAS_TIME_SUFFIX.test(parts[0] ?? '');
  return { rest: [...tokens.slice(0, at), ...tokens.slice(end)], value, sign, durationHint };
}

/** Splits `input` into date, value and attribute words. Never throws. */
export function tokenize(input: string, today: IsoDate): QuickAddTokens {
  const tokens = String(input)
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const d = takeDate(tokens, today);
  const v = takeValue(d.rest);
  let words = v.rest.map((w) => w.toLowerCase());
  let sign = v.sign;
  if (words[0] === 'set' && sign === null) {
    sign = '=';
    words = words.slice(1);
  }
  words = words.filter((w) => !FILLER.has(w));
  let value = v.value;
  const last = words[words.length - 1] ?? '';
  if (value === null && words.length > 1 && YES_NO.has(last)) {
    value = last;
    words = words.slice(0, -1);
  }
  const timeWords = v.durationHint && words.length === 0 ? (value ?? '').split(' ').slice(1) : [];
  if (timeWords.length > 0) words = timeWords.filter((w) => TIME_WORD.test(w)).map((w) => w.toLowerCase());
  const out: QuickAddTokens = { date: d.date, value, sign, durationHint: v.durationHint, words };
  return d.error === undefined ? out : { ...out, error: d.error };
}
