import { describe, expect, it } from 'vitest';
import type { ValueTypeCode } from '../../../src/shared/domain';
import {
  displayUnitFor,
  formatValue,
  isIncrementable,
  parseDateChoice,
  parseDelta,
  parseValue,
  validateStoredDelta,
  validateStoredValue,
} from '../../../src/core/values';
import type { ParseContext, ParseResult } from '../../../src/core/values';
import { IMPERIAL } from './helpers';

/** mulberry32: small seeded PRNG so every run sees the same 2,000 strings. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '0',
  '1',
  '2',
  '5',
  '7',
  '9',
  '12',
  '59',
  '60',
  '99',
  '1440',
  '2147483648',
  '.',
  ',',
  ':',
  ' ',
  '  ',
  '-',
  '+',
  '\u2212',
  '%',
  '/',
  'h',
  'm',
  'min',
  'hours',
  'am',
  'pm',
  'a.m.',
  'yes',
  'no',
  'on',
  'off',
  'true',
  'mi',
  'km',
  '°F',
  '°C',
  'lb',
  'fl oz',
  'kcal',
  'e',
  'x',
  'NaN',
  'Infinity',
  '\u00a0',
  '\u202f',
  '\n',
  '\t',
  '\u0000',
  '\ud800',
  '😀',
  'é',
  '"',
  '\\',
  'now',
  'noon',
  'of 9',
  'and',
  '1,200',
  '0730',
  '2026-02-30',
  'today',
];

function randomString(rand: () => number): string {
  const r = rand();
  if (r < 0.02) return 'x'.repeat(995 + Math.floor(rand() * 10)); // around the 1000 cap
  if (r < 0.3) {
    // raw code units, including surrogates and controls
    const n = Math.floor(rand() * 12);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rand() * 0x3000));
    return s;
  }
  const n = Math.floor(rand() * 6);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
  return s;
}

const CONTEXTS: ParseContext[] = [
  {},
  { attributeName: 'mood_note' },
  { attributeName: 'location' },
  { allowNegative: true },
  { now: { nowMs: Date.UTC(2026, 5, 1, 12), timeZone: 'Pacific/Kiritimati' } },
  { unit: displayUnitFor({ name: 'steps_distance', template: 'steps_distance', value_type: 1 }, IMPERIAL) },
  { unit: displayUnitFor({ name: 'weather_temp_min', template: 'weather_temp_min', value_type: 1 }, IMPERIAL) },
  { unit: displayUnitFor({ name: 'water', template: 'water', value_type: 0 }, IMPERIAL) },
  { unit: displayUnitFor({ name: 'water', template: 'water', value_type: 0 }, null) },
];

const TYPES: ValueTypeCode[] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** Plain checks (not `expect`) in the hot loop: ~160,000 results are checked. Returns a problem or null. */
function problemWith(r: ParseResult, check: (value: number | string) => ParseResult): string | null {
  if (r === null || typeof r !== 'object') return `not a result: ${String(r)}`;
  if (r.ok) {
    const v = check(r.value);
    return v.ok ? null : `parsed value ${JSON.stringify(r.value)} fails validation: ${v.message}`;
  }
  return typeof r.message === 'string' && r.message.trim() !== '' ? null : 'empty message';
}

describe('fuzz: 2,000 seeded random strings through every parser', () => {
  const rand = mulberry32(0x5eed_2026);
  const inputs = Array.from({ length: 2000 }, () => randomString(rand));

  it('never throws; rejects with a message or yields a value that validates', () => {
    let accepted = 0;
    let rejectedCount = 0;
    const problems: string[] = [];
    const note = (input: string, what: string, p: string | null): void => {
      if (p !== null && problems.length < 20) problems.push(`${what} ${JSON.stringify(input)}: ${p}`);
    };
    for (const input of inputs) {
      for (const type of TYPES) {
        for (const [i, ctx] of CONTEXTS.entries()) {
          const total = parseValue(type, input, ctx);
          note(
            input,
            `parseValue(${type}) ctx#${i}`,
            problemWith(total, (v) => validateStoredValue(type, v, ctx.attributeName)),
          );
          if (total.ok) {
            accepted++;
            // Whatever we accept, we can show without throwing.
            if (typeof formatValue(type, total.value, ctx.unit) !== 'string')
              note(input, 'formatValue', 'not a string');
          } else rejectedCount++;

          const delta = parseDelta(type, input, ctx);
          note(
            input,
            `parseDelta(${type}) ctx#${i}`,
            problemWith(delta, (v) => validateStoredDelta(type, v)),
          );
          if (delta.ok && (!isIncrementable(type) || delta.value === 0))
            note(input, `parseDelta(${type})`, 'bad delta');
        }
      }
      const date = parseDateChoice(input, 'America/New_York', Date.UTC(2026, 5, 1));
      if (!date.ok && date.message === '') note(input, 'parseDateChoice', 'empty message');
    }
    expect(problems).toEqual([]);
    // The generator must exercise both paths, or the test proves nothing.
    expect(accepted).toBeGreaterThan(500);
    expect(rejectedCount).toBeGreaterThan(500);
  });
});
