import type { Profile } from '../../shared/domain';
import { valueTypeSpecOf } from './registry';
import type { DisplayUnit } from './types';

/** The profile flags that choose display units; `null` (no profile yet) means metric. */
export type UnitPreferences = Pick<
  Profile,
  'imperial_distance' | 'imperial_weight' | 'imperial_energy' | 'imperial_liquid' | 'imperial_temperature'
>;

/** The metric units Exist stores, as named in template `value_type_description`s. */
export type MetricUnitKey = 'km' | 'km/h' | 'kg' | 'g' | 'mg' | 'kJ' | 'ml' | 'degC' | 'in/h';

/**
 * Unit of each template that has one, copied from /work/shared/exist-templates.json
 * (the renderer cannot read that file). Used when an attribute arrives without a
 * `value_type_description`.
 */
export const TEMPLATE_UNITS: Readonly<Record<string, MetricUnitKey>> = {
  steps_elevation: 'km',
  steps_distance: 'km',
  cycle_distance: 'km',
  workouts_distance: 'km',
  weather_wind_speed: 'km/h',
  weight: 'kg',
  lean_mass: 'kg',
  carbohydrates: 'g',
  fat: 'g',
  fibre: 'g',
  protein: 'g',
  sugar: 'g',
  sodium: 'mg',
  cholesterol: 'mg',
  caffeine: 'mg',
  active_energy: 'kJ',
  energy: 'kJ',
  water: 'ml',
  weather_temp_max: 'degC',
  weather_temp_min: 'degC',
  weather_precipitation: 'in/h',
};

/** Reads the unit out of a description such as "Float (km)" or "Integer (ml)"; undefined when none. */
export function unitFromDescription(description: string | undefined): MetricUnitKey | undefined {
  if (description === undefined) return undefined;
  const m = /\(([^)]*)\)/.exec(description);
  if (m === null) return undefined;
  const inside = (m[1] ?? '').trim().toLowerCase();
  switch (inside) {
    case 'km':
      return 'km';
    case 'km/hr':
    case 'km/h':
      return 'km/h';
    case 'kg':
      return 'kg';
    case 'g':
      return 'g';
    case 'mg':
      return 'mg';
    case 'kj':
      return 'kJ';
    case 'ml':
      return 'ml';
    case 'degrees celsius':
    case '°c':
      return 'degC';
    case 'inches of water per hour':
      return 'in/h';
    default:
      return undefined;
  }
}

const KM_PER_MILE = 1.609344;
const KG_PER_POUND = 0.45359237;
const KJ_PER_KCAL = 4.184;
/** US customary fluid ounce; Exist does not say which ounce, and US users are most imperial users. */
const ML_PER_US_FL_OZ = 29.5735295625;

function linear(label: string, metricLabel: string, metricPerDisplay: number, decimals: number): DisplayUnit {
  return {
    label,
    metricLabel,
    decimals,
    allowNegative: false,
    toMetric: (x) => x * metricPerDisplay,
    fromMetric: (x) => x / metricPerDisplay,
  };
}

function identity(label: string, decimals: number, allowNegative = false): DisplayUnit {
  return { label, metricLabel: label, decimals, allowNegative, toMetric: (x) => x, fromMetric: (x) => x };
}

/** The display unit for a metric unit under the user's preferences. */
export function displayUnitForKey(key: MetricUnitKey, prefs: UnitPreferences | null): DisplayUnit {
  switch (key) {
    case 'km':
      return prefs?.imperial_distance ? linear('mi', 'km', KM_PER_MILE, 2) : identity('km', 2);
    case 'km/h':
      return prefs?.imperial_distance ? linear('mph', 'km/h', KM_PER_MILE, 1) : identity('km/h', 1);
    case 'kg':
      return prefs?.imperial_weight ? linear('lb', 'kg', KG_PER_POUND, 1) : identity('kg', 1);
    // Nutrition labels use grams even in imperial countries, and Exist stores g/mg: keep them.
    case 'g':
      return identity('g', 1);
    case 'mg':
      return identity('mg', 0);
    case 'kJ':
      return prefs?.imperial_energy ? linear('kcal', 'kJ', KJ_PER_KCAL, 0) : identity('kJ', 0);
    case 'ml':
      return prefs?.imperial_liquid ? linear('fl oz', 'ml', ML_PER_US_FL_OZ, 1) : identity('ml', 0);
    case 'degC':
      return prefs?.imperial_temperature
        ? {
            label: '°F',
            metricLabel: '°C',
            decimals: 1,
            allowNegative: true,
            toMetric: (f) => ((f - 32) * 5) / 9,
            fromMetric: (c) => (c * 9) / 5 + 32,
          }
        : identity('°C', 1, true);
    // Exist's template already stores inches per hour; there is nothing to convert.
    case 'in/h':
      return identity('in/h', 2);
    default: {
      const never: never = key;
      throw new Error(`Unknown unit ${String(never)}`);
    }
  }
}

/**
 * The unit an attribute is shown and entered in, from its description ("Float (km)") or,
 * failing that, its template; `undefined` for unitless attributes (counts, custom floats,
 * money). Only integer and decimal attributes have units. Metric users get an identity
 * unit so values still read "2.5 km".
 */
export function displayUnitFor(
  attr: { name: string; template: string | null; value_type: number; value_type_description?: string },
  profile: UnitPreferences | null,
): DisplayUnit | undefined {
  if (!valueTypeSpecOf(attr.value_type)?.hasUnits) return undefined;
  const key =
    unitFromDescription(attr.value_type_description) ??
    (attr.template !== null && Object.hasOwn(TEMPLATE_UNITS, attr.template)
      ? TEMPLATE_UNITS[attr.template]
      : undefined);
  return key === undefined ? undefined : displayUnitForKey(key, profile);
}
