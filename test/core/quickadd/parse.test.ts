/**
 * Quick-add grammar: typed text → the write it describes, against a realistic set of
 * owned attributes (a count, durations, a scale, a tag, a distance in the user's unit).
 */
import { describe, expect, it } from 'vitest';
import { parseQuickAdd, tokenize, type QuickAddAttribute } from '../../../src/core/quickadd';
import { displayUnitForKey } from '../../../src/core/values/units';
import { validateStoredDelta, validateStoredValue } from '../../../src/core/values/validate';
import { pick, prng, randInt } from '../../fuzz/gen';

const TODAY = '2026-12-01'; // a Tuesday
const ATTRS: QuickAddAttribute[] = [
  { name: 'pages_read', label: 'Pages read', valueType: 0 },
  { name: 'time_reading', label: 'Time reading', valueType: 3 },
  { name: 'tv_min', label: 'TV minutes', valueType: 3 },
  { name: 'gaming_min', label: 'Gaming minutes', valueType: 3 },
  { name: 'mood', label: 'Mood', valueType: 8 },
  { name: 'tired', label: 'Tired', valueType: 7 },
  { name: 'coffees', label: 'Coffees', valueType: 0 },
  { name: 'weight', label: 'Weight', valueType: 1, unit: displayUnitForKey('kg', { imperial_weight: true } as never) },
  { name: 'body_fat', label: 'Body fat', valueType: 5 },
  { name: 'sleep_end', label: 'Wake time', valueType: 4 },
];
const ctx = { attributes: ATTRS, today: TODAY };
const ok = (input: string) => {
  const r = parseQuickAdd(input, ctx);
  if (!r.ok) throw new Error(`"${input}" failed: ${r.message}`);
  return r;
};
const msg = (input: string) => {
  const r = parseQuickAdd(input, ctx);
  if (r.ok) throw new Error(`"${input}" unexpectedly parsed: ${r.description}`);
  return r.message;
};

describe('the issue’s examples', () => {
  it('20 pages → +20 on today’s Pages read, described before Enter', () => {
    const r = ok('20 pages');
    expect(r.write).toEqual({ kind: 'increment', name: 'pages_read', date: TODAY, delta: 20 });
    expect(r.description).toBe('+20 to Pages read today');
  });
  it('+1h reading → +60 minutes of Time reading (not Pages read)', () => {
    expect(ok('+1h reading').write).toEqual({ kind: 'increment', name: 'time_reading', date: TODAY, delta: 60 });
    expect(ok('+1h reading').description).toBe('+1h to Time reading today');
  });
  it('mood 7 → sets the scale', () => {
    expect(ok('mood 7').write).toEqual({ kind: 'set', name: 'mood', date: TODAY, value: 7 });
    expect(ok('mood 7').description).toBe('Set Mood to 7 / 9 for today');
  });
  it('tv 45m yesterday → +45 on yesterday’s TV minutes', () => {
    expect(ok('tv 45m yesterday').write).toEqual({ kind: 'increment', name: 'tv_min', date: '2026-11-30', delta: 45 });
    expect(ok('tv 45m yesterday').description).toBe('+45m to TV minutes yesterday');
  });
  it('-2 pages → a negative change', () => {
    expect(ok('-2 pages').write).toEqual({ kind: 'increment', name: 'pages_read', date: TODAY, delta: -2 });
    expect(ok('-2 pages').description).toBe('-2 from Pages read today');
  });
  it('mood 7 yesterday sets yesterday', () => {
    expect(ok('mood 7 yesterday').write).toEqual({ kind: 'set', name: 'mood', date: '2026-11-30', value: 7 });
  });
});

describe('more of the grammar', () => {
  it.each([
    ['pages 20', { kind: 'increment', name: 'pages_read', date: TODAY, delta: 20 }],
    ['pages read +5', { kind: 'increment', name: 'pages_read', date: TODAY, delta: 5 }],
    ['=40 pages', { kind: 'set', name: 'pages_read', date: TODAY, value: 40 }],
    ['set pages 40', { kind: 'set', name: 'pages_read', date: TODAY, value: 40 }],
    ['1h 30m tv', { kind: 'increment', name: 'tv_min', date: TODAY, delta: 90 }],
    ['45 min gaming', { kind: 'increment', name: 'gaming_min', date: TODAY, delta: 45 }],
    ['tv 1:20', { kind: 'increment', name: 'tv_min', date: TODAY, delta: 80 }],
    ['2 coffees', { kind: 'increment', name: 'coffees', date: TODAY, delta: 2 }],
    ['coffee 1', { kind: 'increment', name: 'coffees', date: TODAY, delta: 1 }],
    ['tired', { kind: 'set', name: 'tired', date: TODAY, value: 1 }],
    ['tired no', { kind: 'set', name: 'tired', date: TODAY, value: 0 }],
    ['tired 0 yesterday', { kind: 'set', name: 'tired', date: '2026-11-30', value: 0 }],
    ['body fat 21%', { kind: 'set', name: 'body_fat', date: TODAY, value: 0.21 }],
    ['wake 7:30', { kind: 'set', name: 'sleep_end', date: TODAY, value: 450 }],
    ['wake 7:30 pm', { kind: 'set', name: 'sleep_end', date: TODAY, value: 1170 }],
    ['MOOD 8 Today', { kind: 'set', name: 'mood', date: TODAY, value: 8 }],
    ['mood 6 2026-11-20', { kind: 'set', name: 'mood', date: '2026-11-20', value: 6 }],
    ['mood 6 2 days ago', { kind: 'set', name: 'mood', date: '2026-11-29', value: 6 }],
    ['mood 6 3d ago', { kind: 'set', name: 'mood', date: '2026-11-28', value: 6 }],
    ['mood 5 sunday', { kind: 'set', name: 'mood', date: '2026-11-29', value: 5 }],
    ['mood 5 tue', { kind: 'set', name: 'mood', date: TODAY, value: 5 }],
    ['mood 5 last tuesday', { kind: 'set', name: 'mood', date: '2026-11-24', value: 5 }],
    ['add 3 pages to my day', undefined],
  ])('%s', (input, write) => {
    const r = parseQuickAdd(input, ctx);
    if (write === undefined) expect(r.ok).toBe(false);
    else expect(r.ok ? r.write : r.message).toEqual(write);
  });

  it('reads a weight in the user’s unit and stores kilograms', () => {
    const r = ok('weight =154 lb');
    expect(r.write.kind).toBe('set');
    expect(r.write.kind === 'set' && Math.round(Number(r.write.value) * 10) / 10).toBe(69.9);
    expect(r.description).toBe('Set Weight to 154 lb for today');
  });
  it('tokenizes dates anywhere and keeps attribute words', () => {
    expect(tokenize('yesterday tv 45m', TODAY)).toMatchObject({ date: '2026-11-30', value: '45m', words: ['tv'] });
  });
});

describe('clear messages when nothing matches', () => {
  it('names no attribute', () => {
    expect(msg('20 pushups')).toMatch(/None of your attributes is called “pushups”/);
  });
  it('has no words', () => expect(msg('20')).toMatch(/Say what it was, like “20 pages”/));
  it('is empty', () => expect(msg('   ')).toMatch(/Type what you did/));
  it('has no attributes at all', () => {
    expect(parseQuickAdd('20 pages', { attributes: [], today: TODAY })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Settings → Attributes/),
    });
  });
  it('is ambiguous between two durations', () => {
    expect(msg('20 min')).toMatch(/could be .* or .* — add a word/);
  });
  it('refuses a signed scale', () => expect(msg('mood +1')).toMatch(/can't be added to — type “mood 1”/));
  it('refuses a scale out of range with the parser’s words', () => {
    expect(msg('mood 12')).toMatch(/^Mood: Scale values go from 1 to 9/);
  });
  it('refuses a fraction of a page', () => expect(msg('2.5 pages')).toMatch(/Pages read: .*whole number/));
  it('refuses the future', () => expect(msg('mood 5 2026-12-02')).toMatch(/in the future/));
  it('refuses an impossible date', () => expect(msg('mood 5 2026-02-30')).toMatch(/isn't a real date/));
  it('refuses two dates', () => expect(msg('mood 5 today yesterday')).toMatch(/one date/));
  it('refuses zero', () => expect(msg('0 pages')).toMatch(/wouldn't change anything/));
  it('wants a value for a count', () => expect(msg('pages')).toMatch(/Add a value for Pages read/));
});

describe('fuzz', () => {
  const WORDS = ['20', '+1h', '-2', '=5', 'pages', 'mood', 'tv', '45m', 'yesterday', 'tired', 'no', 'x', '', '😀'];
  const JUNK = ['1e309', 'NaN', '\u0000', '--', '++1', ':', '%', '2026-13-01', 'ago', 'last', '1,5', '9'.repeat(20)];
  it('never throws, and every accepted write is valid for its attribute and not in the future', () => {
    const rand = prng(0x18a0_0001);
    for (let i = 0; i < 3000; i++) {
      const n = randInt(rand, 0, 5);
      const input = Array.from({ length: n }, () => pick(rand, rand() < 0.8 ? WORDS : JUNK)).join(' ');
      const r = parseQuickAdd(input, ctx);
      if (!r.ok) {
        expect(r.message.length).toBeGreaterThan(5);
        continue;
      }
      const a = ATTRS.find((x) => x.name === r.write.name);
      expect(a).toBeDefined();
      expect(r.write.date <= TODAY).toBe(true);
      const check =
        r.write.kind === 'increment'
          ? validateStoredDelta(a!.valueType, r.write.delta)
          : validateStoredValue(a!.valueType, r.write.value, a!.name);
      expect(check.ok, `${input} → ${JSON.stringify(r.write)}`).toBe(true);
    }
  });
});
