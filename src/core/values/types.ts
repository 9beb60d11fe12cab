import type { ValueTypeCode } from '../../shared/domain';

/**
 * The answer of every parser and validator in this module: either the value in the
 * form Exist stores (metric, API units) or a sentence a person can act on.
 * Never throws — the renderer shows `message` beside the field as the user types.
 */
export type ParseResult = { ok: true; value: number | string } | { ok: false; message: string };

/**
 * How a stored (metric) quantity is shown and entered. Exist stores metric values;
 * the profile's `imperial_*` flags only change display, so every imperial entry is
 * converted with `toMetric` before it is queued, and every stored value is shown with
 * `fromMetric`. Conversions may be affine (°C ↔ °F), so never treat them as a factor.
 */
export interface DisplayUnit {
  /** What the user sees and types, e.g. "mi", "°F", "kcal" (equals `metricLabel` for metric users). */
  label: string;
  toMetric(x: number): number;
  fromMetric(x: number): number;
  /** The unit Exist stores, e.g. "km", "°C", "kJ". */
  metricLabel: string;
  /** Decimal places shown by `formatValue` (default 2). */
  decimals?: number;
  /** Whether a total below zero is meaningful (temperatures); quantities default to no. */
  allowNegative?: boolean;
}

/** Optional knowledge the parsers use to be stricter or friendlier. */
export interface ParseContext {
  /** Exist attribute name; `mood_note` is capped at 1000 characters, `location` must be "lat,lng". */
  attributeName?: string;
  /** Display unit from `displayUnitFor`; input is read in this unit and converted to metric. */
  unit?: DisplayUnit;
  /** Lets time-of-day fields accept "now" (the current time in the user's Exist timezone). */
  now?: { nowMs: number; timeZone: string };
  /**
   * Accept negative totals for integer/decimal attributes (e.g. a custom "balance").
   * Off by default: Exist quantities are counts and measures.
   */
  allowNegative?: boolean;
}

export type { ValueTypeCode };
