import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_UNITS, displayUnitFor, displayUnitForKey, unitFromDescription } from '../../../src/core/values';
import type { MetricUnitKey } from '../../../src/core/values';
import { IMPERIAL } from './helpers';

const METRIC = {
  imperial_distance: false,
  imperial_weight: false,
  imperial_energy: false,
  imperial_liquid: false,
  imperial_temperature: false,
};

describe('displayUnitFor', () => {
  it.each([
    ['steps_distance', 1, 'km', 'mi'],
    ['weather_wind_speed', 1, 'km/h', 'mph'],
    ['weight', 1, 'kg', 'lb'],
    ['energy', 1, 'kJ', 'kcal'],
    ['water', 0, 'ml', 'fl oz'],
    ['weather_temp_max', 1, '°C', '°F'],
    ['protein', 1, 'g', 'g'],
    ['caffeine', 1, 'mg', 'mg'],
    ['weather_precipitation', 1, 'in/h', 'in/h'],
  ])('%s: metric %s, imperial %s', (template, type, metric, imperial) => {
    const attr = { name: template, template, value_type: type };
    expect(displayUnitFor(attr, METRIC)?.label).toBe(metric);
    expect(displayUnitFor(attr, null)?.label).toBe(metric);
    const u = displayUnitFor(attr, IMPERIAL);
    expect(u?.label).toBe(imperial);
    expect(u?.metricLabel).toBe(metric);
  });

  it('follows each flag independently', () => {
    const onlyDistance = { ...METRIC, imperial_distance: true };
    expect(
      displayUnitFor({ name: 'steps_distance', template: 'steps_distance', value_type: 1 }, onlyDistance)?.label,
    ).toBe('mi');
    expect(displayUnitFor({ name: 'weight', template: 'weight', value_type: 1 }, onlyDistance)?.label).toBe('kg');
    expect(displayUnitFor({ name: 'energy', template: 'energy', value_type: 1 }, onlyDistance)?.label).toBe('kJ');
  });

  it('prefers the attribute description over the template table', () => {
    expect(
      displayUnitFor({ name: 'x', template: null, value_type: 1, value_type_description: 'Float (kg)' }, IMPERIAL)
        ?.label,
    ).toBe('lb');
  });

  it('has no unit for counts, custom floats, money, other value types and odd template names', () => {
    expect(
      displayUnitFor({ name: 'steps', template: 'steps', value_type: 0, value_type_description: 'Integer' }, IMPERIAL),
    ).toBeUndefined();
    expect(
      displayUnitFor({ name: 'my_float', template: null, value_type: 1, value_type_description: 'Float' }, IMPERIAL),
    ).toBeUndefined();
    expect(displayUnitFor({ name: 'money_spent', template: 'money_spent', value_type: 1 }, IMPERIAL)).toBeUndefined();
    expect(displayUnitFor({ name: 'sleep', template: 'sleep', value_type: 3 }, IMPERIAL)).toBeUndefined();
    expect(displayUnitFor({ name: 'x', template: 'toString', value_type: 1 }, IMPERIAL)).toBeUndefined();
    expect(displayUnitFor({ name: 'x', template: '__proto__', value_type: 1 }, IMPERIAL)).toBeUndefined();
  });
});

describe('conversions', () => {
  const imperial = (k: MetricUnitKey) => displayUnitForKey(k, IMPERIAL);
  it.each([
    ['km', 1, 1.609344],
    ['km/h', 10, 16.09344],
    ['kg', 1, 0.45359237],
    ['kJ', 1, 4.184],
    ['ml', 1, 29.5735295625],
    ['degC', 32, 0],
    ['degC', 212, 100],
    ['degC', -40, -40],
    ['degC', 0, -17.7777778],
    ['g', 5, 5],
    ['mg', 5, 5],
    ['in/h', 0.2, 0.2],
  ] as const)('%s: %d displayed = %d metric', (key, shown, metric) => {
    const u = imperial(key);
    expect(u.toMetric(shown)).toBeCloseTo(metric, 6);
    expect(u.fromMetric(metric)).toBeCloseTo(shown, 6);
  });

  it('round-trips every unit both ways', () => {
    const keys: MetricUnitKey[] = ['km', 'km/h', 'kg', 'g', 'mg', 'kJ', 'ml', 'degC', 'in/h'];
    for (const k of keys) {
      for (const prefs of [IMPERIAL, METRIC]) {
        const u = displayUnitForKey(k, prefs);
        for (const x of [-12.5, 0, 1, 37.2, 1000]) expect(u.fromMetric(u.toMetric(x))).toBeCloseTo(x, 9);
      }
    }
  });

  it('treats temperature as affine, not a factor', () => {
    const f = imperial('degC');
    expect(f.toMetric(0)).not.toBe(0);
    expect(f.allowNegative).toBe(true);
    expect(imperial('km').allowNegative).toBe(false);
  });
});

describe('unitFromDescription', () => {
  it.each([
    ['Float (km)', 'km'],
    ['Float (km/hr)', 'km/h'],
    ['Float (kJ)', 'kJ'],
    ['Integer (ml)', 'ml'],
    ['Float (degrees Celsius)', 'degC'],
    ['Float (inches of water per hour)', 'in/h'],
    ["Float (user's local currency unit)", undefined],
    ['Integer', undefined],
    [undefined, undefined],
  ])('%j → %j', (desc, key) => {
    expect(unitFromDescription(desc)).toBe(key);
  });
});

const TEMPLATES_FILE = '/work/shared/exist-templates.json';
describe('the embedded template table', () => {
  it.skipIf(!existsSync(TEMPLATES_FILE))('matches the units in exist-templates.json', () => {
    const { templates } = JSON.parse(readFileSync(TEMPLATES_FILE, 'utf8')) as {
      templates: { name: string; value_type_description: string }[];
    };
    const fromFile: Record<string, string> = {};
    for (const t of templates) {
      const key = unitFromDescription(t.value_type_description);
      if (key !== undefined) fromFile[t.name] = key;
    }
    expect({ ...TEMPLATE_UNITS }).toEqual(fromFile);
    // Every "(…)" in a numeric template is either a known unit or deliberately unitless.
    const unknown = templates
      .filter(
        (t) =>
          /^(Float|Integer) \(/.test(t.value_type_description) &&
          unitFromDescription(t.value_type_description) === undefined,
      )
      .map((t) => t.name)
      .sort();
    expect(unknown).toEqual(['body_fat', 'menstrual_flow', 'money_spent', 'weather_cloud_cover']);
  });
});
