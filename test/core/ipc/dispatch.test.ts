import { describe, expect, it } from 'vitest';
import { createAppCore } from '../../../src/core/app';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { buildApi } from '../../../src/preload/build-api';
import { INVOKE_CHANNELS, PUSH_CHANNELS, SEND_CHANNELS, type SenderInfo } from '../../../src/shared/ipc-contract';
import { systemClock } from '../../../src/core/ports';

const trusted: SenderInfo = { url: 'file:///app/out/renderer/popover.html', trusted: true };
const untrusted: SenderInfo = { url: 'https://evil.example/', trusted: false };

function makeCore() {
  const calls: string[] = [];
  const core = createAppCore({
    dataDir: '/nonexistent',
    secrets: { get: async () => undefined, set: async () => {}, delete: async () => {} },
    notifier: { notify: () => {} },
    opener: { openExternal: async (url) => void calls.push(`open ${url}`) },
    clock: systemClock,
    shell: {
      closePopover: () => void calls.push('close'),
      openSettings: (tab) => void calls.push(`settings ${tab ?? ''}`),
      setLaunchAtLogin: () => true,
      setGlobalShortcut: () => true,
      setPendingCount: () => {},
    },
    info: { name: 'exist-tray', productName: 'Exist Tray', version: '9.9.9', platform: 'linux', host: 'browser' },
  });
  return { core, calls, dispatcher: createDispatcher(core.invoke, core.send) };
}

describe('IPC dispatch: app:get-info end to end', () => {
  it('answers a valid call with the app info', async () => {
    const { dispatcher } = makeCore();
    const r = await dispatcher.invoke('app:get-info', {}, trusted);
    expect(r).toEqual({
      ok: true,
      value: { name: 'exist-tray', productName: 'Exist Tray', version: '9.9.9', platform: 'linux', host: 'browser' },
    });
  });

  it('rejects a payload that fails validation, naming the field', async () => {
    const { dispatcher } = makeCore();
    const r = await dispatcher.invoke('app:get-info', { surprise: 1 }, trusted);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid-payload');
    const inc = await dispatcher.invoke('values:increment', { name: 'Pages Read!', delta: 1 }, trusted);
    expect(inc).toMatchObject({ ok: false, error: { code: 'invalid-payload', field: 'name' } });
    const nan = await dispatcher.invoke('values:increment', { name: 'pages_read', delta: Number.NaN }, trusted);
    expect(nan).toMatchObject({ ok: false, error: { code: 'invalid-payload', field: 'delta' } });
  });

  it('rejects an untrusted sender before looking at the payload', async () => {
    const { dispatcher } = makeCore();
    expect(await dispatcher.invoke('app:get-info', {}, untrusted)).toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    expect(dispatcher.send('window:close', {}, untrusted)).toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
  });

  it('rejects unknown channels and non-string channel names', async () => {
    const { dispatcher } = makeCore();
    expect(await dispatcher.invoke('fs:read-file', {}, trusted)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await dispatcher.invoke({ toString: () => 'app:get-info' }, {}, trusted)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it('routes send channels to the shell', () => {
    const { dispatcher, calls } = makeCore();
    expect(dispatcher.send('window:open-settings', { tab: 'account' }, trusted)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(dispatcher.send('window:open-settings', { tab: 'nope' }, trusted).ok).toBe(false);
    expect(calls).toEqual(['settings account']);
  });
});

describe('the preload API built from the contract', () => {
  it('has one method per channel and reaches main only through the transport', async () => {
    const { dispatcher } = makeCore();
    const seen: string[] = [];
    const api = buildApi({
      invoke: (channel, payload) => {
        seen.push(channel);
        return dispatcher.invoke(channel, payload, trusted);
      },
      send: (channel, payload) => void dispatcher.send(channel, payload, trusted),
      subscribe: () => () => {},
    });
    const methods = Object.values(api).reduce((n, group) => n + Object.keys(group).length, 0);
    expect(methods).toBe(INVOKE_CHANNELS.length + SEND_CHANNELS.length + PUSH_CHANNELS.length);
    const r = await api.app.getInfo({});
    expect(r.ok && r.value.productName).toBe('Exist Tray');
    expect(seen).toEqual(['app:get-info']);
    expect(Object.isFrozen(api) && Object.isFrozen(api.values)).toBe(true);
    expect('ipcRenderer' in api || 'invoke' in api).toBe(false);
  });

  it('turns a transport failure into an error result rather than a rejection', async () => {
    const api = buildApi({
      invoke: () => Promise.reject(new Error('socket closed')),
      send: () => {},
      subscribe: () => () => {},
    });
    expect(await api.app.getInfo({})).toEqual({ ok: false, error: { code: 'ipc-failed', message: 'socket closed' } });
  });

  it('subscriptions return their unsubscribe function', () => {
    const subs = new Map<string, number>();
    const api = buildApi({
      invoke: async () => ({ ok: true, value: null }),
      send: () => {},
      subscribe: (channel) => {
        subs.set(channel, (subs.get(channel) ?? 0) + 1);
        return () => subs.set(channel, (subs.get(channel) ?? 0) - 1);
      },
    });
    const off = api.account.onChanged(() => {});
    expect(subs.get('account:changed')).toBe(1);
    off();
    expect(subs.get('account:changed')).toBe(0);
  });
});
