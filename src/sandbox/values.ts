/**
 * Pure rules of the sandbox: dates in the user's timezone, value validation by
 * type, label slugs. Kept free of I/O so the contract is easy to test and read.
 */

/** Exist's descriptions of each value type, used for custom (non-template) attributes. */
export const VALUE_TYPE_DESCRIPTIONS: Record<number, string> = {
  0: 'Integer',
  1: 'Float',
  2: 'String',
  3: 'Period (minutes as integer)',
  4: 'Time of day (minutes from midnight as integer)',
  5: 'Float (percentage, 0.0 to 1.0)',
  6: 'Time of day (minutes from midday as integer)',
  7: 'Boolean (0 or 1)',
  8: 'Integer scale (between 1 and 9)',
};

/** Types the increment endpoint accepts: integer quantities, decimals and durations. */
export const INCREMENTABLE_TYPES: readonly number[] = [0, 1, 3];

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

const typeWord = (t: number): string =>
  t === 1 || t === 5 ? 'float' : t === 2 ? 'string' : t === 7 ? 'boolean' : 'integer';

/**
 * Checks one value against an attribute's value type. Returns the error text Exist-style
 * ("Cannot apply a float to an integer type"), or null when the value is acceptable.
 * `null` is handled by the caller (it may only clear an empty day).
 */
export function checkValue(valueType: number, value: unknown, attributeName: string): string | null {
  if (valueType === 2) {
    if (typeof value !== 'string') return `Cannot apply a ${describe(value)} to a string type`;
    if (attributeName === 'mood_note' && [...value].length > MOOD_NOTE_MAX) {
      return `Value is too long: mood_note takes at most ${MOOD_NOTE_MAX} characters`;
    }
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `Cannot apply a ${describe(value)} to ${article(typeWord(valueType))} ${typeWord(valueType)} type`;
  }
  if (valueType === 1 || valueType === 5) {
    if (valueType === 5 && (value < 0 || value > 1)) return 'Percentage values must be between 0.0 and 1.0';
    return null;
  }
  if (!Number.isInteger(value)) return `Cannot apply a float to an integer type`;
  switch (valueType) {
    case 4:
      return value >= 0 && value <= 1439 ? null : 'Time of day must be minutes from midnight, 0 to 1439';
    case 6:
      return value >= 0 && value <= 1439 ? null : 'Time of day must be minutes from midday, 0 to 1439';
    case 7:
      return value === 0 || value === 1 ? null : 'Boolean values must be 0 or 1';
    case 8:
      return value >= 1 && value <= 9 ? null : 'Scale values must be between 1 and 9';
    default:
      return null;
  }
}

const article = (w: string): string => (/^[aeiou]/.test(w) ? 'an' : 'a');

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'list' : typeof value === 'object' ? 'object' : typeof value;
}
