/**
 * Reminders across a restart: two app cores, one after the other, over one data folder and
 * one sandbox, on one jumpable clock. What the first core handled (a reminder shown, a
 * snooze) must hold in the second: the snooze comes back, a shown reminder is not shown
 * again, and a damaged reminders.json is set aside with a notice, not a crash.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppCore } from '../../../src/core/app';
import type { TrayView } from '../../../src/shared/ipc-contract';
import { run, trusted, world as makeWorld, type World } from '../../support/app-world';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const world = () => makeWorld(cleanup);

const reminders = (w: World) => w.shown.filter((n) => n.kind === 'reminder');

/** The first run: Pages read with a reminder a minute ahead; the minute passes and it is shown. */
async function firstRunShowsReminder(w: World): Promise<AppCore> {
  const a = await run(w);
  await a.invoke['attributes:acquire']({ by: 'template', name: 'pages_read' }, trusted);
  const view = (await a.invoke['tray:get-view']({}, trusted)) as TrayView;
  expect(view.timezone).toBe('UTC');
  const minute = Math.floor((w.clock.ms() % 86_400_000) / 60_000);
  const at = (minute + 1) % 1440;
  const reminder = { times: [at], weekdays: [0, 1, 2, 3, 4, 5, 6], condition: 'nothing-logged' as const };
  await a.invoke['attributes:set-prefs']({ name: 'pages_read', reminder }, trusted);
  w.clock.jump(61_000);
  expect(reminders(w)).toHaveLength(1);
  return a;
}

describe('reminder state across a restart (two app cores over one folder)', () => {
  it('a snooze taken before the restart comes back after it', async () => {
    const w = await world();
    const a = await firstRunShowsReminder(w);
    await a.invoke['reminders:act']({ attribute: 'pages_read', action: 'snooze' }, trusted);
    await a.stop();

    const b = await run(w);
    cleanup.push(() => b.stop());
    w.clock.jump(15 * 60_000 + 1_000);
    expect(reminders(w)).toHaveLength(2);
    expect(reminders(w)[1]).toMatchObject({ title: 'Reminder: Pages read', body: /^Nothing logged today yet/ });
  }, 30_000);

  it('a snooze that ended during the restart still comes back once', async () => {
    const w = await world();
    const a = await firstRunShowsReminder(w);
    await a.invoke['reminders:act']({ attribute: 'pages_read', action: 'snooze' }, trusted);
    await a.stop();
    w.clock.jump(16 * 60_000); // the app was closed while the snooze ran out, a minute ago

    const b = await run(w);
    cleanup.push(() => b.stop());
    w.clock.jump(1_500);
    expect(reminders(w)).toHaveLength(2);
    w.clock.jump(30 * 60_000);
    expect(reminders(w)).toHaveLength(2);
  }, 30_000);

  it('a reminder shown before the restart is not shown again, even when the owned list arrives late', async () => {
    const w = await world();
    const a = await firstRunShowsReminder(w);
    await a.stop();
    // The next run starts before it has the owned list (an older cache, or none yet).
    rmSync(join(w.dir, 'owned.json'), { force: true });
    const b = await run(w);
    cleanup.push(() => b.stop());
    await b.invoke['attributes:list-owned']({ refresh: true }, trusted);
    w.clock.jump(2_000);
    expect(reminders(w)).toHaveLength(1);
  }, 30_000);

  it('a damaged reminders.json is set aside with a notice, and reminders go on', async () => {
    const w = await world();
    const a = await firstRunShowsReminder(w);
    await a.stop();
    writeFileSync(join(w.dir, 'reminders.json'), '{"version":1,"handled":');

    const b = await run(w);
    cleanup.push(() => b.stop());
    expect(w.shown.find((n) => n.title === 'Reminders reset')?.body).toMatch(
      /The reminders file \(reminders\.json\) could not be read .* it was kept as .*reminders\.json\.corrupt-\d+/,
    );
    expect(readdirSync(w.dir).filter((f) => f.startsWith('reminders.json.corrupt-'))).toHaveLength(1);
    w.clock.jump(2_000);
    expect(reminders(w)).toHaveLength(1); // today's past time counts as handled: no burst
    expect(existsSync(join(w.dir, 'reminders.json'))).toBe(true); // written afresh
  }, 30_000);
});
