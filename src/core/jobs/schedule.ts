/**
 * Job schedules: `hourly` (the default, and the fastest Exist allows for a periodic
 * sync) or a cron expression read by croner in the user's Exist timezone. A cron that
 * would fire more than once within an hour is refused with a reason, so the app can
 * never become the client that hammers Exist every minute.
 */
import { Cron } from 'croner';
import { isValidTimeZone } from '../values';

export const HOUR_MS = 3_600_000;
/** How many upcoming runs are checked for spacing (two days of an hourly schedule). */
export const RUNS_CHECKED = 48;
/** Allowance for clock granularity (a DST change never brings two hourly runs closer than this). */
const TOLERANCE_MS = 1_000;

export const HOURLY = 'hourly';

const isHourly = (schedule: string): boolean => schedule.trim().toLowerCase() === HOURLY;

/**
 * The minute past the hour at which an `hourly` job runs, derived from its id so that
 * jobs (and users) spread over the hour instead of all calling Exist at :00.
 */
export function hourlyOffsetMs(jobId: string): number {
  let h = 2166136261;
  for (let i = 0; i < jobId.length; i++) {
    h ^= jobId.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return (h % 60) * 60_000;
}

function describeGap(ms: number): string {
  if (ms < 60_000) {
    const s = Math.max(1, Math.round(ms / 1000));
    return s === 1 ? 'second' : `${s} seconds`;
  }
  const m = Math.round(ms / 60_000);
  return m === 1 ? 'minute' : `${m} minutes`;
}

const cronFor = (pattern: string, timeZone: string): Cron =>
  new Cron(pattern, { timezone: isValidTimeZone(timeZone) ? timeZone : 'UTC', paused: true });

/**
 * Checks a schedule before a job is saved: `hourly`, or a cron expression whose next
 * {@link RUNS_CHECKED} runs are at least an hour apart. Returns the schedule as stored
 * (`hourly` normalised, cron trimmed) or a sentence saying why it is refused.
 */
export function checkSchedule(
  schedule: string,
  timeZone: string,
  nowMs: number,
): { ok: true; schedule: string } | { ok: false; message: string } {
  const s = schedule.trim();
  if (s === '' || isHourly(s)) return { ok: true, schedule: HOURLY };
  let cron: Cron;
  try {
    cron = cronFor(s, timeZone);
  } catch (e) {
    return {
      ok: false,
      message: `“${s}” is not a schedule this app understands: use “hourly” or a cron expression such as “15 * * * *” (${e instanceof Error ? e.message : String(e)}).`,
    };
  }
  const runs = cron.nextRuns(RUNS_CHECKED, new Date(nowMs)).map((d) => d.getTime());
  if (runs.length === 0) return { ok: false, message: `“${s}” never runs again.` };
  const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
  const shortest = Math.min(...gaps);
  if (gaps.length > 0 && shortest < HOUR_MS - TOLERANCE_MS) {
    const uniform = gaps.every((g) => Math.abs(g - shortest) <= TOLERANCE_MS);
    const how = uniform ? `runs every ${describeGap(shortest)}` : `runs twice within ${describeGap(shortest)}`;
    return {
      ok: false,
      message: `“${s}” ${how}; Exist asks syncs to run at most hourly. Use “hourly” or a less frequent cron expression.`,
    };
  }
  return { ok: true, schedule: s };
}

/**
 * When a job should next run after `afterMs`, never sooner than an hour after its last
 * run (a second guard, should a cron expression bunch up beyond the checked window).
 * Null when the schedule never fires again (or is not readable any more).
 */
export function nextRunAt(
  schedule: string,
  jobId: string,
  timeZone: string,
  afterMs: number,
  lastRunAt: number | null,
): number | null {
  const from = Math.max(afterMs, lastRunAt === null ? -Infinity : lastRunAt + HOUR_MS - TOLERANCE_MS);
  if (isHourly(schedule)) {
    const off = hourlyOffsetMs(jobId);
    const next = Math.floor((from - off) / HOUR_MS) * HOUR_MS + off;
    return next > from ? next : next + HOUR_MS;
  }
  try {
    const d = cronFor(schedule, timeZone).nextRun(new Date(from));
    return d ? d.getTime() : null;
  } catch {
    return null;
  }
}
