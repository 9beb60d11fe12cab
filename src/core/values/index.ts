/**
 * The value layer: what people type ⇄ what Exist stores, display units, and dates in the
 * user's Exist timezone. Isomorphic (no Node, no DOM): the renderer uses it for instant
 * feedback, the main-side core and the CLI for the same rules. See README.md here.
 */
export type { ParseResult, DisplayUnit, ParseContext } from './types';
export { parseValue, parseDelta, minutesFromMidday, MAX_DURATION_MINUTES } from './parse';
export { validateStoredValue, validateStoredDelta } from './validate';
export { formatValue, formatDelta, formatDuration, formatClock, EMPTY_VALUE } from './format';
export {
  displayUnitFor,
  displayUnitForKey,
  unitFromDescription,
  TEMPLATE_UNITS,
  type MetricUnitKey,
  type UnitPreferences,
} from './units';
export { todayIn, minutesOfDayIn, addDays, isIsoDate, parseDateChoice, daysBetween, isValidTimeZone } from './dates';
export {
  VALUE_TYPE_REGISTRY,
  valueTypeSpec,
  valueTypeSpecOf,
  valueTypeName,
  valueTypeLabel,
  isIncrementable,
  isTextType,
  defaultStepsFor,
  isValueTypeCode,
  controlKindFor,
  type ControlKind,
  type ValueTypeSpec,
} from './registry';
export { maxTextLength, textLength, MOOD_NOTE_MAX_LENGTH, DEFAULT_TEXT_MAX_LENGTH } from './text';
export { MAX_INTEGER, MAX_DECIMAL } from './numbers';
