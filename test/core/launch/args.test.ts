import { describe, expect, it } from 'vitest';
import { parseDeepLink, parseLaunchArgs } from '../../../src/core/launch/args';

const exe = ['/opt/Exist Tray/exist-tray'];

function ok(argv: string[]) {
  const r = parseLaunchArgs(argv);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function error(argv: string[]) {
  const r = parseLaunchArgs(argv);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error.message;
}

describe('parseLaunchArgs (second instance)', () => {
  it('a plain launch carries no command', () => {
    expect(ok(exe)).toBeNull();
    expect(ok([...exe, '--hidden'])).toBeNull();
  });

  it('increment NAME DELTA', () => {
    expect(ok([...exe, 'increment', 'pages_read', '1'])).toEqual({
      command: 'increment',
      args: { name: 'pages_read', delta: 1 },
    });
  });

  it('increment defaults to +1 and takes --date in both spellings', () => {
    expect(ok([...exe, 'increment', 'pages_read'])).toEqual({
      command: 'increment',
      args: { name: 'pages_read', delta: 1 },
    });
    expect(ok([...exe, 'increment', 'pages_read', '-2', '--date', '2026-11-30'])).toEqual({
      command: 'increment',
      args: { name: 'pages_read', delta: -2, date: '2026-11-30' },
    });
    expect(ok([...exe, 'increment', 'pages_read', '0.5', '--date=2026-02-28'])).toEqual({
      command: 'increment',
      args: { name: 'pages_read', delta: 0.5, date: '2026-02-28' },
    });
  });

  it('works in development, where argv holds electron and the app path', () => {
    expect(ok(['/x/electron', '/repo/out/main/index.js', 'sync'])).toEqual({ command: 'sync', args: {} });
  });

  it('set NAME VALUE keeps text values as text and numbers as numbers', () => {
    expect(ok([...exe, 'set', 'mood', '7'])).toEqual({ command: 'set', args: { name: 'mood', value: 7 } });
    expect(ok([...exe, 'set', 'mood_note', 'a good day'])).toEqual({
      command: 'set',
      args: { name: 'mood_note', value: 'a good day' },
    });
  });

  it('refuses bad input with a clear message', () => {
    expect(error([...exe, 'increment'])).toMatch(/needs an attribute name/);
    expect(error([...exe, 'increment', 'pages_read', 'lots'])).toMatch(/"lots" is not a number/);
    expect(error([...exe, 'increment', 'Pages Read', '1'])).toMatch(/only a–z, 0–9 and _/);
    expect(error([...exe, 'set', 'mood'])).toMatch(/set needs a value/);
    expect(error([...exe, 'increment', 'pages_read', '1', '--date', '2026-02-30'])).toMatch(/Not a real date/);
    expect(error([...exe, 'increment', 'pages_read', '1', '--date'])).toMatch(/--date <YYYY-MM-DD>' argument missing/);
    expect(error([...exe, 'increment', 'pages_read', '1', '--force'])).toMatch(/unknown option '--force'/);
    expect(error([...exe, 'sync', 'now'])).toMatch(/too many arguments/);
  });
});

describe('parseDeepLink', () => {
  it('increment with attribute, value and date', () => {
    const r = parseDeepLink('exist-tray://increment?attribute=pages_read&value=1&date=2026-11-30');
    expect(r).toEqual({
      ok: true,
      value: { command: 'increment', args: { name: 'pages_read', delta: 1, date: '2026-11-30' } },
    });
  });

  it('is found among launch arguments (Windows/Linux pass the URL as an argument)', () => {
    expect(ok([...exe, '--allow-file-access', 'exist-tray://increment?attribute=pages_read'])).toEqual({
      command: 'increment',
      args: { name: 'pages_read', delta: 1 },
    });
  });

  it('set and sync, with or without slashes', () => {
    expect(parseDeepLink('exist-tray://set/?attribute=mood&value=8')).toEqual({
      ok: true,
      value: { command: 'set', args: { name: 'mood', value: 8 } },
    });
    expect(parseDeepLink('exist-tray:sync')).toEqual({ ok: true, value: { command: 'sync', args: {} } });
  });

  it('a value that looks like an option stays a value (the words end options with --)', () => {
    expect(parseDeepLink('exist-tray://increment?attribute=pages_read&value=-2')).toEqual({
      ok: true,
      value: { command: 'increment', args: { name: 'pages_read', delta: -2 } },
    });
    expect(parseDeepLink('exist-tray://set?attribute=mood_note&value=--force')).toEqual({
      ok: true,
      value: { command: 'set', args: { name: 'mood_note', value: '--force' } },
    });
    expect(parseDeepLink('exist-tray://increment?attribute=--date&value=1')).toMatchObject({ ok: false });
  });

  it('refuses unknown actions, unknown parameters and bad values', () => {
    const msg = (u: string) => {
      const r = parseDeepLink(u);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(msg('exist-tray://delete?attribute=mood')).toMatch(/Unknown action "delete"/);
    expect(msg('exist-tray://increment?atribute=mood')).toMatch(/Unknown parameter "atribute"/);
    expect(msg('exist-tray://increment?attribute=mood&value=NaN')).toMatch(/not a number/);
    expect(msg('exist-tray://set?attribute=mood')).toMatch(/needs a value/);
    expect(msg('https://increment?attribute=mood')).toMatch(/Not an exist-tray/);
  });
});
