import { describe, expect, it } from 'vitest';
import { statusLines } from '../../src/cli/commands/account';
import { syncState } from '../../src/core/sync-state';
import type { AccountView, OwnedAttributeView, SyncView } from '../../src/shared/ipc-contract';

const account: AccountView = {
  status: 'connected',
  server: { kind: 'sandbox', baseUrl: 'http://127.0.0.1:1' },
  clientId: 'c',
  hasClientSecret: true,
  scopes: ['media_write'],
  expiresAt: null,
  profile: null,
  authorizeUrl: null,
  error: null,
};
const pages: OwnedAttributeView = {
  name: 'pages_read',
  label: 'Pages read',
  group: { name: 'media', label: 'Media', priority: 8 },
  priority: 1,
  template: 'pages_read',
  manual: true,
  valueType: 0,
  valueTypeDescription: 'Integer',
  prefs: { visible: true, steps: [], order: 0 },
};
const sync: SyncView = {
  pending: 2,
  queued: [],
  sending: false,
  progress: null,
  lastSyncAt: null,
  lastError: null,
  failed: [
    {
      id: 'a',
      name: 'pages_read',
      date: '2026-12-01',
      kind: 'increment',
      value: 1,
      errorCode: 'rejected',
      message: 'Exist refused this value.',
      at: 0,
    },
  ],
  maybeDoubled: [],
  rate: { used: 0, limit: 300, pausedUntil: null },
};

describe('exist-tray status', () => {
  it('leads with the same sync state as the tray, and names attributes by label', () => {
    const state = syncState({ account: 'connected', sync, now: 0 });
    const lines = statusLines(account, [pages], sync, state);
    expect(lines[0]).toBe(
      'Sync:           1 failed · 2 queued — Exist refused 1 entry: see Settings → Sync to retry or discard.',
    );
    expect(lines.join('\n')).not.toMatch(/synced/i);
    expect(lines).toContain('  Pages read on 2026-12-01 (increment 1): Exist refused this value.');
  });
});
