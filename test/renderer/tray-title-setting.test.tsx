/**
 * Settings → General → "Show in the menu bar" (issue 18, the macOS tray title): on macOS a
 * choice of the owned attributes, saved as `trayTitleAttribute`; elsewhere shown disabled
 * with the reason (tray.setTitle is macOS only).
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../src/renderer/src/api';
import { SettingsWindow } from '../../src/renderer/src/settings/Settings';
import type { InvokeHandlers, OwnedAttributeView, Settings } from '../../src/shared/ipc-contract';
import { createFake } from './fake-api';

afterEach(() => {
  cleanup();
  setApi(null);
});

const SETTINGS: Settings = {
  launchAtLogin: false,
  globalShortcut: null,
  notifications: { tokenRefreshed: true, reconnectNeeded: true, writesFailing: true },
  allowPlaintextSecrets: false,
};
const attr = (name: string, label: string): OwnedAttributeView => ({
  name,
  label,
  group: { name: 'media', label: 'Media', priority: 1 },
  priority: 1,
  template: name,
  manual: true,
  valueType: 0,
  valueTypeDescription: 'Integer',
  prefs: { visible: true, steps: [1], order: 0 },
});

function general(platform: string, extra: Partial<InvokeHandlers> = {}) {
  let current = SETTINGS;
  const fake = createFake({
    'app:get-info': async () => ({
      name: 'exist-tray',
      productName: 'Exist Tray',
      version: '0',
      platform,
      host: 'electron',
    }),
    'attributes:list-owned': async () => [attr('pages_read', 'Pages read'), attr('coffees', 'Coffees')],
    'settings:get': async () => current,
    'settings:set': async (p) => (current = { ...current, ...p }),
    ...extra,
  });
  setApi(fake.api);
  render(<SettingsWindow initialTab="general" />);
  return fake;
}

const select = () => screen.findByRole('combobox', { name: 'Show in the menu bar' }) as Promise<HTMLSelectElement>;

describe('Show in the menu bar', () => {
  it('on macOS: lists the owned attributes and saves the choice, then “nothing” again', async () => {
    const fake = general('darwin');
    const s = await select();
    await waitFor(() => expect(s.disabled).toBe(false));
    expect([...s.options].map((o) => o.textContent)).toEqual(['Nothing (the icon only)', 'Pages read', 'Coffees']);
    fireEvent.change(s, { target: { value: 'pages_read' } });
    await waitFor(() => expect(fake.callsTo('settings:set').at(-1)).toEqual({ trayTitleAttribute: 'pages_read' }));
    await screen.findByText('The menu bar shows today’s Pages read');
    await waitFor(() => expect(s.value).toBe('pages_read'));
    fireEvent.change(s, { target: { value: '' } });
    await waitFor(() => expect(fake.callsTo('settings:set').at(-1)).toEqual({ trayTitleAttribute: null }));
  });

  it('elsewhere: shown disabled, saying why', async () => {
    const fake = general('linux');
    const s = await select();
    await screen.findByText('macOS only: the Windows and Linux trays have no room for text beside the icon.');
    expect(s.disabled).toBe(true);
    expect(s.getAttribute('aria-describedby')).toBe('tray-title-why');
    expect(fake.callsTo('settings:set')).toEqual([]);
  });

  it('a saved choice that is no longer owned reads as nothing', async () => {
    general('darwin', { 'settings:get': async () => ({ ...SETTINGS, trayTitleAttribute: 'gone' }) });
    const s = await select();
    await waitFor(() => expect(s.disabled).toBe(false));
    expect(s.value).toBe('');
  });
});
