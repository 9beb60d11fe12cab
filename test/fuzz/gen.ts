/** Seeded random inputs for the fuzz tests: JSON-ish values, strings, argv tokens. */
export { prng, pick, randInt } from '../reliability/harness';
import { pick, randInt } from '../reliability/harness';

const STRINGS = [
  '',
  ' ',
  'pages_read',
  'Pages Read',
  'steps',
  'mood_note',
  '2025-06-01',
  '2025-02-30',
  '2025-6-1',
  '9999-12-31',
  'today',
  'yesterday',
  '-1',
  '1e309',
  'NaN',
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
  'toString',
  '../../etc/passwd',
  'C:\\Windows',
  'https://example.com/',
  'http://127.0.0.1:1/',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  "'; DROP TABLE x; --",
  '%00',
  '\u0000',
  '\ud800',
  '😀',
  'é',
  '\n',
  '\t',
  'x'.repeat(101),
  'media_write',
  'media_read',
  'exist',
  'sandbox',
  'template',
  'name',
  'integer',
  'account',
  'sync',
  'general',
  'csv',
  'json',
  'command',
  'file',
  'url',
  'hourly',
  '*/5 * * * *',
  'date,value\n2025-06-01,3\n',
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  35,
  36,
  100_000,
  100_001,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.NaN,
  Infinity,
  -Infinity,
];

/** A random string: from the list, raw code units, or a long one. */
export function randomString(rand: () => number): string {
  const r = rand();
  if (r < 0.6) return pick(rand, STRINGS);
  if (r < 0.995) {
    let s = '';
    for (let i = randInt(rand, 0, 12); i > 0; i--) s += String.fromCharCode(randInt(rand, 0, 0xffff));
    return s;
  }
  return 'a'.repeat(randInt(rand, 1_000, 3_000_000));
}

/** A random value of any JavaScript type IPC could carry (and some it could not). */
export function randomValue(rand: () => number, depth = 0, keys: readonly string[] = []): unknown {
  const r = rand();
  if (r < 0.1) return null;
  if (r < 0.13) return undefined;
  if (r < 0.22) return rand() < 0.5;
  if (r < 0.4) return pick(rand, NUMBERS);
  if (r < 0.48) return randInt(rand, -1000, 1000);
  if (r < 0.68) return randomString(rand);
  if (depth > 3) return 0;
  if (r < 0.8) return Array.from({ length: randInt(rand, 0, 5) }, () => randomValue(rand, depth + 1, keys));
  if (r < 0.82) return Object.create(null) as object;
  if (r < 0.84) return new Date(randInt(rand, 0, 2 ** 40));
  return randomObject(rand, depth + 1, keys);
}

/** An object with some of `keys` (the schema's own, so validation goes deep) and sometimes junk keys. */
export function randomObject(rand: () => number, depth: number, keys: readonly string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of keys) if (rand() < 0.6) o[k] = randomValue(rand, depth + 1, keys);
  if (rand() < 0.2) o[randomString(rand).slice(0, 20)] = randomValue(rand, depth + 1);
  if (rand() < 0.03) Object.defineProperty(o, '__proto__', { value: { polluted: true }, enumerable: true });
  return o;
}
