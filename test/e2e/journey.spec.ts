/**
 * A person's journey through Exist Tray in Chromium, against the real core and the
 * Exist sandbox: connect on the sandbox's consent page, add pages_read, log pages with
 * clicks and a total, check Exist (the sandbox) agrees, disconnect. Then the ways it
 * goes wrong (Deny, a flaky Exist, Exist refusing a value) and the keyboard.
 */
import type { BrowserContext, FrameLocator } from '@playwright/test';
import type { IsoDate } from '../../src/shared/domain';
import { formatDay } from '../../src/core/values/day-format';
import { connectThroughConsentPage, expect, test, type Desk } from './fixtures';

/** Today and yesterday as the popover sees them: in the user's Exist timezone, from the core. */
async function userDates(desk: Desk): Promise<{ today: IsoDate; yesterday: IsoDate; timezone: string }> {
  const r = await desk.invoke('popover', 'tray:get-view', {});
  if (!r.ok) throw new Error(`tray:get-view failed: ${r.error.message}`);
  const [y, m, d] = r.value.today.split('-').map(Number) as [number, number, number];
  const yesterday = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10) as IsoDate;
  return { today: r.value.today, yesterday, timezone: r.value.timezone };
}

/** Settings → Attributes → Add Pages read (from the template). */
async function addPagesRead(settings: FrameLocator): Promise<void> {
  await settings.getByRole('tab', { name: 'Attributes' }).click();
  await settings.getByRole('button', { name: 'Add Pages read', exact: true }).click();
  await expect(settings.getByRole('button', { name: 'Pages read added' })).toBeDisabled();
  await expect(settings.getByRole('checkbox', { name: 'Show Pages read in the tray' })).toBeChecked();
}

/** Connects through the consent page and adds pages_read; returns the popover. */
async function connectedWithPagesRead(desk: Desk, context: BrowserContext, tick: string[] = []): Promise<FrameLocator> {
  const tab = await connectThroughConsentPage(desk, context, { tick });
  await tab.close();
  const settings = desk.settings;
  await expect(settings.getByTestId('profile-username')).toHaveText('demo');
  await addPagesRead(settings);
  const popover = await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Add 1 to Pages read' })).toBeVisible();
  return popover;
}

const pagesValue = (popover: FrameLocator) => popover.getByTestId('value-pages_read');
const pagesBadge = (popover: FrameLocator) => popover.locator('[data-row="pages_read"] .badge');

test('a new user connects, logs pages read, and Exist agrees; then disconnects', async ({ desk, context, sandbox }) => {
  // Not connected yet: the popover says so.
  let popover = await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Connect your Exist account' })).toBeVisible();

  // Connect: the sandbox's consent page in "the system browser", Allow, back to localhost:8000.
  const tab = await connectThroughConsentPage(desk, context);
  await expect(tab.getByRole('heading', { name: 'Connected to Exist as demo' })).toBeVisible();
  await expect(tab.getByText('Connected to Exist as demo — you can close this tab')).toBeVisible();
  await tab.close();

  const settings = desk.settings;
  await expect(settings.getByRole('heading', { name: 'Connected to the local sandbox' })).toBeVisible();
  await expect(settings.getByTestId('profile-name')).toHaveText('Demo User');
  await expect(settings.getByTestId('profile-username')).toHaveText('demo');
  await expect(settings.getByTestId('profile-timezone')).toHaveText('Pacific/Kiritimati');
  await expect(settings.getByTestId('token-expiry')).toContainText('expires');

  // Nothing owned yet: the popover points to Settings.
  popover = await desk.openPopover();
  await expect(popover.getByRole('heading', { name: 'Connected as Demo' })).toBeVisible();
  await expect(popover.getByText(/Waiting for Exist/)).toHaveCount(0);
  await popover.getByRole('button', { name: 'Choose attributes' }).click();
  await expect(settings.getByRole('tab', { name: 'Attributes' })).toHaveAttribute('aria-selected', 'true');

  await addPagesRead(settings);
  expect(sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')).toMatchObject({
    owner: sandbox.clientId,
    active: true,
  });

  // +1 three times and +10 once, for today in the user's timezone.
  popover = await desk.openPopover();
  const { today, yesterday, timezone } = await userDates(desk);
  expect(timezone).toBe('Pacific/Kiritimati');
  const plusOne = popover.getByRole('button', { name: 'Add 1 to Pages read' });
  await plusOne.click();
  await expect(popover.getByRole('status')).toContainText('Pages read');
  await expect(popover.getByRole('button', { name: 'Undo' })).toBeVisible();
  await plusOne.click();
  await plusOne.click();
  await popover.getByRole('button', { name: 'Add 10 to Pages read' }).click();
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', 'Pages read: 13');
  await expect(pagesBadge(popover)).toHaveText('Synced');
  await expect(popover.getByText('All synced')).toBeVisible();

  // Yesterday's total.
  await popover.getByRole('button', { name: 'Yesterday', exact: true }).click();
  await expect(popover.getByRole('button', { name: 'Yesterday', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await popover.getByRole('textbox', { name: 'Total for Pages read' }).fill('42');
  await popover.getByRole('button', { name: 'Save total for Pages read' }).click();
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', 'Pages read: 42');
  await expect(pagesBadge(popover)).toHaveText('Synced');

  // Back to today: still 13.
  await popover.getByRole('button', { name: 'Today', exact: true }).click();
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', 'Pages read: 13');

  // The sandbox (Exist) agrees, on the user's dates.
  const pages = sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read');
  expect(pages?.values[today]).toBe(13);
  expect(pages?.values[yesterday]).toBe(42);

  // Disconnect, with confirmation.
  await desk.openSettings('account');
  await settings.getByRole('button', { name: 'Disconnect' }).click();
  await settings.getByRole('button', { name: 'Yes, disconnect' }).click();
  await expect(settings.getByRole('button', { name: 'Try it with the local sandbox' })).toBeVisible();
  popover = await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Connect your Exist account' })).toBeVisible();
});

test('Deny on the consent page: Settings says nothing was connected', async ({ desk, context }) => {
  const tab = await connectThroughConsentPage(desk, context, { decision: 'Deny' });
  await expect(tab.getByRole('heading', { name: 'Access not allowed' })).toBeVisible();
  await tab.close();
  const settings = desk.settings;
  await expect(settings.getByRole('alert').locator('.error-message')).toHaveText(
    'You chose not to allow Exist Tray access to your Exist account. Nothing was connected.',
  );
  await expect(settings.getByRole('button', { name: 'Try it with the local sandbox' })).toBeEnabled();
  const popover = await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Connect your Exist account' })).toBeVisible();
});

test('Exist failing writes with 500s: the value stays pending, then syncs', async ({ desk, context, sandbox }) => {
  // With read access the app knows the day's total, so a lost answer can be checked, not guessed.
  const popover = await connectedWithPagesRead(desk, context, ['Media read']);
  const { today } = await userDates(desk);
  sandbox.admin.failNext(2, { kind: 'status', status: 500 }, { pathPrefix: '/api/2/attributes/increment' });

  await popover.getByRole('button', { name: 'Add 5 to Pages read' }).click();
  // Shown at once, and not lost while Exist fails.
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', /Pages read: \+?5/);
  await expect(pagesBadge(popover)).toHaveText('Pending');
  await expect(popover.getByTestId('sync-state')).toHaveText(/1 queued$/);
  await expect
    .poll(
      () =>
        sandbox.admin
          .getState()
          .calls.filter((c) => c.path.startsWith('/api/2/attributes/increment') && c.status === 500).length,
    )
    .toBeGreaterThanOrEqual(1);
  // Sync now while Exist is failing says so in words.
  await popover.getByRole('button', { name: 'Sync now' }).click();
  await expect(popover.getByRole('alert')).toContainText(/Exist|retry/i);

  // The outbox backs off and tries again by itself: it gets through.
  await expect(pagesBadge(popover)).toHaveText('Synced', { timeout: 20_000 });
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', 'Pages read: 5');
  await expect(popover.getByText('All synced')).toBeVisible();
  expect(sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[today]).toBe(5);
});

test('Exist refusing a value: Failed with its message, listed in Sync with Retry and Discard', async ({
  desk,
  context,
  sandbox,
}) => {
  const popover = await connectedWithPagesRead(desk, context);
  const { today } = await userDates(desk);

  // A 202 partial failure: Exist took the call but refused this value.
  const refusal = 'Ensure this value is less than or equal to 100000.';
  sandbox.admin.failNext(
    1,
    {
      kind: 'status',
      status: 202,
      body: {
        success: [],
        failed: [{ name: 'pages_read', date: today, value: 7, error_code: 'validation', error: refusal }],
      },
    },
    { pathPrefix: '/api/2/attributes/update' },
  );
  await popover.getByRole('textbox', { name: 'Total for Pages read' }).fill('7');
  await popover.getByRole('textbox', { name: 'Total for Pages read' }).press('Enter');
  await expect(pagesBadge(popover)).toHaveText('Failed');
  await expect(popover.locator('[data-row="pages_read"]').getByText(refusal)).toBeVisible();

  const settings = await desk.openSettings('sync');
  const failed = settings.getByRole('region', { name: 'Failed' });
  // Exist's text, with what to do (its raw answer stays behind Details).
  await expect(failed.locator('.error', { hasText: refusal })).toHaveText(
    `Exist refused it: ${refusal} Check the value, then retry or discard it.`,
  );
  await expect(failed.getByRole('button', { name: `Discard Pages read = 7 on ${formatDay(today)}` })).toBeVisible();
  // Retry: the fault was used up, so this time Exist takes it.
  await failed.getByRole('button', { name: `Retry Pages read = 7 on ${formatDay(today)}` }).click();
  await expect(failed).toBeHidden();
  await expect(settings.getByTestId('sync-pending')).toHaveText('All synced');
  await expect(pagesBadge(popover)).toHaveText('Synced');
  await expect
    .poll(() => sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[today])
    .toBe(7);

  // A whole call refused as invalid (HTTP 400): Failed, then discarded.
  sandbox.admin.failNext(
    1,
    { kind: 'status', status: 400, body: { detail: 'Invalid value for pages_read.' } },
    { pathPrefix: '/api/2/attributes/increment' },
  );
  await popover.getByRole('button', { name: 'Add 1 to Pages read' }).click();
  await expect(pagesBadge(popover)).toHaveText('Failed');
  await expect(popover.locator('[data-row="pages_read"] .row-message')).not.toBeEmpty();
  await expect(failed.getByRole('button', { name: `Retry Pages read +1 on ${formatDay(today)}` })).toBeVisible();
  await failed.getByRole('button', { name: `Discard Pages read +1 on ${formatDay(today)}` }).click();
  await expect(failed).toBeHidden();
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', 'Pages read: 7');
  expect(sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[today]).toBe(7);
});

test('keyboard: Tab to +1 and Enter adds one; Esc closes the popover', async ({ desk, context, page }) => {
  const popover = await connectedWithPagesRead(desk, context);
  const frame = await desk.popoverFrame();
  await popover.getByRole('button', { name: 'Today', exact: true }).focus();
  const focusedName = () =>
    frame.evaluate(() => {
      const el = (
        globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
      ).document.activeElement;
      return el?.getAttribute('aria-label') ?? null;
    });
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = (await focusedName()) === 'Add 1 to Pages read';
  }
  expect(reached, 'Tab reaches the +1 button').toBe(true);
  await page.keyboard.press('Enter');
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', /Pages read: \+?1( so far)?$/);
  await expect(pagesBadge(popover)).toHaveText('Synced');
  await expect(pagesValue(popover)).toHaveAttribute('aria-label', 'Pages read: 1');
  await expect(popover.getByRole('button', { name: 'Add 1 to Pages read' })).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(desk.popoverDialog).toBeHidden();
  // Focus goes back to the tray button, not to the page's body.
  await expect(desk.trayIcon).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(desk.popoverDialog).toBeVisible();
});
