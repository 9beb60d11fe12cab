/**
 * The value-type registry: ONE table of Exist's value types (code, name, label, control,
 * incrementable, default steps, parse, format, validate, and what Exist itself accepts)
 * from which every other place derives — the parsers and formatters of this module, the
 * renderer's value controls, the settings' step fields, the CLI, the jobs and quick-add,
 * and the sandbox's stand-in for Exist's checks. Adding a value type means adding one row
 * here (and, for a new control family, one control in the renderer's ValueControls).
 * Lint (eslint.config.js, `valueTypeRule`) refuses numeric value-type comparisons and
 * switches anywhere else.
 */
import { VALUE_TYPES } from '../../shared/domain';
import type { ValueTypeCode, ValueTypeName } from '../../shared/domain';
import { assertNever } from '../../shared/result';
import { formatClock, formatDuration, groupedOrPlain, percentText, withUnit } from './format-parts';
import { MAX_DECIMAL, MAX_INTEGER } from './numbers';
import {
  MAX_DURATION_MINUTES,
  minutesFromMidday,
  parseBoolean,
  parseDuration,
  parsePercentage,
  parseQuantity,
  parseScale,
  readClock,
} from './parse-parts';
import { checkText } from './text';
import type { DisplayUnit, ParseContext, ParseResult } from './types';
import { describeStored, failValue, okValue, wholeIn } from './validate-parts';

/** The control family the UI renders for a value type. */
export type ControlKind = 'quantity' | 'text' | 'toggle' | 'scale' | 'time' | 'percentage' | 'duration';

export interface ValueTypeSpec {
  code: ValueTypeCode;
  /** The CLI / settings name ("integer", "timeFromMidday"). */
  name: ValueTypeName;
  /** A short human label used at the start of messages ("Scale values can't be incremented…"). */
  label: string;
  /** The settings' description of the kind ("Scale 1–9"). */
  kindLabel: string;
  control: ControlKind;
  /** Exist's increment endpoint accepts it (integers, decimals, durations). */
  incrementable: boolean;
  /** Free text: no sparkline, no steps, no numeric history. */
  text: boolean;
  /** Display units (km ↔ mi, kg ↔ lb) apply to it. */
  hasUnits: boolean;
  /** Steps a new attribute starts with, in the stored unit. */
  defaultSteps: readonly number[];
  /** The example the steps field shows. */
  stepsExample: string;
  /** What a person typed → the stored value (a day's total). */
  parse(input: string, ctx: ParseContext): ParseResult;
  /** What a person typed → a change (incrementable types only). */
  parseDelta?(input: string, ctx: ParseContext): ParseResult;
  /** A stored value (already a finite number, or text for text types) as shown. */
  format(value: number | string, unit?: DisplayUnit): string;
  /** A value in API form before it is queued or sent. */
  validate(value: unknown, attributeName?: string): ParseResult;
  /** A queued change for the increment endpoint (incrementable types only). */
  validateDelta?(value: unknown): ParseResult;
  /** What Exist itself accepts (the sandbox checks this, with Exist's wording). */
  exist: {
    json: 'integer' | 'float' | 'string' | 'boolean';
    /** Exist's own description of the type (value_type_description of a custom attribute). */
    description: string;
    range?: [number, number];
    rangeMessage?: string;
  };
}

const clockParse = (input: string, ctx: ParseContext, fromMidday: boolean): ParseResult => {
  const r = readClock(input, ctx);
  if (typeof r !== 'number') return failValue(r);
  return okValue(fromMidday ? minutesFromMidday(r) : r);
};
const finiteNumber = (value: unknown, what: string): ParseResult | null =>
  typeof value !== 'number' || !Number.isFinite(value) ? failValue(`${what}, not ${describeStored(value)}`) : null;
const decimalIn = (value: unknown, what: string, tooBig: string): ParseResult => {
  const bad = finiteNumber(value, `${what} must be a number`);
  if (bad) return bad;
  if (Math.abs(value as number) > MAX_DECIMAL) return failValue(`${tooBig} (at most ${MAX_DECIMAL})`);
  return okValue((value as number) + 0);
};

/** The table. Keyed by Exist's code; each row says everything the app knows about that type. */
export const VALUE_TYPE_REGISTRY: { readonly [C in ValueTypeCode]: ValueTypeSpec & { code: C } } = {
  [VALUE_TYPES.integer]: {
    code: VALUE_TYPES.integer,
    name: 'integer',
    label: 'Whole number',
    kindLabel: 'Whole number',
    control: 'quantity',
    incrementable: true,
    text: false,
    hasUnits: true,
    defaultSteps: [5, 10],
    stepsExample: '5, 10',
    parse: (input, ctx) => parseQuantity(input, 'integer', 'total', ctx),
    parseDelta: (input, ctx) => parseQuantity(input, 'integer', 'delta', ctx),
    format: (v, unit) =>
      typeof v === 'string' ? v : unit === undefined ? groupedOrPlain(v, 'integer') : withUnit(v, unit, true),
    validate: (v) => wholeIn(v, -MAX_INTEGER - 1, MAX_INTEGER, 'This value'),
    validateDelta: (v) => wholeIn(v, -MAX_INTEGER - 1, MAX_INTEGER, 'A change'),
    exist: { description: 'Integer', json: 'integer' },
  },
  [VALUE_TYPES.decimal]: {
    code: VALUE_TYPES.decimal,
    name: 'decimal',
    label: 'Decimal',
    kindLabel: 'Decimal',
    control: 'quantity',
    incrementable: true,
    text: false,
    hasUnits: true,
    defaultSteps: [0.5, 1],
    stepsExample: '5, 10',
    parse: (input, ctx) => parseQuantity(input, 'decimal', 'total', ctx),
    parseDelta: (input, ctx) => parseQuantity(input, 'decimal', 'delta', ctx),
    format: (v, unit) =>
      typeof v === 'string' ? v : unit === undefined ? groupedOrPlain(v, 'decimal') : withUnit(v, unit, false),
    validate: (v) => decimalIn(v, 'This value', 'This value is too big'),
    validateDelta: (v) => decimalIn(v, 'A change', 'This change is too big'),
    exist: { description: 'Float', json: 'float' },
  },
  [VALUE_TYPES.string]: {
    code: VALUE_TYPES.string,
    name: 'string',
    label: 'Text',
    kindLabel: 'Text',
    control: 'text',
    incrementable: false,
    text: true,
    hasUnits: false,
    defaultSteps: [],
    stepsExample: '',
    parse: (input, ctx) => {
      const r = checkText(input.replace(/\r\n?/g, '\n').trim(), ctx.attributeName);
      return r.ok ? okValue(r.value) : failValue(r.message);
    },
    format: (v) => String(v),
    validate: (v, attributeName) => {
      if (typeof v !== 'string') return failValue(`This value must be text, not ${describeStored(v)}`);
      const r = checkText(v, attributeName);
      return r.ok ? okValue(r.value) : failValue(r.message);
    },
    exist: { description: 'String', json: 'string' },
  },
  [VALUE_TYPES.duration]: {
    code: VALUE_TYPES.duration,
    name: 'duration',
    label: 'Duration',
    kindLabel: 'Duration',
    control: 'duration',
    incrementable: true,
    text: false,
    hasUnits: false,
    defaultSteps: [5, 15],
    stepsExample: '5m, 15m',
    parse: (input) => parseDuration(input, 'total'),
    parseDelta: (input) => parseDuration(input, 'delta'),
    format: (v) => (typeof v === 'string' ? v : formatDuration(v)),
    validate: (v) => wholeIn(v, 0, MAX_DURATION_MINUTES, 'A duration in minutes'),
    validateDelta: (v) => wholeIn(v, -MAX_DURATION_MINUTES, MAX_DURATION_MINUTES, 'A change in minutes'),
    exist: { description: 'Period (minutes as integer)', json: 'integer' },
  },
  [VALUE_TYPES.time]: {
    code: VALUE_TYPES.time,
    name: 'time',
    label: 'Time of day',
    kindLabel: 'Time of day',
    control: 'time',
    incrementable: false,
    text: false,
    hasUnits: false,
    defaultSteps: [],
    stepsExample: '',
    parse: (input, ctx) => clockParse(input, ctx, false),
    format: (v) => (typeof v === 'string' ? v : formatClock(v)),
    validate: (v) => wholeIn(v, 0, 1439, 'A time of day (minutes from midnight)'),
    exist: {
      description: 'Time of day (minutes from midnight as integer)',
      json: 'integer',
      range: [0, 1439],
      rangeMessage: 'Time of day must be minutes from midnight, 0 to 1439',
    },
  },
  [VALUE_TYPES.percentage]: {
    code: VALUE_TYPES.percentage,
    name: 'percentage',
    label: 'Percentage',
    kindLabel: 'Percentage',
    control: 'percentage',
    incrementable: false,
    text: false,
    hasUnits: false,
    defaultSteps: [],
    stepsExample: '',
    parse: (input) => parsePercentage(input),
    format: (v) => (typeof v === 'string' ? v : percentText(v)),
    validate: (v) => {
      const bad = finiteNumber(v, 'A percentage must be a number from 0.0 to 1.0');
      if (bad) return bad;
      if ((v as number) < 0 || (v as number) > 1) return failValue(`A percentage is stored from 0.0 to 1.0, not ${v}`);
      return okValue((v as number) + 0);
    },
    exist: {
      description: 'Float (percentage, 0.0 to 1.0)',
      json: 'float',
      range: [0, 1],
      rangeMessage: 'Percentage values must be between 0.0 and 1.0',
    },
  },
  [VALUE_TYPES.timeFromMidday]: {
    code: VALUE_TYPES.timeFromMidday,
    name: 'timeFromMidday',
    label: 'Time of day',
    kindLabel: 'Time of day',
    control: 'time',
    incrementable: false,
    text: false,
    hasUnits: false,
    defaultSteps: [],
    stepsExample: '',
    parse: (input, ctx) => clockParse(input, ctx, true),
    format: (v) => (typeof v === 'string' ? v : formatClock(v + 720)),
    // Our parser produces 0–1439; values from elsewhere may count back from midday.
    validate: (v) => wholeIn(v, -1439, 1439, 'A time from midday (minutes)'),
    exist: {
      description: 'Time of day (minutes from midday as integer)',
      json: 'integer',
      range: [0, 1439],
      rangeMessage: 'Time of day must be minutes from midday, 0 to 1439',
    },
  },
  [VALUE_TYPES.boolean]: {
    code: VALUE_TYPES.boolean,
    name: 'boolean',
    label: 'Yes/no',
    kindLabel: 'Yes/no',
    control: 'toggle',
    incrementable: false,
    text: false,
    hasUnits: false,
    defaultSteps: [],
    stepsExample: '',
    parse: (input) => parseBoolean(input),
    format: (v) => (v === 1 ? 'Yes' : v === 0 ? 'No' : String(v)),
    validate: (v) =>
      v === 0 || v === 1 ? okValue(v + 0) : failValue(`A yes/no value must be 1 or 0, not ${describeStored(v)}`),
    exist: {
      description: 'Boolean (0 or 1)',
      json: 'boolean',
      range: [0, 1],
      rangeMessage: 'Boolean values must be 0 or 1',
    },
  },
  [VALUE_TYPES.scale]: {
    code: VALUE_TYPES.scale,
    name: 'scale',
    label: 'Scale',
    kindLabel: 'Scale 1–9',
    control: 'scale',
    incrementable: false,
    text: false,
    hasUnits: false,
    defaultSteps: [],
    stepsExample: '',
    parse: (input) => parseScale(input),
    format: (v) => `${v} / 9`,
    validate: (v) => wholeIn(v, 1, 9, 'A scale value'),
    exist: {
      description: 'Integer scale (between 1 and 9)',
      json: 'integer',
      range: [1, 9],
      rangeMessage: 'Scale values must be between 1 and 9',
    },
  },
};

const SPECS: readonly ValueTypeSpec[] = Object.values(VALUE_TYPE_REGISTRY);

/** True for the codes Exist defines; use on untrusted numbers before asking the registry. */
export function isValueTypeCode(code: unknown): code is ValueTypeCode {
  return typeof code === 'number' && SPECS.some((s) => s.code === code);
}

/** The registry row of a code. */
export const valueTypeSpec = (code: ValueTypeCode): ValueTypeSpec =>
  valueTypeSpecOf(code) ?? assertNever(code as never, 'value type');

/** The row of an untrusted number (an API answer, a file), or undefined. */
export const valueTypeSpecOf = (code: unknown): ValueTypeSpec | undefined =>
  isValueTypeCode(code) ? VALUE_TYPE_REGISTRY[code] : undefined;

export const valueTypeName = (code: ValueTypeCode): ValueTypeName => valueTypeSpec(code).name;
export const valueTypeLabel = (code: ValueTypeCode): string => valueTypeSpec(code).label;
export const isIncrementable = (code: ValueTypeCode): boolean => valueTypeSpecOf(code)?.incrementable ?? false;
/** Which control the popover shows for a value type, so the UI never switches on raw codes. */
export const controlKindFor = (code: ValueTypeCode): ControlKind => valueTypeSpec(code).control;
/** Free text (no sparkline, no steps). */
export const isTextType = (code: number): boolean => valueTypeSpecOf(code)?.text ?? false;
/** Steps a new attribute starts with, in its stored unit. */
export const defaultStepsFor = (code: number): number[] => [...(valueTypeSpecOf(code)?.defaultSteps ?? [])];

// ---------------------------------------------------------------- the dispatchers

const notAType = (code: unknown): ParseResult => failValue(`Unknown value type ${String(code)}`);
const notIncrementable = (code: ValueTypeCode): ParseResult =>
  failValue(`${valueTypeLabel(code)} values can't be incremented; set a total instead`);

/**
 * Converts what a person typed into the value Exist stores for a day's total (metric, API
 * form), or a message saying how to fix it. Never throws. Input rules per type are in
 * README.md beside this file.
 */
export function parseValue(valueType: ValueTypeCode, input: string, ctx: ParseContext = {}): ParseResult {
  if (typeof input !== 'string') return failValue('Enter a value');
  const spec = valueTypeSpecOf(valueType);
  return spec ? spec.parse(input, ctx) : notAType(valueType);
}

/**
 * Reads a change for the increment endpoint (integers, decimals, durations only). Negative
 * changes are allowed (undo, corrections); 0 is not, because it would change nothing.
 */
export function parseDelta(valueType: ValueTypeCode, input: string, ctx: ParseContext = {}): ParseResult {
  if (typeof input !== 'string') return failValue('Enter a value');
  const spec = valueTypeSpecOf(valueType);
  if (!spec) return notAType(valueType);
  return spec.parseDelta ? spec.parseDelta(input, ctx) : notIncrementable(valueType);
}

/**
 * Checks a value already in Exist's API form before it is queued or sent (outbox, CLI,
 * IPC schemas): JSON type, whole vs fractional, and the documented ranges. Exist itself
 * only validates "broadly by type", so this is where a bad value is caught, before it can
 * sit in the outbox. Integers and decimals may be negative here (the API allows it; the
 * parser is stricter for totals people type).
 */
export function validateStoredValue(valueType: ValueTypeCode, value: unknown, attributeName?: string): ParseResult {
  const spec = valueTypeSpecOf(valueType);
  return spec ? spec.validate(value, attributeName) : notAType(valueType);
}

/**
 * Checks a queued change for the increment endpoint. Unlike `parseDelta`, 0 is accepted:
 * coalesced +1/−1 nets to 0, and an increment of 0 is a harmless way to learn the day's
 * `current` total without a read scope.
 */
export function validateStoredDelta(valueType: ValueTypeCode, value: unknown): ParseResult {
  const spec = valueTypeSpecOf(valueType);
  if (!spec) return notAType(valueType);
  return spec.validateDelta ? spec.validateDelta(value) : notIncrementable(valueType);
}

/** Shown for days without data. */
export const EMPTY_VALUE = '—';

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
  const spec = valueTypeSpecOf(valueType);
  if (!spec) return String(value);
  if (!spec.text && (typeof value !== 'number' || !Number.isFinite(value))) return String(value);
  if (typeof value === 'string') return value;
  return spec.format(value, unit);
}

/** A change as a button or toast shows it: "+5", "-1", "+15m", "+0.5 mi". */
export function formatDelta(valueType: ValueTypeCode, delta: number, unit?: DisplayUnit): string {
  const text = formatValue(valueType, delta, unit);
  return delta > 0 ? `+${text}` : text;
}
