/**
 * Reading numbers the way people type them, without locale guessing at runtime.
 * Rules (documented in README.md beside this file):
 * - optional sign `+`, `-` or `−` (U+2212);
 * - thousands groups of exactly three digits with `,` `.` or a space (incl. no-break/thin spaces);
 * - one decimal separator, `.` or `,` — when both appear, the last one is the decimal separator;
 * - a lone comma followed by exactly three digits ("1,200") is a thousands separator in
 *   whole-number mode and ambiguous in decimal mode (we ask rather than guess);
 * - no exponents, no hex, no "Infinity".
 */

/** Largest whole number we send: Exist's integer columns are 32-bit. */
export const MAX_INTEGER = 2_147_483_647;
/** Largest magnitude accepted for decimals; far beyond any real daily measure. */
export const MAX_DECIMAL = 1_000_000_000;

export type NumberRead =
  { kind: 'ok'; value: number; hasFraction: boolean } | { kind: 'ambiguous' } | { kind: 'syntax' };

const SPACES = /[ \u00a0\u202f\u2009]/g;
const GROUP_SPACE = '\u0020';

/** Parses `input` as a number under the rules above; `mode` only matters for "1,200". */
export function readNumber(input: string, mode: 'integer' | 'decimal'): NumberRead {
  let s = input.trim();
  let sign = 1;
  const first = s.charAt(0);
  if (first === '+' || first === '-' || first === '\u2212') {
    sign = first === '+' ? 1 : -1;
    s = s.slice(1).trimStart();
  }
  s = s.replace(SPACES, GROUP_SPACE);
  if (s === '' || !/^[0-9., ]+$/.test(s) || !/[0-9]/.test(s)) return { kind: 'syntax' };
  if (s.startsWith(' ') || s.endsWith(' ')) return { kind: 'syntax' };

  const dots = count(s, '.');
  const commas = count(s, ',');
  let decimalSep: '.' | ',' | null = null;
  if (dots > 0 && commas > 0) {
    decimalSep = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    if (count(s, decimalSep) !== 1) return { kind: 'syntax' };
  } else if (dots === 1) {
    decimalSep = '.';
  } else if (commas === 1) {
    const [intPart = '', frac = ''] = s.split(',');
    if (/^\d{3}$/.test(frac) && /^[1-9]\d{0,2}$/.test(intPart)) {
      if (mode === 'decimal') return { kind: 'ambiguous' };
      decimalSep = null; // "1,200" in a whole-number field: thousands
    } else {
      decimalSep = ',';
    }
  }

  let intPart = s;
  let frac = '';
  if (decimalSep !== null) {
    const at = s.lastIndexOf(decimalSep);
    intPart = s.slice(0, at);
    frac = s.slice(at + 1);
    if (!/^\d*$/.test(frac)) return { kind: 'syntax' };
    if (intPart === '' && frac === '') return { kind: 'syntax' };
  }
  const digits = ungroup(intPart);
  if (digits === null) return { kind: 'syntax' };
  const value = sign * Number(`${digits === '' ? '0' : digits}.${frac === '' ? '0' : frac}`);
  if (!Number.isFinite(value)) return { kind: 'syntax' };
  return { kind: 'ok', value: value === 0 ? 0 : value, hasFraction: /[1-9]/.test(frac) };
}

/** Removes valid thousands grouping ("12,345,678", "12 345"); null when grouping is malformed. */
function ungroup(intPart: string): string | null {
  if (/^\d*$/.test(intPart)) return intPart;
  const m = /^\d{1,3}([,. ])\d{3}(?:\1\d{3})*$/.exec(intPart);
  if (m === null) return null;
  return intPart.replace(/[,. ]/g, '');
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n += 1;
  return n;
}

/** Rounds to `places` decimals without binary noise creeping into stored values (0.1+0.2). */
export function roundTo(x: number, places: number): number {
  const f = 10 ** places;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no -0
}

/** Quotes user input inside a message, shortened so a 1000-character paste doesn't flood the UI. */
export function quote(input: string): string {
  const s = input.trim();
  const chars = Array.from(s);
  const shown = chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : s;
  return `“${shown}”`;
}

/** "1,234,567" — fixed comma grouping so display is identical in every locale and parses back. */
export function groupThousands(n: number): string {
  const neg = n < 0;
  const [int = '0', frac] = Math.abs(n).toString().split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}
