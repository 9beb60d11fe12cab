/**
 * "Not owner" refusals (issue 18): when another service takes an attribute over at Exist, a
 * write to it is refused; the app must not take it back silently (that stops the other
 * service's updates), but fail the write in words and let the user choose: take it back
 * (confirmed like any takeover, then the refused writes land) or stop tracking it. Nobody
 * owning it is different: taking it back costs no one anything, so it is still silent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppCore } from '../../../src/core/app';
import { createExistClient, staticTokenProvider } from '../../../src/core/exist/client';
import type { OwnedAttributeView, SyncView } from '../../../src/shared/ipc-contract';
import type { OwnershipView } from '../../../src/shared/features';
import { run, trusted, world, type World } from '../../support/app-world';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const attr = (w: World, name: string) => w.sandbox.admin.getState().attributes.find((a) => a.name === name);
const today = (w: World) => new Date(w.clock.ms()).toISOString().slice(0, 10); // the sandbox user is in UTC

async function withPagesRead(scopes?: string[]): Promise<{ w: World; app: AppCore }> {
  const w = await world(cleanup, scopes);
  const app = await run(w, { autoFlush: false });
  cleanup.push(() => app.stop());
  await app.invoke['attributes:acquire']({ by: 'template', name: 'pages_read' }, trusted);
  await app.commands.increment('pages_read', 1);
  await app.commands.syncNow();
  expect(attr(w, 'pages_read')?.values[today(w)]).toBe(1);
  return { w, app };
}

const sync = async (app: AppCore) => (await app.invoke['sync:get']({}, trusted)) as SyncView;

describe('a write refused because another service owns the attribute now', () => {
  it('fails in words, keeps the other service as owner, and asks before taking it back', async () => {
    const { w, app } = await withPagesRead();
    w.sandbox.admin.giveToService('pages_read', 'fitbit');
    await app.commands.increment('pages_read', 1);
    await app.commands.syncNow();

    expect(attr(w, 'pages_read')?.owner).toBe('fitbit'); // not taken back behind the user's back
    const failed = (await sync(app)).failed;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      name: 'pages_read',
      errorCode: 'not-owner',
      message:
        'Fitbit took over “Pages read” at Exist, so Exist refused this write. Take it back, or stop tracking it, in Settings → Sync.',
    });
    const o = (await app.invoke['attributes:ownership']({ by: 'name', name: 'pages_read' }, trusted)) as OwnershipView;
    expect(o).toMatchObject({ owner: 'Fitbit', ownedByUs: false, confirm: true });
    expect(o.sentence).toMatch(/is written by Fitbit now; take it over/);
  }, 30_000);

  it('Take it back: acquires it again and the refused write lands', async () => {
    const { w, app } = await withPagesRead();
    w.sandbox.admin.giveToService('pages_read', 'fitbit');
    await app.commands.increment('pages_read', 1);
    await app.commands.syncNow();

    const r = await app.invoke['attributes:take-back']({ name: 'pages_read' }, trusted);
    expect(r).toEqual({ message: 'Exist Tray writes “Pages read” again; 1 refused write sent again.' });
    await app.commands.syncNow();
    expect(attr(w, 'pages_read')?.owner).toBe(w.sandbox.clientId);
    expect(attr(w, 'pages_read')?.values[today(w)]).toBe(2);
    expect((await sync(app)).failed).toEqual([]);
  }, 30_000);

  it('Stop tracking: the refused writes are discarded and the attribute leaves the app', async () => {
    const { w, app } = await withPagesRead();
    w.sandbox.admin.giveToService('pages_read', 'fitbit');
    await app.commands.increment('pages_read', 1);
    await app.commands.syncNow();

    const r = await app.invoke['attributes:stop-tracking']({ name: 'pages_read' }, trusted);
    expect(r).toEqual({ message: 'Exist Tray no longer writes “Pages read”; 1 refused write discarded.' });
    expect((await sync(app)).failed).toEqual([]);
    const owned = (await app.invoke['attributes:list-owned']({}, trusted)) as OwnedAttributeView[];
    expect(owned.map((a) => a.name)).not.toContain('pages_read');
    expect(attr(w, 'pages_read')?.owner).toBe('fitbit');
    expect(attr(w, 'pages_read')?.values[today(w)]).toBe(1);
  }, 30_000);

  it('without a read scope it cannot tell who owns it, so it asks too', async () => {
    const { w, app } = await withPagesRead(['media_write']);
    w.sandbox.admin.giveToService('pages_read', 'fitbit');
    await app.commands.increment('pages_read', 1);
    await app.commands.syncNow();
    expect(attr(w, 'pages_read')?.owner).toBe('fitbit');
    expect((await sync(app)).failed[0]).toMatchObject({
      errorCode: 'not-owner',
      message:
        'Exist says Exist Tray no longer owns “Pages read” (another service may have taken it over), so it refused this write. Take it back, or stop tracking it, in Settings → Sync.',
    });
  }, 30_000);

  it('owned by nobody (released at Exist): taken back without asking, as before', async () => {
    const { w, app } = await withPagesRead();
    const other = createExistClient({ baseUrl: w.sandbox.url, auth: staticTokenProvider(w.sandbox.personalToken) });
    await other.release([{ name: 'pages_read' }]);
    expect(attr(w, 'pages_read')?.owner).toBeNull();
    await app.commands.increment('pages_read', 1);
    await app.commands.syncNow();
    expect(attr(w, 'pages_read')?.owner).toBe(w.sandbox.clientId);
    expect(attr(w, 'pages_read')?.values[today(w)]).toBe(2);
    expect((await sync(app)).failed).toEqual([]);
  }, 30_000);
});
