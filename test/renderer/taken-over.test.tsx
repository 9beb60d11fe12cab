/**
 * Settings → Sync after Exist refused writes because another service took the attribute
 * over (issue 18): the row says so in words and offers "Take it back" (through the
 * ownership confirmation, then `attributes:take-back`) or "Stop tracking".
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { SettingsWindow } from '../../src/renderer/src/settings/Settings';
import { syncState } from '../../src/core/sync-state';
import type { AccountView, FailedWriteView, InvokeHandlers, OwnedAttributeView } from '../../src/shared/ipc-contract';
import type { OwnershipView } from '../../src/shared/features';
import { createFake, EMPTY_SYNC_VIEW } from './fake-api';

afterEach(() => {
  cleanup();
  setApi(null);
});

const MESSAGE = 'Fitbit took over “Pages read” at Exist, so Exist refused this write.';
const refused = (id: string, errorCode = 'not-owner', message = MESSAGE): FailedWriteView => ({
  id,
  name: 'pages_read',
  date: '2026-03-09',
  kind: 'increment',
  value: 1,
  errorCode,
  message,
  at: 0,
});
const PAGES: OwnedAttributeView = {
  name: 'pages_read',
  label: 'Pages read',
  group: { name: 'media', label: 'Media', priority: 1 },
  priority: 1,
  template: 'pages_read',
  manual: true,
  valueType: 0,
  valueTypeDescription: 'Integer',
  prefs: { visible: true, steps: [1], order: 0 },
};
const ACCOUNT: AccountView = {
  status: 'connected',
  server: { kind: 'sandbox', baseUrl: 'http://127.0.0.1:1' },
  clientId: null,
  hasClientSecret: false,
  scopes: ['media_read', 'media_write'],
  expiresAt: null,
  profile: null,
  authorizeUrl: null,
  error: null,
};
const OWNERSHIP: OwnershipView = {
  name: 'pages_read',
  exists: true,
  label: 'Pages read',
  type: 'Integer',
  owner: 'Fitbit',
  ownedByUs: false,
  confirm: true,
  sentence:
    '“Pages read” (Integer) is written by Fitbit now; take it over so Exist Tray writes it and Fitbit stops updating it?',
};

function syncTab(failed: FailedWriteView[], extra: Partial<InvokeHandlers> = {}) {
  let current = { ...EMPTY_SYNC_VIEW, failed };
  const fake = createFake({
    'account:get': async () => ACCOUNT,
    'attributes:list-owned': async () => [PAGES],
    'jobs:list': async () => [],
    'sync:get': async () => current,
    'sync:get-state': async () => syncState({ account: 'connected', sync: current, now: Date.now() }),
    'attributes:ownership': async () => OWNERSHIP,
    'attributes:take-back': async () => {
      current = { ...current, failed: [] };
      return { message: 'Exist Tray writes “Pages read” again; 2 refused writes sent again.' };
    },
    'attributes:stop-tracking': async () => {
      current = { ...current, failed: [] };
      return { message: 'Exist Tray no longer writes “Pages read”; 2 refused writes discarded.' };
    },
    ...extra,
  });
  setApi(fake.api);
  render(<SettingsWindow initialTab="sync" />);
  return fake;
}

describe('Sync tab: writes refused because another service owns the attribute', () => {
  it('one row per attribute says so in words, apart from the other failures', async () => {
    syncTab([refused('a'), refused('b'), refused('c', 'validation', 'Exist refused this value.')]);
    const region = await screen.findByRole('region', { name: 'Taken over by another service' });
    const row = within(region).getByTestId('taken-over-pages_read');
    expect(row.textContent).toContain('Pages read · 2 writes refused');
    expect(row.textContent).toContain(MESSAGE);
    const failed = screen.getByRole('region', { name: 'Failed' });
    expect(within(failed).getAllByRole('listitem')).toHaveLength(1); // the validation failure only
    expect(within(failed).queryByText(MESSAGE)).toBeNull();
  });

  it('Take it back asks first, in one sentence, then takes it back', async () => {
    const fake = syncTab([refused('a'), refused('b')]);
    fireEvent.click(await screen.findByRole('button', { name: 'Take Pages read back' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('is written by Fitbit now; take it over');
    expect(fake.callsTo('attributes:take-back')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Take it over' }));
    await waitFor(() => expect(fake.callsTo('attributes:take-back')).toEqual([{ name: 'pages_read' }]));
    expect(fake.callsTo('attributes:ownership')).toEqual([{ by: 'name', name: 'pages_read' }]);
    await screen.findByText('Exist Tray writes “Pages read” again; 2 refused writes sent again.');
    await waitFor(() => expect(screen.queryByTestId('taken-over-pages_read')).toBeNull());
  });

  it('Cancel in the confirmation leaves it with the other service', async () => {
    const fake = syncTab([refused('a')]);
    fireEvent.click(await screen.findByRole('button', { name: 'Take Pages read back' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(fake.callsTo('attributes:take-back')).toEqual([]);
    expect(screen.getByTestId('taken-over-pages_read')).toBeTruthy();
  });

  it('Stop tracking leaves it to the other service and says what happened', async () => {
    const fake = syncTab([refused('a'), refused('b')]);
    fireEvent.click(await screen.findByRole('button', { name: 'Stop tracking Pages read' }));
    await screen.findByText('Exist Tray no longer writes “Pages read”; 2 refused writes discarded.');
    expect(fake.callsTo('attributes:stop-tracking')).toEqual([{ name: 'pages_read' }]);
    expect(fake.callsTo('attributes:take-back')).toEqual([]);
  });
});
