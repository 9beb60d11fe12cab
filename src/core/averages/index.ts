/**
 * Today's state on every row (issue 18): the weekday average from `GET /api/2/averages/`
 * and progress against it, the last value and when it was logged, and streaks of
 * yes/no attributes. Pure, plus a small cache refreshed at most once a day.
 *
 * Decisions: the average is Exist's own for the weekday of the day shown (in the user's
 * Exist timezone), with "overall" as a fallback when the weekday has none; progress is
 * capped at 100% for the bar but the words say the real numbers. A streak counts days with
 * a yes ending today — or yesterday, when today has no value yet, so an unlogged morning
 * does not read as a broken streak.
 */
import type { IsoDate } from '../../shared/domain';
import { addDays } from '../values/dates';
import { weekdayOf } from '../quickadd/tokens';
import type { AttributeAverage } from './schema';

export { averageSchema, toAverage, WEEKDAY_KEYS, type AttributeAverage } from './schema';

export const AVERAGES_TTL_MS = 24 * 60 * 60_000;
/** After a failed read (offline, no scope), wait this long before the next: views ask on every push. */
export const AVERAGES_RETRY_MS = 15 * 60_000;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface Progress {
  /** The usual value for this weekday (Exist's median). */
  usual: number;
  /** 0–1 for the bar. */
  fraction: number;
  /** "Tuesday". */
  weekday: string;
}

/** The usual value for `date`'s weekday, or null when Exist has none (or it is 0). */
export function usualFor(avg: AttributeAverage | undefined, date: IsoDate): { usual: number; weekday: string } | null {
  if (avg === undefined) return null;
  const wd = weekdayOf(date);
  const usual = avg.byWeekday[wd] ?? avg.overall;
  if (usual === null || usual === undefined || !(usual > 0)) return null;
  return { usual, weekday: WEEKDAY_NAMES[wd] ?? '' };
}

/** Progress of `value` against the usual value of `date`'s weekday. */
export function progressFor(
  value: number | string | null,
  avg: AttributeAverage | undefined,
  date: IsoDate,
): Progress | null {
  const u = usualFor(avg, date);
  if (u === null) return null;
  const v = typeof value === 'number' ? value : 0;
  return { ...u, fraction: Math.max(0, Math.min(1, v / u.usual)) };
}

/** The newest day with a value, on or before `date`. */
export function lastValue(
  history: readonly { date: IsoDate; value: number | string | null }[] | null,
  date: IsoDate,
): { date: IsoDate; value: number | string } | null {
  if (history === null) return null;
  let best: { date: IsoDate; value: number | string } | null = null;
  for (const h of history) {
    if (h.value === null || h.date > date) continue;
    if (best === null || h.date > best.date) best = { date: h.date, value: h.value };
  }
  return best;
}

/** Days in a row with a yes (1) ending at `date`, or the day before when `date` has no value yet. */
export function streakFor(history: readonly { date: IsoDate; value: number | string | null }[] | null, date: IsoDate) {
  if (history === null) return 0;
  const byDate = new Map(history.map((h) => [h.date, h.value]));
  let day = byDate.get(date) === null || !byDate.has(date) ? addDays(date, -1) : date;
  let n = 0;
  while (byDate.get(day) === 1) {
    n++;
    day = addDays(day, -1);
  }
  return n;
}

/** "5 days in a row" / "1 day" / "". */
export function streakWords(n: number): string {
  return n <= 0 ? '' : n === 1 ? '1 day' : `${n} days in a row`;
}

export interface AveragesCache {
  get(attribute: string): AttributeAverage | undefined;
  /** Fetches when the cache is empty or older than a day (not within 15 min of a failed read unless forced); never throws. */
  refresh(force?: boolean): Promise<void>;
  fetchedAt(): number | null;
  clear(): void;
}

/** A day-long cache over `fetchAll` (the client's `listAllAverages`). */
export function createAveragesCache(deps: {
  now(): number;
  fetchAll(): Promise<AttributeAverage[]>;
  onError?(e: unknown): void;
}): AveragesCache {
  let map = new Map<string, AttributeAverage>();
  let at: number | null = null;
  let failedAt: number | null = null;
  let inflight: Promise<void> | null = null;
  const load = async () => {
    try {
      const list = await deps.fetchAll();
      map = new Map(list.map((a) => [a.attribute, a]));
      at = deps.now();
      failedAt = null;
    } catch (e) {
      failedAt = deps.now();
      deps.onError?.(e);
    } finally {
      inflight = null;
    }
  };
  return {
    get: (a) => map.get(a),
    refresh(force = false) {
      if (!force && at !== null && deps.now() - at < AVERAGES_TTL_MS) return Promise.resolve();
      if (!force && failedAt !== null && deps.now() - failedAt < AVERAGES_RETRY_MS) return Promise.resolve();
      inflight ??= load();
      return inflight;
    },
    fetchedAt: () => at,
    clear() {
      map = new Map();
      at = null;
      failedAt = null;
    },
  };
}
