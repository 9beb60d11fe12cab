import { beforeEach, describe, expect, it } from 'vitest';
import { BrowserWindow, FakeFrame, FakeWebContents, ipcMain, resetElectronStub } from '../stubs/electron';
import { registerIpc, type IpcDeps } from '../../src/main/ipc';
import type { PushListener } from '../../src/core/app/types';
import { INVOKE_CHANNELS, SEND_CHANNELS, type InvokeHandlers, type SendHandlers } from '../../src/shared/ipc-contract';

const PAGE = 'app://renderer/popover.html';

function fakeCore() {
  const calls: [string, unknown][] = [];
  const listeners = new Set<PushListener>();
  const invoke = Object.fromEntries(
    INVOKE_CHANNELS.map((c) => [
      c,
      async (req: unknown) => {
        calls.push([c, req]);
        return { echoed: c };
      },
    ]),
  ) as unknown as InvokeHandlers;
  const send = Object.fromEntries(
    SEND_CHANNELS.map((c) => [c, (p: unknown) => void calls.push([c, p])]),
  ) as unknown as SendHandlers;
  return {
    calls,
    push: ((channel, payload) => listeners.forEach((l) => l(channel, payload))) as PushListener,
    core: {
      invoke,
      send,
      onPush: (l: PushListener) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
  };
}

function setup() {
  const f = fakeCore();
  const win = new BrowserWindow({ show: false });
  const own = new Set<number>([win.webContents.id]);
  const logged: string[] = [];
  const deps: IpcDeps = {
    core: f.core,
    origins: { pagesUrl: 'app://renderer/' },
    isOwnWebContents: (wc) => own.has(wc.id),
    windows: () => BrowserWindow.getAllWindows() as never,
    log: (m) => logged.push(m),
  };
  const reg = registerIpc(deps);
  const eventFrom = (sender: FakeWebContents, frame: FakeFrame | null) => ({ sender, senderFrame: frame });
  const trusted = eventFrom(win.webContents, new FakeFrame(PAGE));
  return { ...f, win, reg, eventFrom, trusted, logged };
}

beforeEach(() => resetElectronStub());

describe('registerIpc', () => {
  it('registers every invoke and send channel of the contract, and nothing else', () => {
    setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect([...ipcMain.listeners.keys()].sort()).toEqual([...SEND_CHANNELS].sort());
  });

  it('answers a valid call from our window', async () => {
    const s = setup();
    const r = await ipcMain.invoke('values:increment', s.trusted, { name: 'pages_read', delta: 1 });
    expect(r).toEqual({ ok: true, value: { echoed: 'values:increment' } });
    expect(s.calls).toEqual([['values:increment', { name: 'pages_read', delta: 1 }]]);
  });

  it('rejects an unknown sender: another webContents, an iframe, a foreign page, a gone frame', async () => {
    const s = setup();
    const stranger = new FakeWebContents();
    const events = [
      s.eventFrom(stranger, new FakeFrame(PAGE)),
      s.eventFrom(s.win.webContents, new FakeFrame(PAGE, new FakeFrame(PAGE))),
      s.eventFrom(s.win.webContents, new FakeFrame('https://evil.example/')),
      s.eventFrom(s.win.webContents, null),
    ];
    for (const e of events) {
      const r = (await ipcMain.invoke('app:get-info', e, {})) as { ok: boolean; error?: { code: string } };
      expect(r.ok).toBe(false);
      expect(r.error?.code).toBe('untrusted-sender');
    }
    ipcMain.emitSend('shell:open-external', events[0], { url: 'https://exist.io/' });
    expect(s.calls).toEqual([]);
    expect(s.logged.some((m) => m.includes('untrusted'))).toBe(true);
  });

  it('rejects a payload that fails validation, naming the field, without calling the core', async () => {
    const s = setup();
    const r = (await ipcMain.invoke('values:increment', s.trusted, { name: 'Pages Read', delta: 1 })) as {
      ok: boolean;
      error: { code: string; field?: string };
    };
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'invalid-payload', field: 'name' });
    const extra = (await ipcMain.invoke('app:get-info', s.trusted, { sneaky: true })) as { ok: boolean };
    expect(extra.ok).toBe(false);
    ipcMain.emitSend('window:open-settings', s.trusted, { tab: 'nope' });
    expect(s.calls).toEqual([]);
  });

  it('delivers valid send messages', () => {
    const s = setup();
    ipcMain.emitSend('window:open-settings', s.trusted, { tab: 'sync' });
    expect(s.calls).toEqual([['window:open-settings', { tab: 'sync' }]]);
  });

  it('pushes core changes to every window, and stops after dispose', () => {
    const s = setup();
    const other = new BrowserWindow({ show: false });
    s.push('import:progress', { sent: 1, total: 2 });
    expect(s.win.webContents.sent).toEqual([['import:progress', { sent: 1, total: 2 }]]);
    expect(other.webContents.sent).toEqual([['import:progress', { sent: 1, total: 2 }]]);
    s.reg.dispose();
    s.push('import:progress', { sent: 2, total: 2 });
    expect(s.win.webContents.sent).toHaveLength(1);
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.size).toBe(0);
  });
});
