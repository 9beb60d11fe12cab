/**
 * `exist-tray add "…"` against the sandbox: the quick-add grammar on the command line,
 * written through the same path as `increment` / `set`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliIn,
  cliOk,
  connectDataDir,
  dateIn,
  dayValue,
  removeDir,
  shiftDate,
  startWriteSandbox,
  tempDataDir,
} from '../../cli/write-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(timezone: string) {
  const sandbox = await startWriteSandbox({ timezone });
  const dir = tempDataDir();
  cleanups.push(
    () => sandbox.close(),
    () => removeDir(dir),
  );
  await connectDataDir(sandbox, dir, ['media_write', 'mood_write']);
  await cliOk(dir, sandbox.url, ['acquire', '--template', 'pages_read']);
  await cliOk(dir, sandbox.url, ['acquire', '--template', 'mood']);
  return { sandbox, dir, url: sandbox.url, today: dateIn(timezone) };
}

describe('exist-tray add', () => {
  it('“20 pages” adds 20 to today (the user’s today, in Kiritimati) and “-2 pages” takes 2 away', async () => {
    const { sandbox, dir, url, today } = await setup('Pacific/Kiritimati');
    const r = await cliOk(dir, url, ['add', '20 pages']);
    expect(r.stderr.join('\n')).toContain('+20 to Pages read today');
    expect(dayValue(sandbox, 'pages_read', today)).toBe(20);
    await cliOk(dir, url, ['add', '-2', 'pages']);
    expect(dayValue(sandbox, 'pages_read', today)).toBe(18);
  });

  it('“mood 7 yesterday” sets yesterday’s mood', async () => {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const { sandbox, dir, url, today } = await setup(tz);
    const before = dayValue(sandbox, 'mood', today);
    await cliOk(dir, url, ['add', 'mood 7 yesterday']);
    expect(dayValue(sandbox, 'mood', shiftDate(today, -1))).toBe(7);
    expect(dayValue(sandbox, 'mood', today)).toBe(before);
  });

  it('says clearly when nothing matches, and writes nothing', async () => {
    const { sandbox, dir, url, today } = await setup('Pacific/Kiritimati');
    const r = await cliIn(dir, url, ['add', '10 pushups']);
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toMatch(/None of your attributes is called “pushups”/);
    expect(dayValue(sandbox, 'pages_read', today)).toBeUndefined();
  });
});
