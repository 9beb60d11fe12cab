/**
 * The links service: a link's write becomes one proposal the popover shows; only the
 * user's click (with the proposal's random id) writes it, through the same write path
 * as the popover's own buttons. A page cannot confirm a proposal it has not seen.
 */
import { describe, expect, it } from 'vitest';
import { createLinksService, type LinksDeps } from '../../../src/core/app/services/links';
import { createLaunchHandler } from '../../../src/core/launch/apply';
import type { LinkProposalView, WriteReceipt } from '../../../src/shared/ipc-contract';
import { VALUE_TYPES } from '../../../src/shared/domain';

const sender = { url: 'test:', trusted: true };

function setup(auto = false) {
  const writes: unknown[] = [];
  const pushes: (LinkProposalView | null)[] = [];
  const told: string[] = [];
  let n = 0;
  const deps: LinksDeps = {
    context: async () => ({
      today: '2026-12-01',
      accountSince: null,
      attribute: (name) =>
        name === 'pages_read' ? { label: 'Pages read', valueType: VALUE_TYPES.integer } : undefined,
    }),
    applyWithoutAsking: () => auto,
    write: async (cmd) => {
      writes.push(cmd);
      return {
        id: `w${writes.length}`,
        name: cmd.args.name,
        date: '2026-12-01',
        undoUntil: 0,
        description: 'ok',
      } as WriteReceipt;
    },
    other: async () => undefined,
    push: (p) => pushes.push(p),
    tell: (_t, b) => told.push(b),
    newId: () => `p${++n}`,
  };
  const links = createLinksService(deps);
  let popovers = 0;
  const handle = createLaunchHandler({
    apply: async () => undefined,
    notifier: { notify: () => undefined },
    showPopover: () => popovers++,
    decide: links.decide,
  });
  const open = async (url: string) => {
    handle(['/exe', url], true);
    await links.settled();
  };
  return { links, writes, pushes, told, open, popovers: () => popovers };
}

describe('links service', () => {
  it('a link’s write is proposed, shown, and written only on confirm', async () => {
    const t = setup();
    await t.open('exist-tray://increment?attribute=pages_read&value=2');
    expect(t.popovers()).toBe(1);
    expect(t.writes).toEqual([]);
    const shown = await t.links.handlers['links:get-proposal']({}, sender);
    expect(shown).toEqual({
      id: 'p1',
      attribute: 'pages_read',
      label: 'Pages read',
      valueText: '+2',
      date: '2026-12-01',
      summary: 'Pages read +2 on 2026-12-01',
    });
    expect(t.pushes).toEqual([shown]);

    await expect(t.links.handlers['links:confirm']({ id: 'guessed' }, sender)).rejects.toMatchObject({
      code: 'proposal-gone',
    });
    expect(t.writes).toEqual([]);
    const receipt = await t.links.handlers['links:confirm']({ id: 'p1' }, sender);
    expect(receipt.id).toBe('w1');
    expect(t.writes).toEqual([{ command: 'increment', args: { name: 'pages_read', delta: 2, date: '2026-12-01' } }]);
    expect(t.pushes.at(-1)).toBeNull();
    // Confirmed once: a second click writes nothing.
    await expect(t.links.handlers['links:confirm']({ id: 'p1' }, sender)).rejects.toMatchObject({
      code: 'proposal-gone',
    });
    expect(t.writes).toHaveLength(1);
  });

  it('dismiss drops it; a newer link replaces the older proposal', async () => {
    const t = setup();
    await t.open('exist-tray://increment?attribute=pages_read&value=2');
    await t.open('exist-tray://set?attribute=pages_read&value=40&date=2026-11-30');
    expect(await t.links.handlers['links:get-proposal']({}, sender)).toMatchObject({
      id: 'p2',
      summary: 'Pages read set to 40 on 2026-11-30',
    });
    await expect(t.links.handlers['links:confirm']({ id: 'p1' }, sender)).rejects.toThrow(/no longer waiting/);
    expect(await t.links.handlers['links:dismiss']({ id: 'p2' }, sender)).toEqual({ id: 'p2' });
    expect(await t.links.handlers['links:get-proposal']({}, sender)).toBeNull();
    expect(t.writes).toEqual([]);
  });

  it('with “Apply links without asking”: written at once, nothing proposed; out-of-range still refused', async () => {
    const t = setup(true);
    await t.open('exist-tray://increment?attribute=pages_read&value=2');
    expect(t.writes).toHaveLength(1);
    expect(t.pushes).toEqual([]);
    await t.open('exist-tray://increment?attribute=pages_read&value=2147483647&date=2000-01-01');
    expect(t.writes).toHaveLength(1);
    expect(t.told.at(-1)).toMatch(/before your Exist account existed/);
  });
});
