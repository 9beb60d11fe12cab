import { INCREMENTABLE_VALUE_TYPES, VALUE_TYPES } from '../../shared/domain';
import type { ValueTypeCode, ValueTypeName } from '../../shared/domain';
import { assertNever } from '../../shared/result';

/** The control family the UI renders for a value type. */
export type ControlKind = 'quantity' | 'text' | 'toggle' | 'scale' | 'time' | 'percentage' | 'duration';

/** True for the codes Exist defines (0–8); use on untrusted numbers before switching on them. */
export function isValueTypeCode(code: unknown): code is ValueTypeCode {
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 8;
}

/** The CLI / settings name of a value type code (`0` → "integer", `6` → "timeFromMidday"). */
export function valueTypeName(code: ValueTypeCode): ValueTypeName {
  switch (code) {
    case VALUE_TYPES.integer:
      return 'integer';
    case VALUE_TYPES.decimal:
      return 'decimal';
    case VALUE_TYPES.string:
      return 'string';
    case VALUE_TYPES.duration:
      return 'duration';
    case VALUE_TYPES.time:
      return 'time';
    case VALUE_TYPES.percentage:
      return 'percentage';
    case VALUE_TYPES.timeFromMidday:
      return 'timeFromMidday';
    case VALUE_TYPES.boolean:
      return 'boolean';
    case VALUE_TYPES.scale:
      return 'scale';
    default:
      return assertNever(code, 'value type');
  }
}

/** A short human label used at the start of messages ("Scale values can't be incremented…"). */
export function valueTypeLabel(code: ValueTypeCode): string {
  switch (code) {
    case VALUE_TYPES.integer:
      return 'Whole number';
    case VALUE_TYPES.decimal:
      return 'Decimal';
    case VALUE_TYPES.string:
      return 'Text';
    case VALUE_TYPES.duration:
      return 'Duration';
    case VALUE_TYPES.time:
      return 'Time of day';
    case VALUE_TYPES.percentage:
      return 'Percentage';
    case VALUE_TYPES.timeFromMidday:
      return 'Time of day';
    case VALUE_TYPES.boolean:
      return 'Yes/no';
    case VALUE_TYPES.scale:
      return 'Scale';
    default:
      return assertNever(code, 'value type');
  }
}

/** Whether Exist's increment endpoint accepts this type (integers, decimals, durations). */
export function isIncrementable(code: ValueTypeCode): boolean {
  return INCREMENTABLE_VALUE_TYPES.includes(code);
}

/** Which control the popover shows for a value type, so the UI never switches on raw codes. */
export function controlKindFor(code: ValueTypeCode): ControlKind {
  switch (code) {
    case VALUE_TYPES.integer:
    case VALUE_TYPES.decimal:
      return 'quantity';
    case VALUE_TYPES.string:
      return 'text';
    case VALUE_TYPES.duration:
      return 'duration';
    case VALUE_TYPES.time:
    case VALUE_TYPES.timeFromMidday:
      return 'time';
    case VALUE_TYPES.percentage:
      return 'percentage';
    case VALUE_TYPES.boolean:
      return 'toggle';
    case VALUE_TYPES.scale:
      return 'scale';
    default:
      return assertNever(code, 'value type');
  }
}
