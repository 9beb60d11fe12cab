import { VALUE_TYPES } from '../../shared/domain';
import type { ValueTypeCode } from '../../shared/domain';
import { assertNever } from '../../shared/result';
import { MAX_DECIMAL, MAX_INTEGER } from './numbers';
import { MAX_DURATION_MINUTES } from './parse';
import { checkText } from './text';
import type { ParseResult } from './types';
import { isIncrementable, isValueTypeCode, valueTypeLabel } from './valueTypes';

const ok = (value: number | string): ParseResult => ({ ok: true, value });
const fail = (message: string): ParseResult => ({ ok: false, message });

function describe(value: unknown): string {
  if (typeof value === 'string') return `the text “${value.length > 24 ? `${value.slice(0, 24)}…` : value}”`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'nothing (null)';
  return `a ${typeof value}`;
}

function wholeIn(value: unknown, min: number, max: number, what: string): ParseResult {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return fail(`${what} must be a whole number, not ${describe(value)}`);
  }
  if (value < min || value > max) return fail(`${what} must be between ${min} and ${max}, not ${value}`);
  return ok(value + 0);
}

/**
 * Checks a value already in Exist's API form before it is queued or sent (outbox, CLI,
 * IPC schemas): JSON type, whole vs fractional, and the documented ranges. Exist itself
 * only validates "broadly by type", so this is where a bad value is caught, before it can
 * sit in the outbox. Integers and decimals may be negative here (the API allows it; the
 * parser is stricter for totals people type).
 */
export function validateStoredValue(valueType: ValueTypeCode, value: unknown, attributeName?: string): ParseResult {
  if (!isValueTypeCode(valueType)) return fail(`Unknown value type ${String(valueType)}`);
  switch (valueType) {
    case VALUE_TYPES.integer:
      return wholeIn(value, -MAX_INTEGER - 1, MAX_INTEGER, 'This value');
    case VALUE_TYPES.decimal:
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(`This value must be a number, not ${describe(value)}`);
      if (Math.abs(value) > MAX_DECIMAL) return fail(`This value is too big (at most ${MAX_DECIMAL})`);
      return ok(value + 0);
    case VALUE_TYPES.string: {
      if (typeof value !== 'string') return fail(`This value must be text, not ${describe(value)}`);
      const r = checkText(value, attributeName);
      return r.ok ? ok(r.value) : fail(r.message);
    }
    case VALUE_TYPES.duration:
      return wholeIn(value, 0, MAX_DURATION_MINUTES, 'A duration in minutes');
    case VALUE_TYPES.time:
      return wholeIn(value, 0, 1439, 'A time of day (minutes from midnight)');
    case VALUE_TYPES.percentage:
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail(`A percentage must be a number from 0.0 to 1.0, not ${describe(value)}`);
      }
      if (value < 0 || value > 1) return fail(`A percentage is stored from 0.0 to 1.0, not ${value}`);
      return ok(value + 0);
    case VALUE_TYPES.timeFromMidday:
      // Our parser produces 0–1439; values from elsewhere may count back from midday.
      return wholeIn(value, -1439, 1439, 'A time from midday (minutes)');
    case VALUE_TYPES.boolean:
      if (value === 0 || value === 1) return ok(value + 0);
      return fail(`A yes/no value must be 1 or 0, not ${describe(value)}`);
    case VALUE_TYPES.scale:
      return wholeIn(value, 1, 9, 'A scale value');
    default:
      return assertNever(valueType, 'value type');
  }
}

/**
 * Checks a queued change for the increment endpoint. Unlike `parseDelta`, 0 is accepted:
 * coalesced +1/−1 nets to 0, and an increment of 0 is a harmless way to learn the day's
 * `current` total without a read scope.
 */
export function validateStoredDelta(valueType: ValueTypeCode, value: unknown): ParseResult {
  if (!isValueTypeCode(valueType)) return fail(`Unknown value type ${String(valueType)}`);
  if (!isIncrementable(valueType)) {
    return fail(`${valueTypeLabel(valueType)} values can't be incremented; set a total instead`);
  }
  if (valueType === VALUE_TYPES.integer) return wholeIn(value, -MAX_INTEGER - 1, MAX_INTEGER, 'A change');
  if (valueType === VALUE_TYPES.duration) {
    return wholeIn(value, -MAX_DURATION_MINUTES, MAX_DURATION_MINUTES, 'A change in minutes');
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(`A change must be a number, not ${describe(value)}`);
  if (Math.abs(value) > MAX_DECIMAL) return fail(`This change is too big (at most ${MAX_DECIMAL})`);
  return ok(value + 0);
}
