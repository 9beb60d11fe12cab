import { describe, expect, it } from 'vitest';
import { describeScopes } from '../../src/sandbox/consent-page';
import { labelFromName, parseTemplates } from '../../src/sandbox/templates';
import { addDays, checkValue, dateInZone, isIsoDate, localTimeInZone, slugify } from '../../src/sandbox/values';

describe('slugify', () => {
  it.each([
    ['Time reading', 'time_reading'],
    ['  Pages  read ', 'pages_read'],
    ['Café visits!', 'cafe_visits'],
    ['Tired 😴', 'tired'],
    ['2nd coffee', '2nd_coffee'],
    ['😴', ''],
  ])('%s → %s', (label, name) => expect(slugify(label)).toBe(name));
});

describe('checkValue', () => {
  it('accepts values of the type', () => {
    expect(checkValue(0, -3, 'x')).toBeNull();
    expect(checkValue(1, 2, 'x')).toBeNull();
    expect(checkValue(2, '', 'x')).toBeNull();
    expect(checkValue(3, 90, 'x')).toBeNull();
    expect(checkValue(4, 0, 'x')).toBeNull();
    expect(checkValue(5, 1, 'x')).toBeNull();
    expect(checkValue(7, 0, 'x')).toBeNull();
    expect(checkValue(8, 9, 'x')).toBeNull();
  });
  it('rejects others with Exist-style messages', () => {
    expect(checkValue(0, 1.5, 'x')).toBe('Cannot apply a float to an integer type');
    expect(checkValue(3, 1.5, 'x')).toBe('Cannot apply a float to an integer type');
    expect(checkValue(1, Number.NaN, 'x')).toMatch(/float type/);
    expect(checkValue(8, 1.5, 'x')).toMatch(/float/);
    expect(checkValue(2, 'é'.repeat(1001), 'mood_note')).toMatch(/1000/);
    expect(checkValue(2, 'é'.repeat(1001), 'weather_summary')).toBeNull();
    expect(checkValue(5, -0.1, 'x')).toMatch(/0\.0 and 1\.0/);
  });
});

describe('dates', () => {
  it("dateInZone gives the user's date, not UTC's", () => {
    const t = Date.parse('2024-03-10T10:30:00Z');
    expect(dateInZone(t, 'UTC')).toBe('2024-03-10');
    expect(dateInZone(t, 'Pacific/Kiritimati')).toBe('2024-03-11');
    expect(dateInZone(t, 'Pacific/Pago_Pago')).toBe('2024-03-09');
    expect(localTimeInZone(t, 'Pacific/Kiritimati')).toBe('2024-03-11T00:30:00+14:00');
    expect(localTimeInZone(t, 'UTC')).toBe('2024-03-10T10:30:00+00:00');
  });
  it('isIsoDate and addDays', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-3-1')).toBe(false);
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('templates', () => {
  it('derives labels and rejects malformed files', () => {
    expect(labelFromName('steps_active_min')).toBe('Steps active minutes');
    expect(labelFromName('heartrate_resting')).toBe('Heart rate resting');
    expect(
      parseTemplates(
        { templates: [{ name: 'x', group: 'media', value_type: 0, value_type_description: 'Integer' }] },
        't',
      )[0]?.label,
    ).toBe('X');
    expect(() =>
      parseTemplates(
        { templates: [{ name: 'x', group: 'nope', value_type: 0, value_type_description: '' }] },
        'bad.json',
      ),
    ).toThrow(/bad\.json/);
  });
  it('describes scopes in words, profile first', () => {
    expect(describeScopes(['media_write', 'sleep_read', 'manual_read']).map((l) => `${l.title}: ${l.detail}`)).toEqual([
      'Read your profile details: (not including email address)',
      'Write Media group: Create new attributes and write data to attributes in the group',
      'Read Sleep group: Read data, averages, correlations and insights for attributes in the group',
      'Read manual attributes: Read data for any attribute you track manually',
    ]);
  });
});
