/**
 * Pure rules of the sandbox: dates in the user's timezone, value validation by
 * type, label slugs. Kept free of I/O so the contract is easy to test and read. What each
 * value type accepts comes from the app's value-type registry (its `exist` column, written
 * from the API reference), so a new type is one row there.
 */
import { VALUE_TYPE_REGISTRY, valueTypeSpecOf, type ValueTypeSpec } from '../core/values/registry';

const SPECS = Object.values(VALUE_TYPE_REGISTRY);

/** Exist's descriptions of each value type, used for custom (non-template) attributes (from the registry). */
export const VALUE_TYPE_DESCRIPTIONS: Record<number, string> = Object.fromEntries(
  SPECS.map((s) => [s.code, s.exist.description]),
);

/** Types the increment endpoint accepts: integer quantities, decimals and durations (from the registry). */
export const INCREMENTABLE_TYPES: readonly number[] = SPECS.filter((s) => s.incrementable).map((s) => s.code);

/** Longest text Exist stores for `mood_note`. */
export const MOOD_NOTE_MAX = 1000;

/** Throws a clear error when `tz` is not an IANA timezone Node knows. */
export function assertTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new Error(`Unknown timezone '${tz}': use an IANA name such as 'Europe/Berlin'`);
  }
}

/** The calendar date (`YYYY-MM-DD`) at instant `ms` in timezone `tz`: Exist's "today" for the user. */
export function dateInZone(ms: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** ISO local date-time with offset (`2024-05-01T13:45:12+14:00`) for the profile's `local_time`. */
export function localTimeInZone(ms: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  const zone = get('timeZoneName').replace('GMT', '') || '+00:00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${zone}`;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `date` moved by `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Exist derives a custom attribute's name from its label: "Time reading" → `time_reading`.
 * Accents are folded to ASCII; anything else that is not a letter or digit becomes `_`.
 */
export function slugify(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** What Exist accepts for a type (the registry's `exist` column); unknown types are treated as integers. */
const existRule = (t: number): ValueTypeSpec['exist'] =>
  valueTypeSpecOf(t)?.exist ?? { json: 'integer', description: '' };

/**
 * Checks one value against an attribute's value type. Returns the error text Exist-style
 * ("Cannot apply a float to an integer type"), or null when the value is acceptable.
 * `null` is handled by the caller (it may only clear an empty day).
 */
export function checkValue(valueType: number, value: unknown, attributeName: string): string | null {
  const rule = existRule(valueType);
  if (rule.json === 'string') {
    if (typeof value !== 'string') return `Cannot apply a ${describe(value)} to a string type`;
    if (attributeName === 'mood_note' && [...value].length > MOOD_NOTE_MAX) {
      return `Value is too long: mood_note takes at most ${MOOD_NOTE_MAX} characters`;
    }
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `Cannot apply a ${describe(value)} to ${article(rule.json)} ${rule.json} type`;
  }
  if (rule.json !== 'float' && !Number.isInteger(value)) return `Cannot apply a float to an integer type`;
  if (rule.range && (value < rule.range[0] || value > rule.range[1])) return rule.rangeMessage ?? 'Value out of range';
  return null;
}

const article = (w: string): string => (/^[aeiou]/.test(w) ? 'an' : 'a');

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'list' : typeof value === 'object' ? 'object' : typeof value;
}
