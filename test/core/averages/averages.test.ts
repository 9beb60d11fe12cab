/**
 * Averages: `GET /api/2/averages/` in the client and the sandbox (medians of the 60 days
 * before today, per weekday), and the pure pieces a row shows — progress against the
 * usual value for this weekday, the last value, a yes/no streak — plus the day-long cache.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AVERAGES_RETRY_MS,
  createAveragesCache,
  lastValue,
  progressFor,
  streakFor,
  streakWords,
  usualFor,
  type AttributeAverage,
} from '../../../src/core/averages';
import { createExistClient, staticTokenProvider } from '../../../src/core/exist/client';
import { addDays, todayIn } from '../../../src/core/values/dates';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const TUESDAY = '2026-12-01';
const avg = (over: Partial<AttributeAverage> = {}): AttributeAverage => ({
  attribute: 'pages_read',
  date: TUESDAY,
  overall: 15,
  byWeekday: [null, 10, 20, null, null, null, null],
  ...over,
});

describe('row state (pure)', () => {
  it('usual for a Tuesday, and progress capped at 1 for the bar', () => {
    expect(usualFor(avg(), TUESDAY)).toEqual({ usual: 20, weekday: 'Tuesday' });
    expect(progressFor(5, avg(), TUESDAY)).toEqual({ usual: 20, weekday: 'Tuesday', fraction: 0.25 });
    expect(progressFor(45, avg(), TUESDAY)?.fraction).toBe(1);
    expect(progressFor(null, avg(), TUESDAY)?.fraction).toBe(0);
  });
  it('falls back to overall when the weekday has none, and to nothing without an average', () => {
    expect(usualFor(avg(), '2026-12-02')).toEqual({ usual: 15, weekday: 'Wednesday' });
    expect(usualFor(avg({ overall: null }), '2026-12-02')).toBeNull();
    expect(usualFor(undefined, TUESDAY)).toBeNull();
    expect(usualFor(avg({ byWeekday: [0, 0, 0, 0, 0, 0, 0], overall: 0 }), TUESDAY)).toBeNull();
  });
  it('the last value on or before the day', () => {
    const h = [
      { date: '2026-11-28', value: 3 },
      { date: '2026-11-29', value: null },
      { date: '2026-11-30', value: 12 },
      { date: TUESDAY, value: null },
    ];
    expect(lastValue(h, TUESDAY)).toEqual({ date: '2026-11-30', value: 12 });
    expect(lastValue(h, '2026-11-29')).toEqual({ date: '2026-11-28', value: 3 });
    expect(lastValue(null, TUESDAY)).toBeNull();
  });
  it('streaks end today, or yesterday while today is empty; a no breaks them', () => {
    const days = (vals: (number | null)[]) =>
      vals.map((value, i) => ({ date: addDays(TUESDAY, i - vals.length + 1), value }));
    expect(streakFor(days([0, 1, 1, 1, 1, 1]), TUESDAY)).toBe(5);
    expect(streakFor(days([1, 1, 0, 1, 1, null]), TUESDAY)).toBe(2);
    expect(streakFor(days([1, 1, 1, 0]), TUESDAY)).toBe(0);
    expect(streakWords(5)).toBe('5 days in a row');
    expect(streakWords(0)).toBe('');
  });
  it('the cache fetches at most once a day, once at a time', async () => {
    let now = 0;
    let calls = 0;
    const cache = createAveragesCache({
      now: () => now,
      fetchAll: async () => {
        calls++;
        return [avg()];
      },
    });
    await Promise.all([cache.refresh(), cache.refresh()]);
    expect(calls).toBe(1);
    expect(cache.get('pages_read')?.byWeekday[2]).toBe(20);
    now += 23 * 3_600_000;
    await cache.refresh();
    expect(calls).toBe(1);
    now += 2 * 3_600_000;
    await cache.refresh();
    expect(calls).toBe(2);
  });
  it('a failed read is not retried on every view (each refresh would spend a call of the hour)', async () => {
    let now = 0;
    let calls = 0;
    const cache = createAveragesCache({
      now: () => now,
      fetchAll: async () => {
        calls++;
        throw new Error('offline');
      },
    });
    await cache.refresh();
    for (let i = 0; i < 20; i++) {
      now += 30_000;
      await cache.refresh();
    }
    expect(calls).toBe(1);
    now += AVERAGES_RETRY_MS;
    await cache.refresh();
    expect(calls).toBe(2);
    await cache.refresh(true); // an explicit refresh still asks
    expect(calls).toBe(3);
  });
});

describe('GET /api/2/averages/ against the sandbox', () => {
  async function withPages(scopes: string[]) {
    sandbox = await startSandbox({ seed: false, timezone: 'UTC' });
    const owner = createExistClient({
      baseUrl: sandbox.url,
      auth: staticTokenProvider(sandbox.issueToken(['media_write', 'media_read']).access_token),
    });
    await owner.acquire([{ template: 'pages_read' }]);
    const today = todayIn('UTC', Date.now());
    const values = [
      { date: addDays(today, -7), value: 10 },
      { date: addDays(today, -14), value: 40 },
      { date: addDays(today, -21), value: 20 },
      { date: addDays(today, -1), value: 5 },
      { date: addDays(today, -61), value: 999 }, // older than 60 days: not counted
      { date: today, value: 500 }, // today: not counted
    ];
    await owner.update(values.map((v) => ({ name: 'pages_read', ...v })));
    const reader = createExistClient({
      baseUrl: sandbox.url,
      auth: staticTokenProvider(sandbox.issueToken(scopes).access_token),
    });
    return { reader, today };
  }

  it('medians per weekday and overall of the 60 days before today', async () => {
    const { reader, today } = await withPages(['media_read']);
    const list = await reader.listAllAverages();
    expect(list).toHaveLength(1);
    const a = list[0]!;
    const wd = new Date(`${today}T12:00:00Z`).getUTCDay();
    expect(a).toMatchObject({ attribute: 'pages_read', date: today, overall: 15 });
    expect(a.byWeekday[wd]).toBe(20);
    expect(a.byWeekday[(wd + 6) % 7]).toBe(5);
    expect(usualFor(a, today)?.usual).toBe(20);
  });

  it('only attributes in the read scopes', async () => {
    const { reader } = await withPages(['media_write', 'mood_read']);
    expect(await reader.listAllAverages()).toEqual([]);
  });
});
