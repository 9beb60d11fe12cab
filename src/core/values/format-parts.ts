/**
 * The pieces the registry's `format` functions are made of: durations, clock times,
 * percentages, grouped whole numbers, quantities in a display unit. No dispatch on value
 * types here (./registry.ts).
 */
import { groupThousands, roundTo } from './numbers';
import type { DisplayUnit } from './types';

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

const plain = (x: number, decimals: number): string => String(roundTo(x, decimals));

/** A whole number grouped in thousands ("12,345"), or a decimal to 2 places. */
export const groupedOrPlain = (x: number, kind: 'integer' | 'decimal'): string =>
  kind === 'integer' ? groupThousands(Math.round(x)) : plain(x, 2);

/** A stored fraction (0.0–1.0) as "45%". */
export const percentText = (fraction: number): string => `${plain(fraction * 100, 1)}%`;

/** A metric quantity in the user's display unit ("2.5 mi"); whole metric numbers are grouped. */
export function withUnit(metric: number, unit: DisplayUnit, whole: boolean): string {
  const shown = unit.fromMetric(metric);
  const decimals = unit.decimals ?? 2;
  // Group thousands only where the parser reads a comma as grouping (whole numbers, no conversion).
  const text = whole && unit.label === unit.metricLabel ? groupThousands(Math.round(shown)) : plain(shown, decimals);
  return `${text} ${unit.label}`;
}
