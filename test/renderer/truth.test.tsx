/**
 * Issue 16, "the interface tells the truth": one test per Why-bullet that a component
 * test can show (the Playwright side is test/e2e/truth.spec.ts).
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { Popover } from '../../src/renderer/src/popover/Popover';
import { SettingsWindow } from '../../src/renderer/src/settings/Settings';
import { syncState } from '../../src/core/sync-state';
import type { AccountView, FailedWriteView, InvokeHandlers, SyncView } from '../../src/shared/ipc-contract';
import { createFake, fakeTray, type FakeAttr } from './fake-api';

afterEach(() => {
  cleanup();
  setApi(null);
});

const TODAY = '2026-03-10';
const PAGES: FakeAttr = { name: 'pages_read', label: 'Pages read', group: 'media', valueType: 0, steps: [5] };
const refused = (id: string, name = 'pages_read'): FailedWriteView => ({
  id,
  name,
  date: '2026-03-09',
  kind: 'increment',
  value: 5,
  errorCode: 'validation',
  message: 'Exist refused this value.',
  at: 0,
});
const SYNC: SyncView = {
  pending: 0,
  queued: [],
  sending: false,
  progress: null,
  lastSyncAt: null,
  lastError: null,
  failed: [],
  maybeDoubled: [],
  rate: { used: 0, limit: 300, pausedUntil: null },
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
const TRUSTED = { url: 'test://', trusted: true };

function settings(handlers: Partial<InvokeHandlers>, tab: 'sync' | 'account' = 'sync') {
  const fake = createFake({
    'attributes:list-owned': async () => [],
    'jobs:list': async () => [],
    'sync:get-state': async () =>
      syncState({
        account: (await (handlers['account:get'] ?? (async () => ACCOUNT))({}, TRUSTED)).status,
        sync: await (handlers['sync:get'] ?? (async () => SYNC))({}, TRUSTED),
        now: Date.now(),
      }),
    ...handlers,
  });
  setApi(fake.api);
  render(<SettingsWindow initialTab={tab} />);
  return fake;
}

describe('sync state: never "all synced" while anything is failed, queued or flagged', () => {
  it('the popover footer says "1 failed" while a refused write is listed as Failed', async () => {
    const tray = fakeTray({ today: TODAY, attrs: [PAGES], sync: { failed: [refused('f1')] } });
    setApi(createFake(tray.handlers).api);
    render(<Popover />);
    await waitFor(() => expect(screen.getByTestId('sync-state').textContent).toBe('1 failed'));
    expect(screen.queryByText('All synced')).toBeNull();
  });

  it('the Sync tab says "1 failed", not "Everything is sent."', async () => {
    settings({ 'sync:get': async () => ({ ...SYNC, failed: [refused('f1')] }) });
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('1 failed'));
    expect(screen.queryByText(/Everything is sent/)).toBeNull();
  });

  it('a paused queue says until when and why', async () => {
    const until = new Date(2026, 2, 10, 14, 5).getTime();
    settings({
      'sync:get': async () => ({
        ...SYNC,
        pending: 4,
        lastError: { code: 'rate-limited', message: 'x' },
        rate: { used: 300, limit: 300, pausedUntil: Math.max(until, Date.now() + 3_600_000) },
      }),
    });
    await waitFor(() =>
      expect(screen.getByTestId('sync-pending').textContent).toMatch(
        /^Paused until \d\d:\d\d \(Exist’s hourly limit\) · 4 queued$/,
      ),
    );
  });
});

describe('write-only: never both failed and "may have counted twice"', () => {
  it('an item that failed is not listed again under "May have counted twice"', async () => {
    settings({ 'sync:get': async () => ({ ...SYNC, failed: [refused('x')], maybeDoubled: [refused('x')] }) });
    await screen.findByRole('region', { name: 'Failed' });
    expect(screen.queryByRole('region', { name: 'May have counted twice' })).toBeNull();
    expect(screen.getByTestId('sync-pending').textContent).toBe('1 failed');
  });
});

describe('a deliberate Disconnect', () => {
  it('the Sync tab says disconnected (not a refused token) and Sync now is disabled', async () => {
    settings({
      'account:get': async () => ({ ...ACCOUNT, status: 'disconnected', scopes: [] }),
      'sync:get': async () => ({
        ...SYNC,
        pending: 2,
        lastError: { code: 'needs-reconnect', message: 'Exist no longer accepts this app’s token.' },
      }),
    });
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('Disconnected · 2 queued'));
    expect(screen.queryByText(/no longer accepts/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(true);
  });
});

export { act, fireEvent, within };
