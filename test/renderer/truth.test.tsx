/**
 * Issue 16, "the interface tells the truth": one test per Why-bullet that a component
 * test can show (the Playwright side is test/e2e/truth.spec.ts).
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { Sparkline } from '../../src/renderer/src/components/Sparkline';
import { Popover } from '../../src/renderer/src/popover/Popover';
import { SettingsWindow } from '../../src/renderer/src/settings/Settings';
import { syncState } from '../../src/core/sync-state';
import type { AccountView, FailedWriteView, InvokeHandlers } from '../../src/shared/ipc-contract';
import { createFake, fakeTray, Refusal, type FakeAttr, EMPTY_SYNC_VIEW } from './fake-api';

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
const SYNC = EMPTY_SYNC_VIEW;
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

const click = async (el: HTMLElement) => {
  await act(async () => {
    fireEvent.click(el);
  });
};

function popover(attrs: FakeAttr[] = [PAGES]) {
  const tray = fakeTray({ today: TODAY, attrs });
  const fake = createFake(tray.handlers);
  setApi(fake.api);
  render(<Popover />);
  return { fake, tray };
}

describe('dates', () => {
  it('each opening starts on Today: Yesterday chosen, popover closed and reopened, +1 goes to today', async () => {
    const { fake } = popover();
    await click(await screen.findByRole('button', { name: 'Yesterday' }));
    await waitFor(() => expect(fake.callsTo('tray:get-view').at(-1)).toEqual({ date: '2026-03-09' }));
    // Still this opening: the choice holds.
    await click(screen.getByRole('button', { name: 'Add 1 to Pages read' }));
    expect(fake.callsTo('values:increment').at(-1)).toEqual({ name: 'pages_read', delta: 1, date: '2026-03-09' });
    // Closed (the window loses focus and hides) and opened again.
    await act(async () => {
      window.dispatchEvent(new Event('blur'));
      window.dispatchEvent(new Event('focus'));
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Today' }).getAttribute('aria-pressed')).toBe('true'),
    );
    await click(screen.getByRole('button', { name: 'Add 1 to Pages read' }));
    expect(fake.callsTo('values:increment').at(-1)).toEqual({ name: 'pages_read', delta: 1 });
  });

  it('a refused future date is not left in the field: it goes back to the day writes go to', async () => {
    popover();
    const picker = (await screen.findByLabelText('Pick a date')) as HTMLInputElement;
    await act(async () => {
      fireEvent.change(picker, { target: { value: '2026-03-12' } });
    });
    expect(screen.getByRole('alert').textContent).toMatch(/^Thu 12 Mar is in the future for you/);
    expect(picker.value).toBe(TODAY);
  });

  it('one date format, with the year when it is not the current one', async () => {
    const { fake } = popover();
    expect((await screen.findByText('Tue 10 Mar')).className).toMatch(/date-label/);
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Pick a date'), { target: { value: '2025-03-10' } });
    });
    await waitFor(() => expect(fake.callsTo('tray:get-view').at(-1)).toEqual({ date: '2025-03-10' }));
    expect(await screen.findByText('Mon 10 Mar 2025')).toBeTruthy();
  });
});

describe('keyboard', () => {
  it('focus starts on the first control of the first attribute, not the body', async () => {
    popover();
    const first = await screen.findByRole('button', { name: 'Add 1 to Pages read' });
    await waitFor(() => expect(document.activeElement).toBe(first));
  });

  it('Ctrl+Z undoes the last write while Undo is offered; Esc closes the popover', async () => {
    const { fake, tray } = popover();
    await click(await screen.findByRole('button', { name: 'Add 5 to Pages read' }));
    expect(tray.get('pages_read', TODAY)).toBe(5);
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    });
    expect(fake.callsTo('values:undo')).toEqual([{ id: 'w1' }]);
    expect(tray.get('pages_read', TODAY)).toBeUndefined();
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'Escape' });
    });
    expect(fake.sentTo('window:close')).toEqual([{}]);
  });
});

describe('labels, not names, and unique accessible names', () => {
  it('failed rows and their Retry/Discard buttons name the attribute by label; two alike are told apart', async () => {
    const owned = [
      {
        name: 'pages_read',
        label: 'Pages read',
        group: { name: 'media', label: 'Media', priority: 8 },
        priority: 1,
        template: 'pages_read',
        manual: true,
        valueType: 0 as const,
        valueTypeDescription: 'Integer',
        prefs: { visible: true, steps: [], order: 0 },
      },
    ];
    settings({
      'attributes:list-owned': async () => owned,
      'sync:get': async () => ({ ...SYNC, failed: [refused('a'), refused('b')] }),
    });
    const failed = await screen.findByRole('region', { name: 'Failed' });
    await waitFor(() => expect(within(failed).getAllByText('Pages read')).toHaveLength(2));
    expect(within(failed).queryByText('pages_read')).toBeNull();
    const retries = within(failed)
      .getAllByRole('button', { name: /^Retry Pages read/ })
      .map((b) => b.getAttribute('aria-label'));
    expect(retries).toHaveLength(2);
    expect(new Set(retries).size).toBe(2);
    expect(retries[0]).toMatch(/^Retry Pages read \+5 on Mon 9 Mar( 2026)?$/);
  });
});

describe('polish', () => {
  it('steps go smallest first (+0.5 then +1), and a long label has its whole text as a tooltip', async () => {
    popover([
      {
        name: 'weight',
        label: 'Weight measured on the bathroom scale every morning',
        group: 'health',
        valueType: 1,
        steps: [0.5],
      },
    ]);
    const group = await screen.findByRole('group', { name: /^Quick add to Weight/ });
    const names = within(group)
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(names).toEqual(['+0.5', '+1']);
    expect(screen.getByText('Weight measured on the bathroom scale every morning').getAttribute('title')).toBe(
      'Weight measured on the bathroom scale every morning',
    );
  });

  it('a single value draws no sparkline (no lone dot); two do', () => {
    const days = ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'];
    const one = render(
      <Sparkline history={days.map((date, i) => ({ date, value: i === 6 ? 5 : null }))} label="Pages read" />,
    );
    expect(one.container.querySelector('svg')).toBeNull();
    one.unmount();
    const two = render(
      <Sparkline history={days.map((date, i) => ({ date, value: i >= 5 ? i : null }))} label="Pages read" />,
    );
    expect(two.container.querySelector('svg')).not.toBeNull();
  });
});

describe('errors where the eye is', () => {
  it('a failed connect brings its error (beside Connect) into view and focuses it for screen readers', async () => {
    const scrolled: Element[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    try {
      settings(
        {
          'account:get': async () => ({
            ...ACCOUNT,
            status: 'disconnected',
            server: { kind: 'exist', baseUrl: 'https://exist.io' },
            scopes: ['media_write'],
          }),
          'account:connect': async () => {
            throw new Refusal({
              code: 'oauth',
              message: 'Exist did not accept this client ID and secret. Copy both again from your Exist app.',
            });
          },
        },
        'account',
      );
      fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'abc' } });
      fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'wrong' } });
      await waitFor(() =>
        expect((screen.getByRole('checkbox', { name: 'Media write' }) as HTMLInputElement).checked).toBe(true),
      );
      await click(screen.getByRole('button', { name: 'Connect to Exist' }));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toMatch(/did not accept this client ID/);
      await waitFor(() => expect(document.activeElement).toBe(alert));
      expect(scrolled).toContain(alert);
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });
});

describe('after connecting', () => {
  it('the Account tab points to Attributes while nothing is tracked, and the link opens that tab', async () => {
    settings({ 'account:get': async () => ACCOUNT, 'attributes:list-templates': async () => [] }, 'account');
    const link = await screen.findByRole('link', { name: 'add attributes in the Attributes tab' });
    expect(link.getAttribute('href')).toBe('#attributes');
    await act(async () => {
      window.location.hash = 'attributes';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await waitFor(() =>
      expect(screen.getByRole('tab', { name: 'Attributes' }).getAttribute('aria-selected')).toBe('true'),
    );
    window.location.hash = '';
  });
});

describe('scheduled jobs', () => {
  it('a job-fed attribute says so in the popover, and a click on it warns that the next run replaces the total', async () => {
    const tray = fakeTray({ today: TODAY, attrs: [PAGES] });
    const nextRunAt = new Date(2026, 2, 10, 14, 0).getTime();
    const fake = createFake({
      ...tray.handlers,
      'jobs:list': async () => [
        {
          id: 'j1',
          attribute: 'pages_read',
          source: { kind: 'command', command: 'echo 7' },
          schedule: 'hourly',
          daysBack: 1,
          nextRunAt,
          runs: [],
        },
      ],
    });
    setApi(fake.api);
    render(<Popover />);
    expect((await screen.findByTestId('job-pages_read')).textContent).toBe(
      'Filled by a scheduled job (hourly, next 14:00): its next run replaces this day’s total.',
    );
    await click(screen.getByRole('button', { name: 'Add 1 to Pages read' }));
    expect((await screen.findByRole('status')).textContent).toMatch(
      /A scheduled job fills Pages read: its next run at 14:00 replaces this total/,
    );
  });
});

describe('requests', () => {
  it('adding one attribute from a template makes one template request, not four', async () => {
    const template = {
      name: 'pages_read',
      label: 'Pages read',
      group: 'media',
      value_type: 0 as const,
      value_type_description: 'Integer',
      owned: false,
    };
    const added = {
      name: 'pages_read',
      label: 'Pages read',
      group: { name: 'media', label: 'Media', priority: 8 },
      priority: 1,
      template: 'pages_read',
      manual: true,
      valueType: 0 as const,
      valueTypeDescription: 'Integer',
      prefs: { visible: true, steps: [], order: 0 },
    };
    let acquired = false;
    const fake = settings(
      {
        'account:get': async () => ACCOUNT,
        'attributes:list-templates': async () => [{ ...template, owned: acquired }],
        'attributes:acquire': async () => {
          acquired = true;
          return added;
        },
      },
      'account',
    );
    await click(await screen.findByRole('tab', { name: 'Attributes' }));
    await click(await screen.findByRole('button', { name: 'Add Pages read' }));
    await act(async () => fake.push('attributes:changed', [added])); // what the core pushes after an acquire
    expect(await screen.findByRole('button', { name: 'Pages read added' })).toBeTruthy();
    // One to list them when the tab opened, one after the owned list changed.
    expect(fake.callsTo('attributes:list-templates')).toHaveLength(2);
  });
});
