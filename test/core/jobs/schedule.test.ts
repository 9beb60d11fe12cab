import { describe, expect, it } from 'vitest';
import { checkSchedule, HOUR_MS, hourlyOffsetMs, nextRunAt } from '../../../src/core/jobs/schedule';

const NOW = Date.UTC(2026, 10, 30, 10, 7); // 2026-11-30 10:07 UTC

describe('checkSchedule', () => {
  it('accepts hourly (the default) and normalises it', () => {
    expect(checkSchedule('hourly', 'UTC', NOW)).toEqual({ ok: true, schedule: 'hourly' });
    expect(checkSchedule(' Hourly ', 'UTC', NOW)).toEqual({ ok: true, schedule: 'hourly' });
    expect(checkSchedule('', 'UTC', NOW)).toEqual({ ok: true, schedule: 'hourly' });
  });

  it('accepts cron expressions at most hourly', () => {
    for (const c of ['15 * * * *', '0 */2 * * *', '30 23 * * *', '0 9 * * 1-5', '@daily', '0 0 * * * '])
      expect(checkSchedule(c, 'Europe/London', NOW).ok, c).toBe(true);
  });

  it('refuses a cron faster than hourly, saying how often it would run', () => {
    const r = checkSchedule('*/15 * * * *', 'Europe/London', NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('runs every 15 minutes');
      expect(r.message).toContain('Exist asks syncs to run at most hourly');
    }
    const everyMinute = checkSchedule('* * * * *', 'UTC', NOW);
    expect(everyMinute.ok === false && everyMinute.message).toContain('runs every minute');
    const seconds = checkSchedule('*/10 * * * * *', 'UTC', NOW);
    expect(seconds.ok === false && seconds.message).toContain('runs every 10 seconds');
  });

  it('refuses irregular schedules with two runs inside an hour', () => {
    const r = checkSchedule('0,30 9 * * *', 'UTC', NOW);
    expect(r.ok === false && r.message).toContain('runs twice within 30 minutes');
    const wrap = checkSchedule('59 * * * *', 'UTC', NOW);
    expect(wrap.ok).toBe(true);
    const close = checkSchedule('0,59 * * * *', 'UTC', NOW);
    expect(close.ok).toBe(false);
  });

  it('refuses a fast burst that only happens later in the checked window', () => {
    // Every 5 minutes, but only during 03:xx on Tuesdays (NOW is a Monday).
    const r = checkSchedule('*/5 3 * * 2', 'UTC', NOW);
    expect(r.ok).toBe(false);
  });

  it('does not refuse an hourly cron across a daylight-saving change', () => {
    const beforeFallBack = Date.UTC(2026, 9, 24, 12); // London leaves BST on 2026-10-25
    expect(checkSchedule('0 * * * *', 'Europe/London', beforeFallBack).ok).toBe(true);
    const beforeSpringForward = Date.UTC(2026, 2, 28, 12);
    expect(checkSchedule('30 * * * *', 'Europe/London', beforeSpringForward).ok).toBe(true);
  });

  it('explains expressions it cannot read', () => {
    const r = checkSchedule('every day at nine', 'UTC', NOW);
    expect(r.ok === false && r.message).toContain('not a schedule this app understands');
  });
});

describe('nextRunAt', () => {
  it('runs an hourly job at a fixed minute derived from its id', () => {
    const off = hourlyOffsetMs('j1');
    expect(off % 60_000).toBe(0);
    expect(off).toBeLessThan(HOUR_MS);
    const first = nextRunAt('hourly', 'j1', 'UTC', NOW, null)!;
    expect(first).toBeGreaterThan(NOW);
    expect(first - NOW).toBeLessThanOrEqual(HOUR_MS);
    expect(first % HOUR_MS).toBe(off);
    expect(nextRunAt('hourly', 'j1', 'UTC', first, first)).toBe(first + HOUR_MS);
  });

  it('keeps at least an hour after the last run', () => {
    const off = hourlyOffsetMs('j1');
    const slot = Math.ceil((NOW - off) / HOUR_MS) * HOUR_MS + off;
    // A manual run 10 minutes before the slot pushes the next run past the slot.
    const last = slot - 10 * 60_000;
    expect(nextRunAt('hourly', 'j1', 'UTC', last, last)).toBe(slot + HOUR_MS);
  });

  it('reads cron in the user’s Exist timezone', () => {
    // 09:00 in Auckland (UTC+13 in November) is 20:00 UTC the day before.
    const t = nextRunAt('0 9 * * *', 'j1', 'Pacific/Auckland', NOW, null)!;
    expect(new Date(t).toISOString()).toBe('2026-11-30T20:00:00.000Z');
    const london = nextRunAt('0 9 * * *', 'j1', 'Europe/London', NOW, null)!;
    expect(new Date(london).toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });
});
