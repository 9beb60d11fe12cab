import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { SettingsWindow } from '../../src/renderer/src/settings/Settings';
import type {
  AccountView,
  InvokeHandlers,
  OwnedAttributeView,
  Settings,
  SyncView,
  TemplateView,
} from '../../src/shared/ipc-contract';
import { syncState } from '../../src/core/sync-state';
import { createFake, PROFILE, Refusal, EMPTY_SYNC_VIEW, DISCONNECTED_ACCOUNT } from './fake-api';

const TRUSTED = { url: 'test://', trusted: true };
const EMPTY_SYNC = EMPTY_SYNC_VIEW;

afterEach(() => {
  cleanup();
  setApi(null);
});

const DISCONNECTED = DISCONNECTED_ACCOUNT;

const PAGES: OwnedAttributeView = {
  name: 'pages_read',
  label: 'Pages read',
  group: { name: 'media', label: 'Media', priority: 8 },
  priority: 1,
  template: 'pages_read',
  manual: true,
  valueType: 0,
  valueTypeDescription: 'Integer',
  prefs: { visible: true, steps: [5, 10], order: 0 },
};
const TIME: OwnedAttributeView = {
  ...PAGES,
  name: 'time_reading',
  label: 'Time reading',
  template: null,
  valueType: 3,
  valueTypeDescription: 'Period (minutes as integer)',
  prefs: { visible: true, steps: [], order: 1 },
};

const click = async (el: HTMLElement) => {
  await act(async () => {
    fireEvent.click(el);
  });
};

function mount(handlers: Partial<InvokeHandlers>, tab: 'account' | 'attributes' | 'sync' | 'general' = 'account') {
  const account = handlers['account:get'];
  const sync = handlers['sync:get'];
  const fake = createFake({
    'attributes:list-owned': async () => [],
    // The core's sync state, built from what this test's account and sync handlers answer.
    'sync:get-state': async () =>
      syncState({
        account: account ? (await account({}, TRUSTED)).status : 'connected',
        sync: sync ? await sync({}, TRUSTED) : EMPTY_SYNC,
        now: Date.now(),
      }),
    ...handlers,
  });
  setApi(fake.api);
  render(<SettingsWindow initialTab={tab} />);
  return fake;
}

describe('account: connect form', () => {
  it('refuses an empty form with a message per field and sends nothing', async () => {
    const fake = mount({ 'account:get': async () => DISCONNECTED });
    await click(await screen.findByRole('button', { name: 'Connect to Exist' }));
    const id = screen.getByLabelText('Client ID');
    const secret = screen.getByLabelText('Client secret');
    expect(id.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(id.getAttribute('aria-describedby') as string)?.textContent).toMatch(
      /Enter the client ID/,
    );
    expect(document.getElementById(secret.getAttribute('aria-describedby') as string)?.textContent).toMatch(
      /client secret/,
    );
    expect(fake.callsTo('account:connect')).toEqual([]);
  });

  it('refuses a client ID with spaces and a form with no write scope', async () => {
    const fake = mount({ 'account:get': async () => DISCONNECTED });
    fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'abc def' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 's3cret' } });
    const mediaWrite = screen.getByRole('checkbox', { name: 'Media write' }) as HTMLInputElement;
    expect(mediaWrite.checked).toBe(true); // pre-ticked: pages_read needs media_write
    fireEvent.click(mediaWrite);
    await click(screen.getByRole('button', { name: 'Connect to Exist' }));
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toContain('A client ID has no spaces — copy it again from the Developer apps page');
    expect(alerts.some((a) => /at least one write permission/.test(a ?? ''))).toBe(true);
    expect(fake.callsTo('account:connect')).toEqual([]);
  });

  it('connects with trimmed credentials and the ticked scopes, pre-ticking what owned attributes need', async () => {
    const fake = mount({
      'account:get': async () => DISCONNECTED,
      'attributes:list-owned': async () => [
        PAGES,
        { ...TIME, group: { name: 'productivity', label: 'Productivity', priority: 2 } },
      ],
      'account:connect': async () => ({
        ...DISCONNECTED,
        status: 'connecting',
        authorizeUrl: 'http://127.0.0.1:9/oauth2/authorize?x=1',
      }),
    });
    await waitFor(() =>
      expect((screen.getByRole('checkbox', { name: 'Productivity write' }) as HTMLInputElement).checked).toBe(true),
    );
    expect(screen.getByText('http://localhost:8000/')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Media read' }));
    fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: '  myclient ' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'sec' } });
    await click(screen.getByRole('button', { name: 'Connect to Exist' }));
    expect(fake.callsTo('account:connect')).toEqual([
      {
        clientId: 'myclient',
        clientSecret: 'sec',
        scopes: ['media_read', 'media_write', 'productivity_write'],
        server: 'exist',
      },
    ]);
    // waiting state
    await click(await screen.findByRole('button', { name: 'Open the Exist page again' }));
    expect(fake.sentTo('shell:open-external')).toEqual([{ url: 'http://127.0.0.1:9/oauth2/authorize?x=1' }]);
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('shows a connect failure in words', async () => {
    mount({
      'account:get': async () => DISCONNECTED,
      'account:connect': async () => {
        throw new Refusal({
          code: 'port-busy',
          message: 'Port 8000 is in use by another program; close it and try again',
        });
      },
    });
    fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'id' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'sec' } });
    await click(screen.getByRole('button', { name: 'Connect to Exist' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Port 8000 is in use by another program; close it and try again',
    );
  });

  it('the sandbox needs no credentials', async () => {
    const fake = mount({ 'account:get': async () => DISCONNECTED, 'account:connect': async () => DISCONNECTED });
    await click(await screen.findByRole('button', { name: 'Try it with the local sandbox' }));
    // Nothing leaves the computer: every read and write scope, so any template can be added
    // without reconnecting and the sparklines show.
    const [call] = fake.callsTo('account:connect');
    expect(call).toMatchObject({ clientId: '', clientSecret: '', server: 'sandbox' });
    for (const s of ['media_write', 'media_read', 'mood_write', 'manual_write', 'manual_read'])
      expect(call?.scopes).toContain(s);
    expect(call?.scopes.every((s) => /_(read|write)$/.test(s))).toBe(true);
  });

  it('connected: profile, expiry, refresh, and disconnect only after confirming', async () => {
    const connected: AccountView = {
      ...DISCONNECTED,
      status: 'connected',
      clientId: 'id',
      hasClientSecret: true,
      scopes: ['media_write'],
      expiresAt: Date.UTC(2027, 10, 30, 12),
      profile: PROFILE,
    };
    const fake = mount({
      'account:get': async () => connected,
      'account:refresh': async () => connected,
      'account:disconnect': async () => DISCONNECTED,
    });
    expect((await screen.findByTestId('token-expiry')).textContent).toBe(
      'Token renews automatically; expires Tue 30 Nov 2027',
    );
    expect(screen.getByTestId('profile-timezone').textContent).toBe('Pacific/Auckland');
    await click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(fake.callsTo('account:refresh')).toHaveLength(1);
    await click(screen.getByRole('button', { name: 'Disconnect' }));
    expect(fake.callsTo('account:disconnect')).toHaveLength(0);
    await click(screen.getByRole('button', { name: 'Yes, disconnect' }));
    expect(fake.callsTo('account:disconnect')).toHaveLength(1);
    expect(await screen.findByRole('button', { name: 'Connect to Exist' })).toBeTruthy();
  });

  it('follows account pushes', async () => {
    const fake = mount({ 'account:get': async () => DISCONNECTED });
    await screen.findByRole('button', { name: 'Connect to Exist' });
    await act(async () =>
      fake.push('account:changed', { ...DISCONNECTED, status: 'connecting', authorizeUrl: 'http://x/' }),
    );
    expect(screen.getByRole('button', { name: 'Open the Exist page again' })).toBeTruthy();
  });
});

describe('tabs', () => {
  it('window:show-tab switches tab; arrows move between tabs', async () => {
    const fake = mount({
      'account:get': async () => DISCONNECTED,
      'settings:get': async () => SETTINGS,
      'attributes:list-templates': async () => [],
    });
    await screen.findByRole('button', { name: 'Connect to Exist' });
    await act(async () => fake.push('window:show-tab', { tab: 'general' }));
    expect(screen.getByRole('tab', { name: 'General' }).getAttribute('aria-selected')).toBe('true');
    expect(await screen.findByLabelText('Global shortcut')).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'General' }), { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'Sync' }).getAttribute('aria-selected')).toBe('true');
  });
});

const TEMPLATES: TemplateView[] = [
  {
    name: 'pages_read',
    label: 'Pages read',
    group: 'media',
    value_type: 0,
    value_type_description: 'Integer',
    owned: false,
  },
  { name: 'mood', label: 'Mood', group: 'mood', value_type: 8, value_type_description: 'Scale', owned: false },
];

describe('attributes', () => {
  it('adds from a template, explaining the template-vs-name rule', async () => {
    const fake = mount(
      {
        'attributes:list-templates': async () => TEMPLATES,
        'attributes:acquire': async () => PAGES,
      },
      'attributes',
    );
    expect(screen.getByText(/Adding from a template gives you Exist's own attribute/)).toBeTruthy();
    await click(await screen.findByRole('button', { name: 'Add Pages read' }));
    expect(fake.callsTo('attributes:acquire')).toEqual([{ by: 'template', name: 'pages_read' }]);
    expect(await screen.findByRole('checkbox', { name: 'Show Pages read in the tray' })).toBeTruthy();
  });

  it('adding by name checks the name first', async () => {
    const fake = mount(
      { 'attributes:list-templates': async () => [], 'attributes:acquire': async () => TIME },
      'attributes',
    );
    fireEvent.change(await screen.findByLabelText('Attribute name'), { target: { value: 'Time reading' } });
    await click(screen.getByRole('button', { name: 'Add by name' }));
    expect(screen.getByRole('alert').textContent).toMatch(/a–z, 0–9 and _/);
    expect(fake.callsTo('attributes:acquire')).toEqual([]);
    fireEvent.change(screen.getByLabelText('Attribute name'), { target: { value: 'time_reading' } });
    await click(screen.getByRole('button', { name: 'Add by name' }));
    expect(fake.callsTo('attributes:acquire')).toEqual([{ by: 'name', name: 'time_reading' }]);
  });

  it('creates a custom attribute and requires a label', async () => {
    const fake = mount(
      { 'attributes:list-templates': async () => [], 'attributes:create': async () => TIME },
      'attributes',
    );
    await click(await screen.findByRole('button', { name: 'Create attribute' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Enter a label/);
    fireEvent.change(screen.getByLabelText('Label'), { target: { value: 'Time reading' } });
    fireEvent.change(screen.getByLabelText('Value type'), { target: { value: 'duration' } });
    await click(screen.getByRole('button', { name: 'Create attribute' }));
    expect(fake.callsTo('attributes:create')).toEqual([
      { label: 'Time reading', group: 'custom', valueType: 'duration', manual: true },
    ]);
  });

  it('edits steps (durations in minutes), refusing bad ones', async () => {
    const fake = mount(
      {
        'attributes:list-owned': async () => [PAGES, TIME],
        'attributes:list-templates': async () => [],
        'attributes:set-prefs': async (req) => ({ ...TIME, prefs: { ...TIME.prefs, steps: req.steps ?? [] } }),
      },
      'attributes',
    );
    const steps = await screen.findByRole('textbox', { name: 'Steps for Time reading' });
    fireEvent.change(steps, { target: { value: '5m, abc' } });
    await click(screen.getByRole('button', { name: 'Save steps for Time reading' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^abc: /);
    expect(fake.callsTo('attributes:set-prefs')).toEqual([]);
    fireEvent.change(steps, { target: { value: '5m, 15m, 1h' } });
    await click(screen.getByRole('button', { name: 'Save steps for Time reading' }));
    expect(fake.callsTo('attributes:set-prefs')).toEqual([{ name: 'time_reading', steps: [5, 15, 60] }]);
    expect((screen.getByRole('textbox', { name: 'Steps for Pages read' }) as HTMLInputElement).value).toBe('5, 10');
  });

  it('reorders and releases only after confirming', async () => {
    const fake = mount(
      {
        'attributes:list-owned': async () => [PAGES, TIME],
        'attributes:list-templates': async () => [],
        'attributes:reorder': async ({ names }) =>
          names.map((n, i) => ({ ...(n === 'pages_read' ? PAGES : TIME), prefs: { ...PAGES.prefs, order: i } })),
        'attributes:release': async ({ name }) => ({ name }),
      },
      'attributes',
    );
    await click(await screen.findByRole('button', { name: 'Move Time reading up' }));
    expect(fake.callsTo('attributes:reorder')).toEqual([{ names: ['time_reading', 'pages_read'] }]);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Move Time reading up' }).hasAttribute('disabled')).toBe(true),
    );
    await click(screen.getByRole('button', { name: 'Release Pages read' }));
    expect(fake.callsTo('attributes:release')).toEqual([]);
    const confirm = screen.getByRole('group', { name: 'Confirm release of Pages read' });
    await click(within(confirm).getByRole('button', { name: 'Yes, release' }));
    expect(fake.callsTo('attributes:release')).toEqual([{ name: 'pages_read' }]);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Release Pages read' })).toBeNull());
  });
});

const SYNC: SyncView = {
  pending: 3,
  queued: [],
  sending: true,
  progress: { sent: 1, total: 3 },
  lastSyncAt: null,
  lastError: null,
  failed: [
    {
      id: 'f1',
      name: 'pages_read',
      date: '2026-03-09',
      kind: 'set',
      value: 5,
      errorCode: 'validation',
      message: 'Cannot apply a float to an integer type',
      at: 0,
    },
  ],
  maybeDoubled: [],
  rate: { used: 12, limit: 300, pausedUntil: null },
};

describe('sync', () => {
  it('shows progress and failures, and retries one', async () => {
    const fake = mount(
      {
        'sync:get': async () => SYNC,
        'sync:retry': async () => ({ ...SYNC, failed: [], sending: false }),
        'jobs:list': async () => [],
      },
      'sync',
    );
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('1 failed · 3 queued'));
    expect(screen.getByRole('progressbar', { name: 'Sending to Exist' })).toBeTruthy();
    expect(screen.getByText('Cannot apply a float to an integer type')).toBeTruthy();
    await click(screen.getByRole('button', { name: /^Retry pages_read = 5 on Mon 9 Mar( 2026)?$/ }));
    expect(fake.callsTo('sync:retry')).toEqual([{ ids: ['f1'] }]);
    await waitFor(() => expect(screen.queryByText('Cannot apply a float to an integer type')).toBeNull());
  });

  it('previews then imports CSV', async () => {
    const fake = mount(
      {
        'sync:get': async () => ({ ...SYNC, sending: false, failed: [] }),
        'jobs:list': async () => [],
        'import:preview': async () => ({
          rows: [{ line: 2, date: '2026-03-01', attribute: 'pages_read', value: 12 }],
          errors: [{ line: 3, message: 'Not a date' }],
          calls: 1,
        }),
        'import:run': async () => ({ queued: 1, calls: 1 }),
      },
      'sync',
    );
    await click(await screen.findByRole('button', { name: 'Preview' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Paste CSV rows/);
    const csv = 'date,attribute,value\n2026-03-01,pages_read,12\nnope,pages_read,1';
    fireEvent.change(screen.getByLabelText('CSV to import'), { target: { value: csv } });
    await click(screen.getByRole('button', { name: 'Preview' }));
    expect(fake.callsTo('import:preview')).toEqual([{ csv }]);
    expect(screen.getByText('Line 3: Not a date')).toBeTruthy();
    await click(screen.getByRole('button', { name: 'Import' }));
    expect(fake.callsTo('import:run')).toEqual([{ csv }]);
    expect(screen.getByText('Queued 1 value to send to Exist — see above for progress')).toBeTruthy();
  });
});

const SETTINGS: Settings = {
  launchAtLogin: false,
  globalShortcut: null,
  notifications: { tokenRefreshed: true, reconnectNeeded: true, writesFailing: true },
  allowPlaintextSecrets: false,
};

describe('general', () => {
  it('“Apply links without asking” is off by default and saved when ticked', async () => {
    const fake = mount(
      { 'settings:get': async () => SETTINGS, 'settings:set': async (p) => ({ ...SETTINGS, ...p }) },
      'general',
    );
    const box = (await screen.findByLabelText('Apply links without asking')) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await click(box);
    expect(fake.callsTo('settings:set').at(-1)).toEqual({ applyLinksWithoutAsking: true });
  });

  it('records the global shortcut from pressed keys and refuses reserved ones (Alt+F4, Ctrl+Q)', async () => {
    const fake = mount(
      { 'settings:get': async () => SETTINGS, 'settings:set': async (p) => ({ ...SETTINGS, ...p }) },
      'general',
    );
    const field = await screen.findByRole('button', { name: 'Global shortcut' });
    expect(field.tagName).toBe('BUTTON'); // no free-text accelerator field
    const press = async (init: Partial<KeyboardEventInit> & { key: string; code: string }) => {
      await click(field);
      await act(async () => {
        fireEvent.keyDown(field, init);
      });
    };
    await press({ key: 'F4', code: 'F4', altKey: true });
    expect(screen.getByRole('alert').textContent).toMatch(/Alt\+F4 is taken: Alt\+F4 closes windows/);
    await press({ key: 'q', code: 'KeyQ', ctrlKey: true });
    expect(screen.getByRole('alert').textContent).toMatch(/Ctrl\/Cmd\+Q is taken: it quits apps/);
    await press({ key: 'e', code: 'KeyE' });
    expect(screen.getByRole('alert').textContent).toMatch(/needs CommandOrControl/);
    expect(fake.callsTo('settings:set')).toEqual([]);
    await press({ key: 'E', code: 'KeyE', ctrlKey: true, shiftKey: true });
    expect(fake.callsTo('settings:set')).toEqual([{ globalShortcut: 'CommandOrControl+Shift+E' }]);
    await waitFor(() => expect(field.textContent).toBe('Ctrl+Shift+E'));
    await click(screen.getByRole('checkbox', { name: 'Launch at login' }));
    expect(fake.callsTo('settings:set').at(-1)).toEqual({ launchAtLogin: true });
  });
});
