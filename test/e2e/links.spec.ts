/**
 * exist-tray:// links in real Chromium through the browser host: a link's write (handed
 * to the core's launch decision, as the Electron shell does for `open-url`) shows up in
 * the popover as a proposal — attribute, value, date — and reaches Exist only after a
 * click on "Add it". The hostile link is refused and nothing is shown.
 */
import type { IsoDate } from '../../src/shared/domain';
import { connectThroughConsentPage, expect, test } from './fixtures';

test('a link’s write waits in the popover until the user adds it', async ({ desk, context, host, sandbox }) => {
  const tab = await connectThroughConsentPage(desk, context);
  await tab.close();
  const settings = desk.settings;
  await settings.getByRole('tab', { name: 'Attributes' }).click();
  await settings.getByRole('button', { name: 'Add Pages read', exact: true }).click();
  await expect(settings.getByRole('button', { name: 'Pages read added' })).toBeDisabled();
  const popover = await desk.openPopover();
  await expect(popover.getByRole('button', { name: 'Add 1 to Pages read' })).toBeVisible();
  const view = await desk.invoke('popover', 'tray:get-view', {});
  if (!view.ok) throw new Error(view.error.message);
  const today: IsoDate = view.value.today;
  const decide = host.core.commands.decideLaunch!;
  const pagesInExist = () =>
    sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[today] ?? null;

  // The link: refused, nothing proposed, nothing written.
  decide(['', 'exist-tray://increment?attribute=pages_read&value=2147483647&date=2000-01-01'], true);
  await expect.poll(() => host.notifications.map((n) => n.title)).toContain('Exist Tray did not apply that link');
  await expect(popover.getByRole('region', { name: 'A link asks to write to Exist' })).toHaveCount(0);

  // A sane link: proposed in the open popover, not written.
  decide(['', 'exist-tray://increment?attribute=pages_read&value=2'], true);
  const card = popover.getByRole('region', { name: 'A link asks to write to Exist' });
  await expect(card).toContainText('Pages read');
  await expect(card).toContainText('+2');
  await expect(card).toContainText(today);
  expect(pagesInExist()).toBeNull();

  await card.getByRole('button', { name: 'Add it' }).click();
  await expect(card).toHaveCount(0);
  await expect.poll(pagesInExist, { timeout: 20_000 }).toBe(2);
});
