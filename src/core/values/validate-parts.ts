/**
 * The pieces the registry's `validate` functions are made of (whole numbers in a range,
 * how a wrong value is described). No dispatch on value types here (./registry.ts).
 */
import type { ParseResult } from './types';

export const okValue = (value: number | string): ParseResult => ({ ok: true, value });
export const failValue = (message: string): ParseResult => ({ ok: false, message });

/** A wrong stored value in words: “the text “abc””, “nothing (null)”, “a boolean”. */
export function describeStored(value: unknown): string {
  if (typeof value === 'string') return `the text “${value.length > 24 ? `${value.slice(0, 24)}…` : value}”`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'nothing (null)';
  return `a ${typeof value}`;
}

export function wholeIn(value: unknown, min: number, max: number, what: string): ParseResult {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return failValue(`${what} must be a whole number, not ${describeStored(value)}`);
  }
  if (value < min || value > max) return failValue(`${what} must be between ${min} and ${max}, not ${value}`);
  return okValue(value + 0);
}
