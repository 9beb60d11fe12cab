/**
 * The macOS tray title from the core (issue 18): with Settings → General "Show in the menu
 * bar: Pages read", the tray state's title is today's value as the popover shows it — "0"
 * before anything is logged, "1" right after a +1 (still queued), the synced total after
 * sync — and '' again once the choice is cleared. A name the app does not own is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TrayState } from '../../../src/core/traystate';
import { run, trusted, world } from '../../support/app-world';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe('the tray title: today’s value of the chosen attribute', () => {
  it('follows the choice and each +1', async () => {
    const w = await world(cleanup);
    const states: TrayState[] = [];
    const app = await run(w, { autoFlush: false, shell: { setTrayState: (s) => void states.push(s) } });
    cleanup.push(() => app.stop());
    const title = () => states.at(-1)?.title;
    await app.invoke['attributes:acquire']({ by: 'template', name: 'pages_read' }, trusted);
    expect(title()).toBe('');

    await app.invoke['settings:set']({ trayTitleAttribute: 'pages_read' }, trusted);
    await until('the title 0', () => title() === '0');
    await app.commands.increment('pages_read', 1);
    await until('the title 1 while queued', () => title() === '1');
    await app.commands.increment('pages_read', 2);
    await app.commands.syncNow();
    await until('the title 3 after sync', () => title() === '3');

    await app.invoke['settings:set']({ trayTitleAttribute: null }, trusted);
    await until('no title', () => title() === '');
  }, 30_000);

  it('refuses an attribute the app does not own', async () => {
    const w = await world(cleanup);
    const app = await run(w, { autoFlush: false });
    cleanup.push(() => app.stop());
    await expect(app.invoke['settings:set']({ trayTitleAttribute: 'mood' }, trusted)).rejects.toThrow(/mood/);
  }, 30_000);
});
