import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { ChannelProvider, useChannel } from '../../src/renderer/src/data/useChannel';
import { SettingsWindow } from '../../src/renderer/src/settings/Settings';
import type { OwnedAttributeView } from '../../src/shared/ipc-contract';
import { createFake, EMPTY_SYNC_VIEW, DISCONNECTED_ACCOUNT } from './fake-api';

afterEach(() => {
  cleanup();
  setApi(null);
});

const ACCOUNT = DISCONNECTED_ACCOUNT;
const SYNC = EMPTY_SYNC_VIEW;
const attr = (name: string, label: string): OwnedAttributeView => ({
  name,
  label,
  group: { name: 'media', label: 'Media', priority: 8 },
  priority: 1,
  template: name,
  manual: true,
  valueType: 0,
  valueTypeDescription: 'Integer',
  prefs: { visible: true, steps: [], order: 0 },
});

function Owned({ id }: { id: string }) {
  const { data, loading, error } = useChannel('attributes:list-owned', {}, 'attributes:changed');
  return (
    <p data-testid={id}>
      {loading && data === null
        ? 'loading'
        : error
          ? `error: ${error.message}`
          : (data ?? []).map((a) => a.label).join(',')}
    </p>
  );
}

describe('useChannel', () => {
  it('the Settings window asks for the owned attributes once, across the three tabs that show them', async () => {
    const fake = createFake({
      'account:get': async () => ACCOUNT,
      'attributes:list-owned': async () => [attr('pages_read', 'Pages read')],
      'attributes:list-templates': async () => [],
      'sync:get': async () => SYNC,
      'jobs:list': async () => [],
    });
    setApi(fake.api);
    render(<SettingsWindow initialTab="account" />);
    await screen.findByRole('button', { name: 'Connect to Exist' });
    for (const tab of ['Attributes', 'Sync', 'Account', 'Attributes']) {
      await act(async () => {
        fireEvent.click(screen.getByRole('tab', { name: tab }));
      });
    }
    await screen.findByText('Pages read');
    expect(fake.callsTo('attributes:list-owned')).toHaveLength(1);
    // One push subscription for the owned list, one that makes the templates ask again.
    expect(fake.listenerCount('attributes:changed')).toBe(2);
  });

  it('two components share one request; a push replaces the data for both; unmount unsubscribes', async () => {
    const fake = createFake({ 'attributes:list-owned': async () => [attr('pages_read', 'Pages read')] });
    setApi(fake.api);
    render(
      <ChannelProvider>
        <Owned id="a" />
        <Owned id="b" />
      </ChannelProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('Pages read'));
    expect(screen.getByTestId('b').textContent).toBe('Pages read');
    expect(fake.callsTo('attributes:list-owned')).toHaveLength(1);
    await act(async () => fake.push('attributes:changed', [attr('mood', 'Mood')]));
    expect(screen.getByTestId('a').textContent).toBe('Mood');
    expect(screen.getByTestId('b').textContent).toBe('Mood');
    cleanup();
    expect(fake.listenerCount('attributes:changed')).toBe(0);
  });

  it('an answer overtaken by a push is dropped, and a refusal is an error, not an exception', async () => {
    let answer: (v: OwnedAttributeView[]) => void = () => {};
    const fake = createFake({
      'attributes:list-owned': () => new Promise<OwnedAttributeView[]>((resolve) => (answer = resolve)),
    });
    setApi(fake.api);
    render(
      <ChannelProvider>
        <Owned id="a" />
      </ChannelProvider>,
    );
    expect(screen.getByTestId('a').textContent).toBe('loading');
    await act(async () => fake.push('attributes:changed', [attr('mood', 'Mood')]));
    await act(async () => answer([attr('pages_read', 'Old answer')]));
    expect(screen.getByTestId('a').textContent).toBe('Mood');
    cleanup();

    const refusing = createFake({});
    setApi(refusing.api);
    render(
      <ChannelProvider>
        <Owned id="c" />
      </ChannelProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('c').textContent).toMatch(/^error: .*not part of this test/));
  });
});
