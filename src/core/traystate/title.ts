/**
 * The macOS menu-bar title (issue 18: "on macOS an optional tray title showing today's value
 * of one chosen attribute"; Toggl #2556, today's total in the menu bar). Pure: the chosen
 * attribute's type, today's value as the app expects it (server total plus pending writes)
 * and its display unit in, the short text beside the icon out.
 *
 * Decisions: label-free and short — the menu bar has little room and the user chose the one
 * attribute, so "12", "1h 20m", "7 / 9" (the popover's own formatting, so both read alike);
 * a day with nothing logged reads "0" for the attributes one adds to (that is the day's
 * total) and "–" for the others (no mood yet is not a mood of 0); text values are cut to
 * TITLE_MAX characters with an ellipsis.
 */
import type { ValueTypeCode } from '../../shared/domain';
import { formatValue } from '../values/format';
import type { DisplayUnit } from '../values/types';
import { isIncrementable } from '../values/valueTypes';

export const TITLE_MAX = 12;

export interface TrayTitleInput {
  valueType: ValueTypeCode;
  /** Today's value as the app expects it; null when nothing is logged (or known). */
  value: number | string | null;
  unit?: DisplayUnit | undefined;
}

export function trayTitleText(i: TrayTitleInput): string {
  if (i.value === null || i.value === '')
    return isIncrementable(i.valueType) ? formatValue(i.valueType, 0, i.unit) : '–';
  const text = formatValue(i.valueType, i.value, i.unit).trim();
  return text.length > TITLE_MAX ? `${text.slice(0, TITLE_MAX - 1)}…` : text;
}
