import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  isIsoDate,
  isValidTimeZone,
  minutesOfDayIn,
  parseDateChoice,
  todayIn,
} from '../../../src/core/values';

const at = (iso: string): number => Date.parse(iso);

describe('todayIn', () => {
  it.each([
    // UTC+14: the user is a day ahead of UTC.
    ['Pacific/Kiritimati', '2026-01-01T09:59:00Z', '2026-01-01'],
    ['Pacific/Kiritimati', '2026-01-01T10:00:00Z', '2026-01-02'],
    // UTC−11: the user is still on the previous day.
    ['Pacific/Pago_Pago', '2026-01-01T10:59:00Z', '2025-12-31'],
    ['Pacific/Pago_Pago', '2026-01-01T11:00:00Z', '2026-01-01'],
    // Europe/London: GMT in winter, BST (UTC+1) from 2026-03-29 01:00Z to 2026-10-25 01:00Z.
    ['Europe/London', '2026-03-28T23:59:00Z', '2026-03-28'],
    ['Europe/London', '2026-03-29T00:00:00Z', '2026-03-29'],
    ['Europe/London', '2026-06-30T22:59:00Z', '2026-06-30'],
    ['Europe/London', '2026-06-30T23:00:00Z', '2026-07-01'],
    ['Europe/London', '2026-10-24T22:59:00Z', '2026-10-24'],
    ['Europe/London', '2026-10-24T23:00:00Z', '2026-10-25'],
    ['Europe/London', '2026-10-25T23:00:00Z', '2026-10-25'],
    ['Europe/London', '2026-10-26T00:00:00Z', '2026-10-26'],
    // America/New_York: EST (−5) until 2026-03-08 07:00Z, EDT (−4) until 2026-11-01 06:00Z.
    ['America/New_York', '2026-03-08T04:59:00Z', '2026-03-07'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T03:59:00Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T04:00:00Z', '2026-03-09'],
    ['America/New_York', '2026-11-02T04:30:00Z', '2026-11-01'],
    ['America/New_York', '2026-11-02T05:00:00Z', '2026-11-02'],
    ['UTC', '2026-12-31T23:59:59Z', '2026-12-31'],
  ])('%s at %s is %s', (tz, instant, expected) => {
    expect(todayIn(tz, at(instant))).toBe(expected);
  });

  it('gives dates two days apart for the same instant at UTC+14 and UTC−11', () => {
    const now = at('2026-01-01T10:30:00Z');
    const ahead = todayIn('Pacific/Kiritimati', now);
    const behind = todayIn('Pacific/Pago_Pago', now);
    expect([behind, todayIn('UTC', now), ahead]).toEqual(['2025-12-31', '2026-01-01', '2026-01-02']);
    expect(daysBetween(behind, ahead)).toBe(2);
  });

  it('throws a RangeError for an unknown timezone', () => {
    expect(() => todayIn('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });
});

describe('minutesOfDayIn', () => {
  it.each([
    ['America/New_York', '2026-03-08T06:59:00Z', 1 * 60 + 59], // 01:59 EST
    ['America/New_York', '2026-03-08T07:00:00Z', 3 * 60], // clocks jump to 03:00 EDT
    ['Europe/London', '2026-10-25T00:30:00Z', 1 * 60 + 30], // 01:30 BST
    ['Europe/London', '2026-10-25T01:30:00Z', 1 * 60 + 30], // 01:30 GMT, the repeated hour
    ['Pacific/Kiritimati', '2026-01-01T10:00:00Z', 0],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z', 5 * 60 + 30],
  ])('%s at %s is minute %i', (tz, instant, expected) => {
    expect(minutesOfDayIn(tz, at(instant))).toBe(expected);
  });
});

describe('addDays and daysBetween', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-08', 1, '2026-03-09'], // a DST day is still one calendar day
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1900-02-28', 1, '1900-03-01'],
    ['0050-06-01', 1, '0050-06-02'],
  ] as const)('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(n);
    expect(daysBetween(expected, date)).toBe(-n + 0);
  });
  it('rejects bad input loudly', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => daysBetween('yesterday', '2026-01-01')).toThrow(RangeError);
  });
});

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])('accepts %s', (s) => {
    expect(isIsoDate(s)).toBe(true);
  });
  it.each([
    '2026-02-30',
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '26-01-01',
    '2026-01-01T00:00',
    ' 2026-01-01',
    '0000-01-01',
    '',
  ])('rejects %j', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });
  it('rejects non-strings', () => {
    expect(isIsoDate(20260101)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/London', true],
    ['America/New_York', true],
    ['Pacific/Kiritimati', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['   ', false],
  ])('%j → %s', (tz, expected) => {
    expect(isValidTimeZone(tz)).toBe(expected);
  });
});

describe('parseDateChoice', () => {
  const now = at('2026-01-01T10:30:00Z'); // Kiritimati: Jan 2; UTC: Jan 1; Pago Pago: Dec 31

  it("resolves today and yesterday in the Exist timezone, not the machine's", () => {
    expect(parseDateChoice('today', 'Pacific/Kiritimati', now)).toEqual({ ok: true, value: '2026-01-02' });
    expect(parseDateChoice('yesterday', 'Pacific/Kiritimati', now)).toEqual({ ok: true, value: '2026-01-01' });
    expect(parseDateChoice('today', 'Pacific/Pago_Pago', now)).toEqual({ ok: true, value: '2025-12-31' });
    expect(parseDateChoice(' Yesterday ', 'Pacific/Pago_Pago', now)).toEqual({ ok: true, value: '2025-12-30' });
  });

  it('allows backdating and today', () => {
    expect(parseDateChoice('2020-05-17', 'UTC', now)).toEqual({ ok: true, value: '2020-05-17' });
    expect(parseDateChoice('2026-01-02', 'Pacific/Kiritimati', now)).toEqual({ ok: true, value: '2026-01-02' });
  });

  it('rejects a date that is in the future for the user', () => {
    const r = parseDateChoice('2026-01-01', 'Pacific/Pago_Pago', now);
    expect(r).toEqual({
      ok: false,
      message:
        'That date is in the future for you (your Exist timezone is Pacific/Pago_Pago, where today is 2025-12-31)',
    });
    expect(parseDateChoice('2026-01-02', 'UTC', now).ok).toBe(false);
    expect(parseDateChoice('2099-01-01', 'Europe/London', now).ok).toBe(false);
  });

  it.each([
    ['2026-02-30', "2026-02-30 isn't a real date"],
    ['2025-02-29', "2025-02-29 isn't a real date"],
    ['2026-13-01', "2026-13-01 isn't a real date"],
    ['tomorrow', 'Enter a date as YYYY-MM-DD'],
    ['1/2/2026', 'Enter a date as YYYY-MM-DD'],
    ['', 'Enter a date as YYYY-MM-DD'],
  ])('rejects %j', (input, message) => {
    const r = parseDateChoice(input, 'UTC', now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it('explains an unknown timezone instead of throwing', () => {
    const r = parseDateChoice('today', 'Nowhere/Land', now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('Nowhere/Land');
  });
});
