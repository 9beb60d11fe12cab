import { describe, expect, it } from 'vitest';
import { CREATABLE_VALUE_TYPES, VALUE_TYPES } from '../../../src/shared/domain';
import type { ValueTypeCode } from '../../../src/shared/domain';
import { controlKindFor, isIncrementable, isValueTypeCode, valueTypeName } from '../../../src/core/values';

describe('value type helpers', () => {
  it('names every code as VALUE_TYPES does', () => {
    for (const [name, code] of Object.entries(VALUE_TYPES)) expect(valueTypeName(code)).toBe(name);
    for (const name of CREATABLE_VALUE_TYPES) expect(valueTypeName(VALUE_TYPES[name])).toBe(name);
  });

  it.each([
    [0, 'quantity', true],
    [1, 'quantity', true],
    [2, 'text', false],
    [3, 'duration', true],
    [4, 'time', false],
    [5, 'percentage', false],
    [6, 'time', false],
    [7, 'toggle', false],
    [8, 'scale', false],
  ] as const)('code %i → control %s, incrementable %s', (code, kind, inc) => {
    expect(controlKindFor(code)).toBe(kind);
    expect(isIncrementable(code)).toBe(inc);
  });

  it('recognises only codes 0–8', () => {
    for (let c = 0; c <= 8; c++) expect(isValueTypeCode(c)).toBe(true);
    for (const c of [-1, 9, 1.5, '1', null, Number.NaN]) expect(isValueTypeCode(c)).toBe(false);
  });

  it('throws on an impossible code (assertNever)', () => {
    expect(() => controlKindFor(99 as ValueTypeCode)).toThrow(/Unexpected value type/);
  });
});
