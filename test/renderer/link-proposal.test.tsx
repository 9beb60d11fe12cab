/**
 * The popover's link proposal: what a link asked for (attribute, value, date), written
 * only when the user clicks "Add it"; Dismiss writes nothing; a pushed proposal shows
 * up while the popover is open.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { LinkProposal } from '../../src/renderer/src/popover/LinkProposal';
import type { LinkProposalView, WriteReceipt } from '../../src/shared/ipc-contract';
import { createFake } from './fake-api';

afterEach(() => {
  cleanup();
  setApi(null);
});

const PROPOSAL: LinkProposalView = {
  id: 'p1',
  attribute: 'pages_read',
  label: 'Pages read',
  valueText: '+2',
  date: '2026-12-01',
  summary: 'Pages read +2 on 2026-12-01',
};
const RECEIPT: WriteReceipt = { id: 'w1', name: 'pages_read', date: '2026-12-01', undoUntil: 0, description: '+2' };

function mount(initial: LinkProposalView | null) {
  let waiting = initial;
  const fake = createFake({
    'links:get-proposal': async () => waiting,
    'links:confirm': async () => {
      waiting = null;
      return RECEIPT;
    },
    'links:dismiss': async ({ id }) => {
      waiting = null;
      return { id };
    },
  });
  setApi(fake.api);
  const added: WriteReceipt[] = [];
  render(<LinkProposal onAdded={(r) => added.push(r)} />);
  return { fake, added };
}

describe('link proposal', () => {
  it('shows the write and sends it only on “Add it”', async () => {
    const { fake, added } = mount(PROPOSAL);
    const region = await screen.findByRole('region', { name: 'A link asks to write to Exist' });
    expect(region.textContent).toContain('Pages read');
    expect(region.textContent).toContain('+2');
    expect(region.textContent).toContain('2026-12-01');
    expect(fake.callsTo('links:confirm')).toEqual([]);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add it' }));
    });
    expect(fake.callsTo('links:confirm')).toEqual([{ id: 'p1' }]);
    expect(added).toEqual([RECEIPT]);
    expect(screen.queryByRole('region', { name: 'A link asks to write to Exist' })).toBeNull();
  });

  it('Dismiss writes nothing; a proposal pushed later appears', async () => {
    const { fake } = mount(null);
    await waitFor(() => expect(fake.callsTo('links:get-proposal')).toHaveLength(1));
    expect(screen.queryByRole('region')).toBeNull();
    await act(async () => fake.push('links:proposal', PROPOSAL));
    await screen.findByRole('region', { name: 'A link asks to write to Exist' });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    });
    expect(fake.callsTo('links:dismiss')).toEqual([{ id: 'p1' }]);
    expect(fake.callsTo('links:confirm')).toEqual([]);
    expect(screen.queryByRole('region')).toBeNull();
  });
});
