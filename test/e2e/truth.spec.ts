/**
 * Issue 16 in real Chromium against the sandbox: what the interface says is what Exist
 * holds (sync state, dates, focus, labels, a deliberate Disconnect).
 */
import type { BrowserContext, FrameLocator } from '@playwright/test';
import { formatDay } from '../../src/core/values/day-format';
import { connectThroughConsentPage, expect, test, type Desk } from './fixtures';

async function connectedWithPagesRead(desk: Desk, context: BrowserContext): Promise<FrameLocator> {
  const tab = await connectThroughConsentPage(desk, context);
  await tab.close();
  const settings = desk.settings;
  await expect(settings.getByTestId('profile-username')).toHaveText('demo');
  await settings.getByRole('tab', { name: 'Attributes' }).click();
  await settings.getByRole('button', { name: 'Add Pages read', exact: true }).click();
  await expect(settings.getByRole('button', { name: 'Pages read added' })).toBeDisabled();
  const popover = await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Add 1 to Pages read' })).toBeVisible();
  return popover;
}

const focusedName = async (desk: Desk) =>
  (await desk.popoverFrame()).evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
    ).document.activeElement;
    return el?.getAttribute('aria-label') ?? null;
  });

test('the popover and Sync tab tell the truth: focus, Today on each opening, failed is not synced, Disconnect', async ({
  desk,
  context,
  sandbox,
}) => {
  const popover = await connectedWithPagesRead(desk, context);

  // Focus starts on the first control of the first attribute.
  await desk.closePopover();
  await desk.openPopover();
  await expect.poll(() => focusedName(desk)).toBe('Add 1 to Pages read');

  // A date chosen in one opening does not survive closing the popover.
  await popover.getByRole('button', { name: 'Yesterday' }).click();
  await expect(popover.getByRole('button', { name: 'Yesterday' })).toHaveAttribute('aria-pressed', 'true');
  await desk.closePopover();
  await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Today', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // A refused write: the footer and the Sync tab say it failed, never "All synced".
  const r = await desk.invoke('popover', 'tray:get-view', {});
  if (!r.ok) throw new Error(r.error.message);
  const today = r.value.today;
  sandbox.admin.failNext(
    1,
    { kind: 'status', status: 400, body: { detail: 'Invalid value for pages_read.' } },
    { pathPrefix: '/api/2/attributes/increment' },
  );
  await popover.getByRole('button', { name: 'Add 1 to Pages read' }).click();
  await expect(popover.getByTestId('sync-state')).toHaveText('1 failed');
  const settings = await desk.openSettings('sync');
  await expect(settings.getByTestId('sync-pending')).toHaveText('1 failed');
  const failed = settings.getByRole('region', { name: 'Failed' });
  await expect(failed.getByText('Pages read', { exact: true })).toBeVisible();
  // Exist's own text once, with what to do; no HTTP status, path or doubled period; the raw answer behind Details.
  const why = failed.locator('.error').first();
  await expect(why).toHaveText(/^Exist refused it: Invalid value for pages_read\. Check the value/);
  await expect(why).not.toHaveText(/HTTP|\/api\/|\.\./);
  await failed.getByText('Details', { exact: true }).click();
  await expect(failed.getByText(/HTTP 400, \/api\/2\/attributes\/increment\//)).toBeVisible();
  await failed.getByRole('button', { name: `Discard Pages read +1 on ${formatDay(today)}` }).click();
  await expect(settings.getByTestId('sync-pending')).toHaveText('All synced');

  // A deliberate Disconnect: "Disconnected", and Sync now cannot be pressed.
  await settings.getByRole('tab', { name: 'Account' }).click();
  await settings.getByRole('button', { name: 'Disconnect' }).click();
  await settings.getByRole('button', { name: 'Yes, disconnect' }).click();
  await settings.getByRole('tab', { name: 'Sync' }).click();
  await expect(settings.getByTestId('sync-pending')).toHaveText(/^Disconnected/);
  await expect(settings.getByText(/no longer accepts/)).toHaveCount(0);
  await expect(settings.getByRole('button', { name: 'Sync now' })).toBeDisabled();
});

test('Settings: openSettings({tab}) right after load opens that tab; the shortcut is recorded and Alt+F4 refused', async ({
  desk,
}) => {
  // Right after the desk loaded, before the settings page listens for pushes.
  const settings = await desk.openSettings('sync');
  await expect(settings.getByRole('tab', { name: 'Sync' })).toHaveAttribute('aria-selected', 'true');

  await settings.getByRole('tab', { name: 'General' }).click();
  const field = settings.getByRole('button', { name: 'Global shortcut' });
  await field.click();
  await field.press('Alt+F4');
  await expect(settings.getByRole('alert')).toContainText('Alt+F4 is taken');
  await field.click();
  await field.press('Control+Shift+E');
  await expect(field).toHaveText(/^(Ctrl|⌘)\+Shift\+E$/);
  await expect(settings.getByRole('status')).toContainText('Shortcut set to');
});

test('a wrong client secret: words that say what to do beside Connect, the raw code only behind Details', async ({
  desk,
  context,
  sandbox,
}) => {
  const settings = await desk.openSettings('account');
  await settings.getByLabel('Client ID').fill(sandbox.clientId);
  await settings.getByLabel('Client secret').fill('not-the-secret');
  await settings.getByRole('checkbox', { name: 'Media write', exact: true }).check();
  await settings.getByRole('button', { name: 'Connect to Exist' }).click();
  const authorizeUrl = await desk.waitForOpenedUrl(/\/oauth2\/authorize\?/);
  const browser = await context.newPage();
  await browser.goto(authorizeUrl);
  await browser.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(browser).toHaveURL(/^http:\/\/localhost:8000\//);
  // The page in the browser says it in words too.
  await expect(browser.getByText(/client ID or client secret/)).toBeVisible();
  await expect(browser.getByText(/invalid_client/)).toHaveCount(0);
  await browser.close();

  const alert = settings.getByRole('alert').filter({ hasText: 'client ID or client secret' });
  await expect(alert).toBeInViewport();
  const words = alert.locator('.error-message');
  await expect(words).toHaveText(/Copy both again from your app on exist\.io/);
  await expect(words).not.toHaveText(/invalid_client|HTTP|\/oauth2\/|\.\./);
  await expect(alert.getByText(/invalid_client/)).toBeHidden();
  await alert.getByText('Details', { exact: true }).click();
  await expect(alert.getByText(/invalid_client/)).toBeVisible();
});

test('the footer never cuts its words off: a long sync error and the state read in full', async ({
  desk,
  context,
  sandbox,
}) => {
  const popover = await connectedWithPagesRead(desk, context);
  sandbox.admin.failNext(
    20,
    { kind: 'status', status: 503, body: { detail: 'Service unavailable' } },
    { pathPrefix: '/api/2/attributes/increment' },
  );
  await popover.getByRole('button', { name: 'Add 1 to Pages read' }).click();
  await popover.getByRole('button', { name: 'Sync now' }).click();
  const error = popover.locator('.popover-footer .footer-error');
  await expect(error).toBeVisible();
  // Each footer text fits its box: nothing hidden behind an ellipsis or the edge.
  const clipped = await (
    await desk.popoverFrame()
  ).evaluate(() => {
    type Box = { scrollWidth: number; clientWidth: number; textContent: string | null };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Box[] } }).document;
    return Array.from(doc.querySelectorAll('.popover-footer .footer-error, .popover-footer .sync-state'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent);
  });
  expect(clipped).toEqual([]);
  expect((await error.textContent())?.length ?? 0).toBeGreaterThan(20);
});
