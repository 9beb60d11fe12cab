import { describe, expect, it } from 'vitest';
import { VALUE_TYPES } from '../../../src/shared/domain';
import type { ValueTypeCode } from '../../../src/shared/domain';
import { displayUnitFor, parseDelta, parseValue } from '../../../src/core/values';
import type { ParseResult } from '../../../src/core/values';
import { IMPERIAL } from './helpers';

function accepted(r: ParseResult): number | string {
  if (!r.ok) throw new Error(`expected ok, got message: ${r.message}`);
  return r.value;
}
function rejected(r: ParseResult): string {
  if (r.ok) throw new Error(`expected rejection, got value ${JSON.stringify(r.value)}`);
  expect(r.message.length).toBeGreaterThan(0);
  return r.message;
}

type Row = [input: string, expected: number | string];
type BadRow = [input: string, messagePart: string | RegExp];

function table(type: ValueTypeCode, good: Row[], bad: BadRow[], ctx?: Parameters<typeof parseValue>[2]): void {
  it.each(good)('accepts %j → %j', (input, expected) => {
    expect(accepted(parseValue(type, input, ctx))).toBe(expected);
  });
  it.each(bad)('rejects %j', (input, part) => {
    const message = rejected(parseValue(type, input, ctx));
    if (typeof part === 'string') expect(message).toContain(part);
    else expect(message).toMatch(part);
  });
}

describe('integer (0)', () => {
  table(
    VALUE_TYPES.integer,
    [
      ['12', 12],
      ['  12  ', 12],
      ['0', 0],
      ['+7', 7],
      ['1,200', 1200],
      ['12,345,678', 12345678],
      ['1 200', 1200],
      ['1\u00a0200', 1200],
      ['1.234.567', 1234567],
      ['12.0', 12],
      ['2147483647', 2147483647],
    ],
    [
      ['', 'Enter a whole number, like 12'],
      ['abc', 'Enter a whole number, like 12'],
      ['12.5', 'has a fraction'],
      ['1,5', 'has a fraction'],
      ['-3', "can't be negative"],
      ['1,20', 'has a fraction'],
      ['1,2,3', 'Enter a whole number'],
      ['12 5', 'Enter a whole number'],
      ['1e3', 'Enter a whole number'],
      ['0x10', 'Enter a whole number'],
      ['Infinity', 'Enter a whole number'],
      ['2147483648', 'too big'],
      ['12 pages', 'Enter a whole number'],
    ],
  );
  it('accepts negative totals only when the context allows them', () => {
    expect(accepted(parseValue(0, '-3', { allowNegative: true }))).toBe(-3);
    expect(accepted(parseValue(0, '\u22123', { allowNegative: true }))).toBe(-3);
  });
});

describe('decimal (1)', () => {
  table(
    VALUE_TYPES.decimal,
    [
      ['2.5', 2.5],
      ['2,5', 2.5],
      ['.5', 0.5],
      ['0,125', 0.125],
      ['1,234.5', 1234.5],
      ['1.234,5', 1234.5],
      ['1200', 1200],
      ['0', 0],
      ['0.1', 0.1],
    ],
    [
      ['', 'Enter a number, like 2.5'],
      ['abc', 'Enter a number'],
      ['1,200', 'means 1.2 or 1200'],
      ['-2', "can't be negative"],
      ['2.5.1', 'Enter a number'],
      ['1,2.3,4', 'Enter a number'],
      ['NaN', 'Enter a number'],
      ['5 mi', 'Enter a number'],
      ['2000000000', 'too big'],
    ],
  );

  const mi = displayUnitFor({ name: 'steps_distance', template: 'steps_distance', value_type: 1 }, IMPERIAL);
  const km = displayUnitFor({ name: 'steps_distance', template: 'steps_distance', value_type: 1 }, null);
  it('converts miles to km for imperial users, and accepts km typed explicitly', () => {
    expect(accepted(parseValue(1, '5', { unit: mi }))).toBeCloseTo(8.04672, 6);
    expect(accepted(parseValue(1, '5 mi', { unit: mi }))).toBeCloseTo(8.04672, 6);
    expect(accepted(parseValue(1, '5 miles', { unit: mi }))).toBeCloseTo(8.04672, 6);
    expect(accepted(parseValue(1, '5 km', { unit: mi }))).toBe(5);
    expect(accepted(parseValue(1, '5km', { unit: km }))).toBe(5);
    expect(rejected(parseValue(1, 'mi', { unit: mi }))).toContain('mi');
    expect(rejected(parseValue(1, '-1 mi', { unit: mi }))).toContain("can't be negative");
  });
  it('accepts temperatures below zero and converts °F affinely', () => {
    const f = displayUnitFor({ name: 'weather_temp_min', template: 'weather_temp_min', value_type: 1 }, IMPERIAL);
    expect(accepted(parseValue(1, '-4', { unit: f }))).toBeCloseTo(-20, 6);
    expect(accepted(parseValue(1, '32 °F', { unit: f }))).toBeCloseTo(0, 6);
    expect(accepted(parseValue(1, '212F', { unit: f }))).toBeCloseTo(100, 6);
    expect(accepted(parseValue(1, '21.5 °C', { unit: f }))).toBe(21.5);
  });
  it('converts lb, kcal for imperial users', () => {
    const lb = displayUnitFor({ name: 'weight', template: 'weight', value_type: 1 }, IMPERIAL);
    const kcal = displayUnitFor({ name: 'energy', template: 'energy', value_type: 1 }, IMPERIAL);
    expect(accepted(parseValue(1, '150 lb', { unit: lb }))).toBeCloseTo(68.0388555, 5);
    expect(accepted(parseValue(1, '2000', { unit: kcal }))).toBeCloseTo(8368, 6);
  });
});

describe('integer with a liquid unit (water, ml)', () => {
  const floz = displayUnitFor({ name: 'water', template: 'water', value_type: 0 }, IMPERIAL);
  const ml = displayUnitFor({ name: 'water', template: 'water', value_type: 0 }, null);
  it('converts fl oz to whole ml, allowing fractional ounces', () => {
    expect(accepted(parseValue(0, '8', { unit: floz }))).toBe(237);
    expect(accepted(parseValue(0, '8.5 fl oz', { unit: floz }))).toBe(251);
    expect(accepted(parseValue(0, '250 ml', { unit: floz }))).toBe(250);
  });
  it('keeps ml whole for metric users', () => {
    expect(accepted(parseValue(0, '2,000 ml', { unit: ml }))).toBe(2000);
    expect(rejected(parseValue(0, '250.5', { unit: ml }))).toContain('whole number');
  });
});

describe('string (2)', () => {
  it('trims and keeps inner text, newlines and emoji', () => {
    expect(accepted(parseValue(2, '  a good day  '))).toBe('a good day');
    expect(accepted(parseValue(2, 'line 1\r\nline 2'))).toBe('line 1\nline 2');
    expect(accepted(parseValue(2, '🎉 done'))).toBe('🎉 done');
  });
  it('rejects a 1001-character mood_note and accepts 1000', () => {
    expect(accepted(parseValue(2, 'x'.repeat(1000), { attributeName: 'mood_note' }))).toHaveLength(1000);
    expect(rejected(parseValue(2, 'x'.repeat(1001), { attributeName: 'mood_note' }))).toBe(
      'A note can be at most 1000 characters (this one is 1001)',
    );
  });
  it('counts emoji as one character each', () => {
    expect(accepted(parseValue(2, '😀'.repeat(1000), { attributeName: 'mood_note' }))).toBe('😀'.repeat(1000));
    expect(rejected(parseValue(2, '😀'.repeat(1001), { attributeName: 'mood_note' }))).toContain('this one is 1001');
  });
  it('applies the default cap to other strings', () => {
    expect(rejected(parseValue(2, 'y'.repeat(1001)))).toBe('Text can be at most 1000 characters (this one is 1001)');
  });
  it.each([
    ['', 'Enter some text'],
    ['   ', 'Enter some text'],
    ['a\u0000b', 'control characters'],
    ['a\ud800b', 'broken character'],
  ])('rejects %j', (input, part) => {
    expect(rejected(parseValue(2, input))).toContain(part);
  });
  it('checks the location format', () => {
    expect(accepted(parseValue(2, '51.5072, -0.1276', { attributeName: 'location' }))).toBe('51.5072,-0.1276');
    expect(rejected(parseValue(2, 'London', { attributeName: 'location' }))).toContain('latitude,longitude');
    expect(rejected(parseValue(2, '95,10', { attributeName: 'location' }))).toContain('latitude,longitude');
  });
});

describe('duration (3)', () => {
  table(
    VALUE_TYPES.duration,
    [
      ['80', 80],
      ['1h 20m', 80],
      ['1h20m', 80],
      ['1H20M', 80],
      ['1h20', 80],
      ['1:20', 80],
      ['0:45', 45],
      ['1h', 60],
      ['20m', 20],
      ['1.5h', 90],
      ['1,5h', 90],
      ['1.25 hours', 75],
      ['90 min', 90],
      ['90 minutes', 90],
      ['1 hour and 20 minutes', 80],
      ['2 hrs, 5 mins', 125],
      ['0', 0],
      ['24h', 1440],
    ],
    [
      ['abc', "Couldn't read “abc” as a duration — try 80, 1h 20m or 1:20"],
      ['', 'Enter a duration'],
      ['-20', "can't be negative"],
      ['-1h', "can't be negative"],
      ['2.5', 'whole minutes'],
      ['1.5 min', 'whole minutes'],
      ['1:75', 'as a duration'],
      ['h', 'as a duration'],
      ['1h 20x', 'as a duration'],
      ['25h', 'more than a day'],
      ['1441', 'more than a day'],
      ['--5', 'as a duration'],
    ],
  );
});

describe('time of day (4)', () => {
  table(
    VALUE_TYPES.time,
    [
      ['07:30', 450],
      ['7:30', 450],
      ['7:30am', 450],
      ['7:30 am', 450],
      ['7:30 pm', 1170],
      ['7:30PM', 1170],
      ['7.30 p.m.', 1170],
      ['19:05', 1145],
      ['0730', 450],
      ['730', 450],
      ['730pm', 1170],
      ['7am', 420],
      ['7', 420],
      ['00:00', 0],
      ['23:59', 1439],
      ['12am', 0],
      ['12:30am', 30],
      ['12pm', 720],
      ['12:30 pm', 750],
      ['noon', 720],
      ['midnight', 0],
      ['7h30', 450],
    ],
    [
      ['24:00', 'Times go from 00:00 to 23:59'],
      ['12:60', 'Times go from 00:00 to 23:59'],
      ['13pm', 'hour goes from 1 to 12'],
      ['0am', 'hour goes from 1 to 12'],
      ['abc', 'as a time'],
      ['', 'Enter a time'],
      ['7:3', 'as a time'],
      ['-7:30', 'as a time'],
      ['now', 'Type the time'],
    ],
  );
  it('reads "now" in the user\'s Exist timezone', () => {
    const nowMs = Date.UTC(2026, 0, 15, 22, 10); // 22:10 UTC = 11:10 next day in Auckland (UTC+13)
    expect(accepted(parseValue(4, 'now', { now: { nowMs, timeZone: 'Pacific/Auckland' } }))).toBe(11 * 60 + 10);
    expect(accepted(parseValue(4, 'now', { now: { nowMs, timeZone: 'UTC' } }))).toBe(22 * 60 + 10);
  });
});

describe('percentage (5)', () => {
  table(
    VALUE_TYPES.percentage,
    [
      ['45', 0.45],
      ['45%', 0.45],
      ['45.5 %', 0.455],
      ['45,5%', 0.455],
      ['0', 0],
      ['100', 1],
      ['0.5', 0.005],
    ],
    [
      ['101', 'from 0 to 100'],
      ['-1', 'from 0 to 100'],
      ['abc', 'Enter a percentage'],
      ['%', 'Enter a percentage'],
      ['', 'Enter a percentage'],
    ],
  );
});

describe('time from midday (6)', () => {
  table(
    VALUE_TYPES.timeFromMidday,
    [
      ['12:00', 0],
      ['12pm', 0],
      ['23:30', 690],
      ['11:30pm', 690],
      ['00:00', 720],
      ['01:00', 780],
      ['11:00', 1380],
      ['11:59', 1439],
      ['13:00', 60],
    ],
    [
      ['25:00', 'Times go from'],
      ['bedtime', 'as a time'],
    ],
  );
});

describe('boolean (7)', () => {
  table(
    VALUE_TYPES.boolean,
    [
      ['yes', 1],
      ['Yes', 1],
      ['Y', 1],
      ['true', 1],
      ['1', 1],
      ['on', 1],
      ['no', 0],
      ['N', 0],
      ['false', 0],
      ['0', 0],
      ['OFF', 0],
    ],
    [
      ['maybe', 'Enter yes or no'],
      ['2', 'Enter yes or no'],
      ['', 'Enter yes or no'],
    ],
  );
});

describe('scale (8)', () => {
  table(
    VALUE_TYPES.scale,
    [
      ['1', 1],
      ['7', 7],
      ['9', 9],
      [' 5 ', 5],
      ['7 / 9', 7],
      ['7/9', 7],
      ['7 of 9', 7],
    ],
    [
      ['12', 'Scale values go from 1 to 9'],
      ['0', 'Scale values go from 1 to 9'],
      ['10', 'Scale values go from 1 to 9'],
      ['-3', 'Scale values go from 1 to 9'],
      ['5.5', 'whole numbers from 1 to 9'],
      ['abc', 'Enter a whole number from 1 to 9'],
      ['', 'Enter a whole number from 1 to 9'],
    ],
  );
});

describe('parseDelta', () => {
  it.each([
    [0, '1', 1],
    [0, '+10', 10],
    [0, '-1', -1],
    [0, '1,000', 1000],
    [1, '0.5', 0.5],
    [1, '-0,5', -0.5],
    [3, '15', 15],
    [3, '+15m', 15],
    [3, '-15m', -15],
    [3, '-1h', -60],
    [3, '1:30', 90],
  ] as const)('type %i accepts %j → %j', (type, input, expected) => {
    expect(accepted(parseDelta(type, input))).toBe(expected);
  });
  it.each([
    [0, '0', "wouldn't change anything"],
    [0, '-0', "wouldn't change anything"],
    [0, '1.5', 'whole number'],
    [0, 'abc', 'Enter a whole number'],
    [1, '0.0', "wouldn't change anything"],
    [3, '0m', "wouldn't change anything"],
    [3, 'abc', 'as a duration'],
    [3, '25h', 'more than a day'],
  ] as const)('type %i rejects %j', (type, input, part) => {
    expect(rejected(parseDelta(type, input))).toContain(part);
  });
  it.each([
    [2, 'Text'],
    [4, 'Time of day'],
    [5, 'Percentage'],
    [6, 'Time of day'],
    [7, 'Yes/no'],
    [8, 'Scale'],
  ] as const)('refuses to increment type %i', (type, label) => {
    expect(rejected(parseDelta(type, '1'))).toBe(`${label} values can't be incremented; set a total instead`);
  });
  it('converts imperial deltas and refuses ones that round to nothing', () => {
    const floz = displayUnitFor({ name: 'water', template: 'water', value_type: 0 }, IMPERIAL);
    expect(accepted(parseDelta(0, '-8', { unit: floz }))).toBe(-237);
    expect(rejected(parseDelta(0, '0.01', { unit: floz }))).toContain('too small');
  });
});

describe('robustness', () => {
  it('answers an unknown value type with a message instead of throwing', () => {
    expect(rejected(parseValue(42 as ValueTypeCode, '1'))).toContain('Unknown value type');
    expect(rejected(parseDelta(-1 as ValueTypeCode, '1'))).toContain('Unknown value type');
  });
  it('answers a non-string input with a message', () => {
    expect(rejected(parseValue(0, 12 as unknown as string))).toBe('Enter a value');
  });
});
