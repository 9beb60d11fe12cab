import type { IsoDate } from '../../shared/domain';

/**
 * Calendar dates in the user's Exist timezone. Exist keys every value by the user's local
 * date, which is the profile's IANA timezone — not the machine's. Only `Intl` is used, so
 * this runs in the renderer, the main process and the CLI alike.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Whether `tz` is an IANA timezone this runtime knows ("Europe/London", "UTC"). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function partsIn(timeZone: string, nowMs: number): Record<string, string> {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown timezone “${timeZone}”`);
  if (!Number.isFinite(nowMs)) throw new RangeError(`Invalid time ${String(nowMs)}`);
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    numberingSystem: 'latn',
  });
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(nowMs))) out[p.type] = p.value;
  return out;
}

/**
 * The user's date at instant `nowMs` in `timeZone` ("today" for Exist). Correct across DST
 * and for UTC+14 / UTC−11. Throws RangeError for an unknown timezone (callers validate
 * profile timezones with `isValidTimeZone` first).
 */
export function todayIn(timeZone: string, nowMs: number): IsoDate {
  const p = partsIn(timeZone, nowMs);
  return `${(p.year ?? '').padStart(4, '0')}-${p.month}-${p.day}`;
}

/** Minutes since local midnight (0–1439) at `nowMs` in `timeZone`; lets time fields accept "now". */
export function minutesOfDayIn(timeZone: string, nowMs: number): number {
  const p = partsIn(timeZone, nowMs);
  return (Number(p.hour) % 24) * 60 + Number(p.minute);
}

function split(date: IsoDate): [number, number, number] | null {
  const m = ISO_DATE.exec(date);
  if (m === null) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** `YYYY-MM-DD` naming a real calendar day (rejects 2026-02-30, 2026-13-01, 2026-1-5). */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const ymd = split(s);
  if (ymd === null) return false;
  const [y, m, d] = ymd;
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a date: “${String(date)}” (expected YYYY-MM-DD)`);
  const [y, m, d] = split(date) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // setUTCFullYear keeps years 0–99 literal, unlike Date.UTC
  t.setUTCHours(0, 0, 0, 0);
  return Math.round(t.getTime() / MS_PER_DAY);
}

function fromDayNumber(n: number): IsoDate {
  const t = new Date(n * MS_PER_DAY);
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  const m = String(t.getUTCMonth() + 1).padStart(2, '0');
  const d = String(t.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Calendar arithmetic on dates (no timezone involved): `addDays('2026-03-01', -1)` → '2026-02-28'. */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays needs a whole number of days, got ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** Signed number of days from `a` to `b` (`daysBetween('2026-01-01', '2026-01-03')` → 2). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/**
 * Reads the popover / CLI date choice: "today", "yesterday" or `YYYY-MM-DD`, in the user's
 * Exist timezone. Backdating is allowed; dates after the user's today are not.
 */
export function parseDateChoice(
  input: string,
  timeZone: string,
  nowMs: number,
): { ok: true; value: IsoDate } | { ok: false; message: string } {
  if (!isValidTimeZone(timeZone)) {
    return { ok: false, message: `Your Exist timezone “${String(timeZone)}” isn't one this app knows` };
  }
  const today = todayIn(timeZone, nowMs);
  const s = typeof input === 'string' ? input.trim() : '';
  const lower = s.toLowerCase();
  if (lower === 'today') return { ok: true, value: today };
  if (lower === 'yesterday') return { ok: true, value: addDays(today, -1) };
  if (!ISO_DATE.test(s)) {
    return { ok: false, message: 'Enter a date as YYYY-MM-DD, or choose today or yesterday' };
  }
  if (!isIsoDate(s)) return { ok: false, message: `${s} isn't a real date` };
  if (s < today) return { ok: true, value: s };
  if (s === today) return { ok: true, value: s };
  return {
    ok: false,
    message: `That date is in the future for you (your Exist timezone is ${timeZone}, where today is ${today})`,
  };
}
