/**
 * Screenshots for the README: the popover and the settings window (Account and
 * Attributes tabs), light and dark, after a connected session with a few attributes
 * of different value types. The clock is pinned to a fixed day (core and sandbox), and
 * every value is written by the test, so the pictures show the same content on every run
 * (not the same bytes: rendering details vary). `npm test` writes them under
 * test-results/; `npm run screenshots` refreshes the README's copies in docs/screenshots.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../src/core/ports';
import type { IsoDate } from '../../src/shared/domain';
import { connectThroughConsentPage, expect, test, type Desk } from './fixtures';

const OUT = process.env.SCREENSHOTS_DIR ?? join(import.meta.dirname, '../../test-results/screenshots');

/** Noon on Thursday 12 June 2025 in Pacific/Kiritimati (UTC+14); time moves on from there as usual. */
const PINNED = Date.UTC(2025, 5, 11, 22, 0);
function pinnedClock(): Clock & { ms(): number } {
  let start: number | null = null;
  const ms = () => PINNED + (Date.now() - (start ??= Date.now()));
  return {
    ms,
    now: ms,
    setTimeout: (fn, delay) => {
      const t = setTimeout(fn, delay);
      t.unref?.();
      return () => clearTimeout(t);
    },
  };
}
const clock = pinnedClock();

test.use({ hostOptions: { clock, sandbox: { now: clock.ms } } });

const addDays = (d: IsoDate, n: number): IsoDate => {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, day + n)).toISOString().slice(0, 10) as IsoDate;
};

/** The last seven days' values (oldest first, today last), written through the app. */
const SERIES: Record<string, (number | string)[]> = {
  pages_read: [12, 30, 8, 22, 41, 18, 13],
  tv_min: [45, 90, 30, 0, 60, 120, 45],
  energy_level: [6, 7, 5, 8, 6, 7, 7],
};

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function shoot(desk: Desk, scheme: 'light' | 'dark'): Promise<void> {
  await desk.page.emulateMedia({ colorScheme: scheme });

  // The popover alone.
  await desk.page.getByRole('button', { name: 'Close Settings' }).click();
  const popover = await desk.openPopover();
  await expect(popover.getByTestId('value-pages_read')).toHaveAttribute('aria-label', 'Pages read: 13');
  await expect(popover.locator('.badge')).toHaveText(['Synced', 'Synced', 'Synced', 'Synced']);
  await expect(popover.locator('[role="status"]')).toHaveCount(0); // the undo bar has gone
  await popover
    .locator('body')
    .evaluate((b) =>
      (b as unknown as { ownerDocument: { activeElement: { blur(): void } } }).ownerDocument.activeElement.blur(),
    );
  await desk.popoverDialog.screenshot({ path: join(OUT, `popover-${scheme}.png`), animations: 'disabled' });
  await desk.closePopover();

  // Settings: Account, then Attributes.
  const settings = await desk.openSettings('account');
  await expect(settings.getByTestId('profile-username')).toHaveText('demo');
  await desk.settingsDialog.screenshot({ path: join(OUT, `settings-${scheme}.png`), animations: 'disabled' });
  await desk.openSettings('attributes');
  await expect(settings.getByRole('button', { name: 'Pages read added' })).toBeVisible();
  await desk.settingsDialog.screenshot({
    path: join(OUT, `settings-attributes-${scheme}.png`),
    animations: 'disabled',
  });
}

test('screenshots of the popover and settings, light and dark', async ({ desk, context }) => {
  await mkdir(OUT, { recursive: true });
  const tab = await connectThroughConsentPage(desk, context, {
    tick: ['Media read', 'Mood read', 'Mood write', 'Custom read', 'Custom write'],
  });
  await tab.close();
  await expect(desk.settings.getByTestId('profile-username')).toHaveText('demo');

  for (const name of Object.keys(SERIES)) {
    await ok(desk.invoke('settings', 'attributes:acquire', { by: 'template', name }));
  }
  const today = (await ok(desk.invoke('popover', 'tray:get-view', {}))).today;
  expect(today).toBe('2025-06-12');
  for (const [name, values] of Object.entries(SERIES)) {
    for (const [i, value] of values.entries()) {
      const date = addDays(today, i - (values.length - 1));
      await ok(desk.invoke('popover', 'values:set', date === today ? { name, value } : { name, value, date }));
    }
  }
  await expect.poll(async () => (await ok(desk.invoke('settings', 'sync:get', {}))).pending).toBe(0);
  // A custom yes/no attribute; creating it also makes the app fetch the week's values afresh.
  await ok(
    desk.invoke('settings', 'attributes:create', {
      label: 'Read before bed',
      group: 'custom',
      valueType: 'boolean',
      manual: true,
    }),
  );
  await ok(desk.invoke('popover', 'values:set', { name: 'read_before_bed', value: 1 }));
  await expect.poll(async () => (await ok(desk.invoke('settings', 'sync:get', {}))).pending).toBe(0);

  await shoot(desk, 'light');
  await shoot(desk, 'dark');
});
