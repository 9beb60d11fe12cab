import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { Popover } from '../../src/renderer/src/popover/Popover';
import { createFake, fakeTray, PROFILE, type FakeAttr } from './fake-api';

afterEach(() => {
  cleanup();
  setApi(null);
});

const TODAY = '2026-03-10';
const PAGES: FakeAttr = {
  name: 'pages_read',
  label: 'Pages read',
  group: 'media',
  valueType: 0,
  steps: [5, 10],
  template: 'pages_read',
};
const MOOD: FakeAttr = { name: 'mood', label: 'Mood', group: 'mood', valueType: 8 };

function mount(attrs: FakeAttr[], account: 'connected' | 'disconnected' | 'needs-reconnect' = 'connected') {
  const tray = fakeTray({ today: TODAY, attrs, account });
  const fake = createFake(tray.handlers);
  setApi(fake.api);
  render(<Popover />);
  return { tray, fake };
}

const click = async (el: HTMLElement) => {
  await act(async () => {
    fireEvent.click(el);
  });
};

describe('popover', () => {
  it('+1 increments the attribute for today and the shown value changes', async () => {
    const { fake, tray } = mount([PAGES]);
    const add = await screen.findByRole('button', { name: 'Add 1 to Pages read' });
    await click(add);
    await click(add);
    await click(screen.getByRole('button', { name: 'Add 10 to Pages read' }));
    expect(fake.callsTo('values:increment')).toEqual([
      { name: 'pages_read', delta: 1 },
      { name: 'pages_read', delta: 1 },
      { name: 'pages_read', delta: 10 },
    ]);
    expect(tray.get('pages_read', TODAY)).toBe(12);
    await waitFor(() => expect(screen.getByTestId('value-pages_read').textContent).toBe('12'));
    expect(screen.getByText('Pending')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('sync-state').textContent).toBe('3 queued'));
  });

  it('sends the chosen date: yesterday, then a picked date', async () => {
    const { fake, tray } = mount([PAGES]);
    await click(await screen.findByRole('button', { name: 'Yesterday' }));
    await waitFor(() => expect(fake.callsTo('tray:get-view').at(-1)).toEqual({ date: '2026-03-09' }));
    await click(screen.getByRole('button', { name: 'Add 1 to Pages read' }));
    expect(fake.callsTo('values:increment').at(-1)).toEqual({ name: 'pages_read', delta: 1, date: '2026-03-09' });
    expect(tray.get('pages_read', '2026-03-09')).toBe(1);
    expect(tray.get('pages_read', TODAY)).toBeUndefined();

    await act(async () => {
      fireEvent.change(screen.getByLabelText('Pick a date'), { target: { value: '2026-02-01' } });
    });
    await waitFor(() => expect(fake.callsTo('tray:get-view').at(-1)).toEqual({ date: '2026-02-01' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Total for Pages read' }), { target: { value: '40' } });
    await click(screen.getByRole('button', { name: 'Save total for Pages read' }));
    expect(fake.callsTo('values:set').at(-1)).toEqual({ name: 'pages_read', value: 40, date: '2026-02-01' });
  });

  it('refuses a date in the future with a message and keeps the current date', async () => {
    const { fake } = mount([PAGES]);
    const picker = await screen.findByLabelText('Pick a date');
    const viewsBefore = fake.callsTo('tray:get-view').length;
    await act(async () => {
      fireEvent.change(picker, { target: { value: '2026-03-11' } });
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/Wed 11 Mar is in the future for you/);
    expect(alert.textContent).toMatch(/Pacific\/Auckland/);
    expect(picker.getAttribute('aria-describedby')).toBe(alert.id);
    expect(fake.callsTo('tray:get-view').length).toBe(viewsBefore);
    await click(screen.getByRole('button', { name: 'Add 1 to Pages read' }));
    expect(fake.callsTo('values:increment').at(-1)).toEqual({ name: 'pages_read', delta: 1 });
  });

  it('offers Undo after a write and undoes by receipt id', async () => {
    const { fake, tray } = mount([PAGES]);
    await click(await screen.findByRole('button', { name: 'Add 5 to Pages read' }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Added 5 to pages_read');
    await click(within(status).getByRole('button', { name: 'Undo' }));
    expect(fake.callsTo('values:undo')).toEqual([{ id: 'w1' }]);
    expect(tray.get('pages_read', TODAY)).toBeUndefined();
    await waitFor(() => expect(screen.getByTestId('value-pages_read').textContent).toBe('—'));
    expect(screen.getByRole('status').textContent).toContain('Undone');
    expect(within(screen.getByRole('status')).queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('shows a refused write inline and offers no undo', async () => {
    const fake = createFake({
      ...fakeTray({ today: TODAY, attrs: [PAGES] }).handlers,
      'values:increment': async () => {
        throw new (await import('./fake-api')).Refusal({
          code: 'no-scope',
          message: 'Exist Tray may not write media: reconnect with media_write',
        });
      },
    });
    setApi(fake.api);
    render(<Popover />);
    await click(await screen.findByRole('button', { name: 'Add 1 to Pages read' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Exist Tray may not write media: reconnect with media_write');
    expect(screen.getByRole('button', { name: 'Add 1 to Pages read' }).getAttribute('aria-describedby')).toBe(alert.id);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('groups follow the order chosen in Settings (Exist priority breaks ties); hidden attributes are left out', async () => {
    mount([PAGES, MOOD, { name: 'hidden', label: 'Hidden one', group: 'media', valueType: 0, visible: false }]);
    const headings = await screen.findAllByRole('heading', { level: 2 });
    expect(headings.map((h) => h.textContent)).toEqual(['Media', 'Mood']);
    expect(screen.queryByText('Hidden one')).toBeNull();
    cleanup();
    mount([
      { ...PAGES, order: 1 },
      { ...MOOD, order: 0 },
    ]);
    const moved = await screen.findAllByRole('heading', { level: 2 });
    expect(moved.map((h) => h.textContent)).toEqual(['Mood', 'Media']);
    cleanup();
    mount([
      { ...PAGES, order: 0 },
      { ...MOOD, order: 0 },
    ]);
    const tied = await screen.findAllByRole('heading', { level: 2 });
    expect(tied.map((h) => h.textContent)).toEqual(['Mood', 'Media']);
  });

  it('re-reads the view on a values push and unsubscribes on unmount', async () => {
    const { fake, tray } = mount([PAGES]);
    await screen.findByRole('button', { name: 'Add 1 to Pages read' });
    tray.values.set(`pages_read@${TODAY}`, 33);
    await act(async () => fake.push('values:changed', { names: ['pages_read'], dates: [TODAY] }));
    await waitFor(() => expect(screen.getByTestId('value-pages_read').textContent).toBe('33'));
    expect(fake.listenerCount('values:changed')).toBe(1);
    cleanup();
    expect(fake.listenerCount('values:changed')).toBe(0);
    expect(fake.listenerCount('sync:changed')).toBe(0);
  });

  it('not connected: offers to connect, opening the account tab', async () => {
    const { fake } = mount([PAGES], 'disconnected');
    await click(await screen.findByRole('button', { name: 'Connect your Exist account' }));
    expect(fake.sentTo('window:open-settings')).toEqual([{ tab: 'account' }]);
    expect(screen.queryByRole('button', { name: 'Add 1 to Pages read' })).toBeNull();
  });

  it('connected, nothing chosen yet: says who is connected and what to do next, opening Attributes', async () => {
    const { fake } = mount([]);
    expect(await screen.findByRole('heading', { name: `Connected as ${PROFILE.first_name}` })).toBeTruthy();
    expect(screen.getByText(/Choose what to track in Settings → Attributes/)).toBeTruthy();
    expect(screen.queryByText(/Waiting for Exist/)).toBeNull();
    await click(screen.getByRole('button', { name: 'Choose attributes' }));
    expect(fake.sentTo('window:open-settings')).toEqual([{ tab: 'attributes' }]);
  });

  it('while the first read of the attributes is under way: says it is loading, never "Waiting for Exist"', async () => {
    const tray = fakeTray({ today: TODAY, attrs: [], attributes: 'reading' });
    setApi(createFake(tray.handlers).api);
    render(<Popover />);
    expect((await screen.findByRole('status')).textContent).toBe('Loading your attributes from Exist…');
    expect(screen.queryByText(/Waiting for Exist/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Choose attributes' })).toBeNull();
  });

  it('Esc closes the popover', async () => {
    const { fake } = mount([PAGES]);
    await screen.findByRole('button', { name: 'Add 1 to Pages read' });
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Total for Pages read' }), { key: 'Escape' });
    expect(fake.sentTo('window:close')).toEqual([{}]);
  });

  it('arrow keys move focus between rows, keeping the column', async () => {
    mount([PAGES, { name: 'time_reading', label: 'Time reading', group: 'media', valueType: 3, steps: [15] }]);
    const first = await screen.findByRole('button', { name: 'Add 5 to Pages read' });
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add 15 minutes to Time reading' }));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(first);
  });

  it('Sync now and Settings in the footer', async () => {
    const { fake } = mount([PAGES]);
    await click(await screen.findByRole('button', { name: 'Add 1 to Pages read' }));
    await waitFor(() => expect(screen.getByTestId('sync-state').textContent).toBe('1 queued'));
    await click(screen.getByRole('button', { name: 'Sync now' }));
    expect(fake.callsTo('sync:now')).toHaveLength(1);
    await waitFor(() => expect(screen.getByText('All synced')).toBeTruthy());
    await click(screen.getByRole('button', { name: 'Open settings' }));
    expect(fake.sentTo('window:open-settings')).toEqual([{}]);
  });
});
