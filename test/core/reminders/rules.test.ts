/**
 * Smart reminders on a fake clock: due at the time in the user's Exist timezone, quiet when
 * something is logged, no burst of stale reminders after sleep, snooze, weekdays.
 */
import { describe, expect, it } from 'vitest';
import {
  conditionHolds,
  createReminderScheduler,
  dueReminders,
  emptyReminderState,
  nextCheckAt,
  reminderNotice,
  validateRule,
  type DueReminder,
  type ReminderRule,
} from '../../../src/core/reminders';
import { todayIn } from '../../../src/core/values/dates';
import { fakeClock } from '../outbox/helpers';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const TZ = 'Pacific/Kiritimati'; // UTC+14: the machine's date is not the user's
/** 2026-12-01 21:00 in Kiritimati (a Tuesday) is 07:00 UTC. */
const AT_2100 = Date.UTC(2026, 11, 1, 7, 0);
const rule = (over: Partial<ReminderRule> = {}): ReminderRule => ({
  times: [21 * 60 + 1],
  weekdays: EVERY_DAY,
  condition: 'nothing-logged',
  ...over,
});

/** The outbox's fake clock, plus `sleep`: time passes without any timer running (a suspended laptop). */
function sleepyClock(start: number) {
  let offset = 0;
  const inner = fakeClock(start);
  return {
    now: () => inner.now() + offset,
    setTimeout: (fn: () => void, ms: number) => inner.setTimeout(fn, ms),
    advance: (ms: number) => inner.advance(ms),
    sleep: (ms: number) => {
      offset += ms;
    },
  };
}

function harness(r: ReminderRule, start = AT_2100) {
  const clock = sleepyClock(start);
  const values = new Map<string, number | null>();
  const fired: DueReminder[] = [];
  const s = createReminderScheduler({
    clock,
    timeZone: () => TZ,
    entries: () => [{ attribute: 'pages_read', rule: r }],
    valueOf: (a, d) => values.get(`${a}@${d}`) ?? null,
    fire: (d) => fired.push(d),
  });
  s.start();
  const today = () => todayIn(TZ, clock.now());
  return { clock, values, fired, s, today };
}

describe('reminder scheduler', () => {
  it('fires a minute ahead when nothing is logged, once, on the user’s date', () => {
    const h = harness(rule());
    h.clock.advance(59_000);
    expect(h.fired).toEqual([]);
    h.clock.advance(2_000);
    expect(h.fired).toEqual([
      { attribute: 'pages_read', date: '2026-12-01', minute: 1261, snoozed: false, value: null },
    ]);
    h.clock.advance(5 * 60_000);
    expect(h.fired).toHaveLength(1);
  });

  it('stays quiet after a +1', () => {
    const h = harness(rule());
    h.values.set(`pages_read@${h.today()}`, 1);
    h.clock.advance(2 * 60_000);
    expect(h.fired).toEqual([]);
  });

  it('“below N” reminds while under N, quiet at N', () => {
    const h = harness(rule({ condition: 'below', below: 20, times: [1261, 1263] }));
    h.values.set(`pages_read@${h.today()}`, 12);
    h.clock.advance(2 * 60_000);
    expect(h.fired.map((f) => f.value)).toEqual([12]);
    h.values.set(`pages_read@${h.today()}`, 20);
    h.clock.advance(2 * 60_000);
    expect(h.fired).toHaveLength(1);
  });

  it('no burst after sleeping past several times: the stale ones are skipped quietly', () => {
    const h = harness(rule({ times: [1261, 1270, 1280] }));
    h.clock.sleep(60 * 60_000); // suspended: time passes, no timer runs
    h.s.check(); // wake at 22:00
    expect(h.fired).toEqual([]);
    h.clock.advance(60 * 60_000);
    expect(h.fired).toEqual([]);
  });

  it('a wake within the grace period still shows the one reminder, not one per missed time', () => {
    const h = harness(rule({ times: [1261, 1263] }));
    const due = dueReminders({
      entries: [{ attribute: 'pages_read', rule: rule({ times: [1261, 1263] }) }],
      state: emptyReminderState(),
      nowMs: AT_2100 + 5 * 60_000,
      timeZone: TZ,
      valueOf: () => null,
    });
    expect(due.map((d) => d.minute)).toEqual([1263]);
    expect(h.fired).toEqual([]);
  });

  it('snooze comes back once after its minutes, if still nothing is logged', () => {
    const h = harness(rule({ snoozeMinutes: 10 }));
    h.clock.advance(61_000);
    expect(h.fired).toHaveLength(1);
    h.s.snooze('pages_read');
    h.clock.advance(9 * 60_000);
    expect(h.fired).toHaveLength(1);
    h.clock.advance(61_000);
    expect(h.fired).toHaveLength(2);
    expect(h.fired[1]?.snoozed).toBe(true);
    h.clock.advance(60 * 60_000);
    expect(h.fired).toHaveLength(2);
  });

  it('only on its weekdays (judged in the Exist timezone: Tuesday there, Monday in UTC)', () => {
    const tuesdayOnly = harness(rule({ weekdays: [2] }));
    tuesdayOnly.clock.advance(61_000);
    expect(tuesdayOnly.fired).toHaveLength(1);
    const mondayOnly = harness(rule({ weekdays: [1] }));
    mondayOnly.clock.advance(61_000);
    expect(mondayOnly.fired).toHaveLength(0);
  });

  it('fires again the next day', () => {
    const h = harness(rule());
    h.clock.advance(24 * 60 * 60_000 + 61_000);
    expect(h.fired.map((f) => f.date)).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('starting the app after today’s time is no reason to nag', () => {
    const h = harness(rule({ times: [21 * 60] }), AT_2100 + 2 * 60_000);
    h.clock.advance(60_000);
    expect(h.fired).toEqual([]);
  });
});

describe('rules', () => {
  it('conditions', () => {
    expect(conditionHolds(rule(), null)).toBe(true);
    expect(conditionHolds(rule(), 0)).toBe(false); // a 0 was logged
    expect(conditionHolds(rule({ condition: 'always' }), 5)).toBe(true);
    expect(conditionHolds(rule({ condition: 'below', below: 3 }), 2)).toBe(true);
    expect(conditionHolds(rule({ condition: 'below', below: 3 }), 3)).toBe(false);
  });
  it('next check: the next time, never more than an hour away', () => {
    expect(nextCheckAt([{ attribute: 'x', rule: rule() }], emptyReminderState(), AT_2100 + 5_000, TZ)).toBe(
      AT_2100 + 60_000,
    );
    expect(nextCheckAt([], emptyReminderState(), AT_2100, TZ)).toBe(AT_2100 + 3_600_000);
  });
  it('validation', () => {
    expect(validateRule(rule())).toBeNull();
    expect(validateRule(rule({ times: [] }))).toMatch(/time/);
    expect(validateRule(rule({ times: [1440] }))).toMatch(/23:59/);
    expect(validateRule(rule({ weekdays: [] }))).toMatch(/day/);
    expect(validateRule(rule({ condition: 'below' }))).toMatch(/below/);
  });
  it('the notice offers the usual step, snooze and open', () => {
    const n = reminderNotice({ label: 'Pages read', valueType: 0, steps: [1, 10] }, rule(), {
      attribute: 'pages_read',
      date: '2026-12-01',
      minute: 1261,
      snoozed: false,
      value: null,
    });
    expect(n).toEqual({
      title: 'Reminder: Pages read',
      body: 'Nothing logged today yet (21:01).',
      actions: [
        { id: 'log', label: '+1 Pages read' },
        { id: 'snooze', label: 'Snooze 15 min' },
        { id: 'open', label: 'Open' },
      ],
      step: 1,
    });
    const mood = reminderNotice({ label: 'Mood', valueType: 8, steps: [] }, rule(), {
      attribute: 'mood',
      date: '2026-12-01',
      minute: 1261,
      snoozed: false,
      value: null,
    });
    expect(mood.actions.map((a) => a.id)).toEqual(['snooze', 'open']);
  });
});

describe('usual step', () => {
  it('+1 for counts and decimals, the first quick step for durations, none for scales', async () => {
    const { usualStep } = await import('../../../src/core/reminders');
    expect(usualStep(0, [5, 10])).toBe(1);
    expect(usualStep(1, [0.5])).toBe(1);
    expect(usualStep(3, [5, 15])).toBe(5);
    expect(usualStep(8, [])).toBeNull();
  });
});
