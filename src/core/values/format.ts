import { VALUE_TYPES } from '../../shared/domain';
import type { ValueTypeCode } from '../../shared/domain';
import { assertNever } from '../../shared/result';
import { groupThousands, roundTo } from './numbers';
import type { DisplayUnit } from './types';
import { isValueTypeCode } from './valueTypes';

/** Shown for days without data. */
export const EMPTY_VALUE = '—';

/** "1h 20m", "45m", "2h", "0m" — the same shapes the duration parser reads back. */
export function formatDuration(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  const sign = minutes < 0 && m !== 0 ? '-' : '';
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${sign}${rest}m`;
  return rest === 0 ? `${sign}${h}h` : `${sign}${h}h ${rest}m`;
}

/** "07:30" (24-hour) for minutes from midnight; wraps values outside 0–1439. */
export function formatClock(minutesOfDay: number): string {
  const m = ((Math.round(minutesOfDay) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function plain(x: number, decimals: number): string {
  return String(roundTo(x, decimals));
}

function withUnit(valueType: ValueTypeCode, metric: number, unit: DisplayUnit): string {
  const shown = unit.fromMetric(metric);
  const decimals = unit.decimals ?? 2;
  // Group thousands only where the parser reads a comma as grouping (whole numbers, no conversion).
  const text =
    valueType === VALUE_TYPES.integer && unit.label === unit.metricLabel
      ? groupThousands(Math.round(shown))
      : plain(shown, decimals);
  return `${text} ${unit.label}`;
}

/**
 * A stored value as the popover shows it ("1h 20m", "07:30", "45%", "Yes", "7 / 9",
 * "2.5 mi", "—" for no data). Every output reads back through `parseValue` to the same
 * stored value, up to display rounding. Never throws: unexpected values are shown as-is.
 */
export function formatValue(
  valueType: ValueTypeCode,
  value: number | string | null | undefined,
  unit?: DisplayUnit,
): string {
  if (value === null || value === undefined) return EMPTY_VALUE;
  if (!isValueTypeCode(valueType)) return String(value);
  if (valueType !== VALUE_TYPES.string && (typeof value !== 'number' || !Number.isFinite(value))) return String(value);
  if (typeof value === 'string') return value;
  switch (valueType) {
    case VALUE_TYPES.integer:
      return unit === undefined ? groupThousands(Math.round(value)) : withUnit(valueType, value, unit);
    case VALUE_TYPES.decimal:
      return unit === undefined ? plain(value, 2) : withUnit(valueType, value, unit);
    case VALUE_TYPES.string:
      return String(value);
    case VALUE_TYPES.duration:
      return formatDuration(value);
    case VALUE_TYPES.time:
      return formatClock(value);
    case VALUE_TYPES.percentage:
      return `${plain(value * 100, 1)}%`;
    case VALUE_TYPES.timeFromMidday:
      return formatClock(value + 720);
    case VALUE_TYPES.boolean:
      return value === 1 ? 'Yes' : value === 0 ? 'No' : String(value);
    case VALUE_TYPES.scale:
      return `${value} / 9`;
    default:
      return assertNever(valueType, 'value type');
  }
}

/** A change as a button or toast shows it: "+5", "-1", "+15m", "+0.5 mi". */
export function formatDelta(valueType: ValueTypeCode, delta: number, unit?: DisplayUnit): string {
  const text = formatValue(valueType, delta, unit);
  return delta > 0 ? `+${text}` : text;
}
