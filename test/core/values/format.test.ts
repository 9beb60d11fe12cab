import { describe, expect, it } from 'vitest';
import type { ValueTypeCode } from '../../../src/shared/domain';
import {
  displayUnitFor,
  formatDelta,
  formatValue,
  parseValue,
  validateStoredDelta,
  validateStoredValue,
} from '../../../src/core/values';
import type { DisplayUnit } from '../../../src/core/values';
import { IMPERIAL } from './helpers';

const unitOf = (template: string, value_type: number, imperial: boolean): DisplayUnit | undefined =>
  displayUnitFor({ name: template, template, value_type }, imperial ? IMPERIAL : null);

describe('formatValue', () => {
  it.each([
    [0, 12, '12'],
    [0, 1200, '1,200'],
    [0, 1234567, '1,234,567'],
    [1, 2.5, '2.5'],
    [1, 2.456, '2.46'],
    [2, 'a note', 'a note'],
    [3, 80, '1h 20m'],
    [3, 45, '45m'],
    [3, 120, '2h'],
    [3, 0, '0m'],
    [4, 450, '07:30'],
    [4, 1145, '19:05'],
    [4, 0, '00:00'],
    [5, 0.45, '45%'],
    [5, 0.455, '45.5%'],
    [5, 1, '100%'],
    [6, 690, '23:30'],
    [6, 0, '12:00'],
    [6, 780, '01:00'],
    [6, -60, '11:00'],
    [7, 1, 'Yes'],
    [7, 0, 'No'],
    [8, 7, '7 / 9'],
  ] as const)('type %i shows %j as %j', (type, value, expected) => {
    expect(formatValue(type, value)).toBe(expected);
  });

  it('shows a dash for days without data', () => {
    for (let t = 0; t <= 8; t++) expect(formatValue(t as ValueTypeCode, null)).toBe('—');
  });

  it('shows unexpected values as they are instead of throwing', () => {
    expect(formatValue(0, 'oops')).toBe('oops');
    expect(formatValue(8, Number.NaN)).toBe('NaN');
    expect(formatValue(7, 3)).toBe('3');
  });

  it("shows values in the user's units", () => {
    expect(formatValue(1, 8.04672, unitOf('steps_distance', 1, true))).toBe('5 mi');
    expect(formatValue(1, 8.04672, unitOf('steps_distance', 1, false))).toBe('8.05 km');
    expect(formatValue(1, -20, unitOf('weather_temp_min', 1, true))).toBe('-4 °F');
    expect(formatValue(1, 21.5, unitOf('weather_temp_min', 1, false))).toBe('21.5 °C');
    expect(formatValue(1, 68.0388555, unitOf('weight', 1, true))).toBe('150 lb');
    expect(formatValue(1, 8368, unitOf('energy', 1, true))).toBe('2000 kcal');
    expect(formatValue(0, 237, unitOf('water', 0, true))).toBe('8 fl oz');
    expect(formatValue(0, 2000, unitOf('water', 0, false))).toBe('2,000 ml');
  });

  it('formats deltas with a sign', () => {
    expect(formatDelta(0, 5)).toBe('+5');
    expect(formatDelta(0, -1)).toBe('-1');
    expect(formatDelta(3, 15)).toBe('+15m');
    expect(formatDelta(3, -75)).toBe('-1h 15m');
    expect(formatDelta(1, 0.804672, unitOf('steps_distance', 1, true))).toBe('+0.5 mi');
  });
});

describe('parse ∘ format round trips', () => {
  const rows: [ValueTypeCode, number | string][] = [
    [0, 0],
    [0, 7],
    [0, 1200],
    [0, 98765432],
    [1, 0],
    [1, 2.5],
    [1, 1234.75],
    [2, 'felt great 🎉'],
    [3, 0],
    [3, 5],
    [3, 60],
    [3, 80],
    [3, 1439],
    [4, 0],
    [4, 450],
    [4, 1439],
    [5, 0],
    [5, 0.45],
    [5, 0.455],
    [5, 1],
    [6, 0],
    [6, 690],
    [6, 1439],
    [7, 0],
    [7, 1],
    [8, 1],
    [8, 9],
  ];
  it.each(rows)('type %i value %j survives format then parse', (type, value) => {
    const shown = formatValue(type, value);
    const back = parseValue(type, shown);
    expect(back).toEqual({ ok: true, value });
  });

  it.each([
    ['steps_distance', 1, 8.04672],
    ['weight', 1, 68.0388555],
    ['weather_temp_max', 1, -20],
    ['energy', 1, 8368],
    ['water', 0, 237],
  ] as const)('%s survives a round trip through imperial display (to display precision)', (template, type, metric) => {
    const unit = unitOf(template, type, true);
    const shown = formatValue(type, metric, unit);
    const back = parseValue(type, shown, { unit });
    if (!back.ok) throw new Error(back.message);
    expect(back.value).toBeCloseTo(metric, type === 0 ? 0 : 1);
  });

  it.each([
    ['steps_distance', 1, 8.05],
    ['weather_temp_max', 1, -3.5],
    ['water', 0, 2000],
  ] as const)('%s survives a round trip through metric display exactly', (template, type, metric) => {
    const unit = unitOf(template, type, false);
    expect(parseValue(type, formatValue(type, metric, unit), { unit })).toEqual({ ok: true, value: metric });
  });
});

describe('validateStoredValue', () => {
  it.each([
    [0, 12],
    [0, -3],
    [0, 0],
    [1, 2.5],
    [1, -20.5],
    [2, 'note'],
    [3, 0],
    [3, 1440],
    [4, 0],
    [4, 1439],
    [5, 0],
    [5, 0.45],
    [5, 1],
    [6, 690],
    [6, -60],
    [7, 0],
    [7, 1],
    [8, 1],
    [8, 9],
  ] as const)('type %i accepts %j', (type, value) => {
    expect(validateStoredValue(type, value)).toEqual({ ok: true, value });
  });
  it.each([
    [0, 2.5, 'whole number'],
    [0, '12', 'whole number'],
    [0, null, 'whole number'],
    [0, 2 ** 31, 'between'],
    [1, Number.NaN, 'must be a number'],
    [1, Number.POSITIVE_INFINITY, 'must be a number'],
    [1, '2.5', 'must be a number'],
    [2, 5, 'must be text'],
    [2, '', 'Enter some text'],
    [3, -1, 'between 0 and 1440'],
    [3, 1.5, 'whole number'],
    [3, 1441, 'between 0 and 1440'],
    [4, 1440, 'between 0 and 1439'],
    [4, -1, 'between 0 and 1439'],
    [5, 45, '0.0 to 1.0'],
    [5, -0.1, '0.0 to 1.0'],
    [6, 1440, 'between -1439 and 1439'],
    [7, 2, '1 or 0'],
    [7, true, '1 or 0'],
    [8, 12, 'between 1 and 9'],
    [8, 0, 'between 1 and 9'],
    [8, 7.5, 'whole number'],
  ] as const)('type %i rejects %j', (type, value, part) => {
    const r = validateStoredValue(type, value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(part);
  });
  it('applies the mood_note cap', () => {
    expect(validateStoredValue(2, 'x'.repeat(1001), 'mood_note')).toEqual({
      ok: false,
      message: 'A note can be at most 1000 characters (this one is 1001)',
    });
    expect(validateStoredValue(2, 'x'.repeat(1000), 'mood_note').ok).toBe(true);
  });
  it('rejects unknown value types', () => {
    expect(validateStoredValue(9 as ValueTypeCode, 1).ok).toBe(false);
  });
});

describe('validateStoredDelta', () => {
  it('accepts signed changes, including a coalesced 0', () => {
    expect(validateStoredDelta(0, -3)).toEqual({ ok: true, value: -3 });
    expect(validateStoredDelta(0, 0)).toEqual({ ok: true, value: 0 });
    expect(validateStoredDelta(1, -0.5)).toEqual({ ok: true, value: -0.5 });
    expect(validateStoredDelta(3, -15)).toEqual({ ok: true, value: -15 });
  });
  it('rejects fractions for whole types and non-incrementable types', () => {
    expect(validateStoredDelta(0, 1.5).ok).toBe(false);
    expect(validateStoredDelta(3, 0.5).ok).toBe(false);
    expect(validateStoredDelta(1, Number.NaN).ok).toBe(false);
    const r = validateStoredDelta(8, 1);
    expect(r).toEqual({ ok: false, message: "Scale values can't be incremented; set a total instead" });
  });
});
