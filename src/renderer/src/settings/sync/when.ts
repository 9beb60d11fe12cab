/** A moment in the one date format ("Tue 2 Dec, 14:05"), or "never". */
import { formatMoment } from '../../../../core/values/day-format';

export function when(ms: number | null): string {
  return ms === null ? 'never' : formatMoment(ms);
}
