/**
 * The only main-process file that touches `ipcMain`. Every channel of the contract is
 * registered from its runtime list and dispatched through `createDispatcher`, which
 * checks the channel, the sender and the payload before any core handler runs.
 * Pushes from the core go to every window of ours.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { AppCore } from '../core/app/types';
import { createDispatcher } from '../core/ipc/dispatch';
import {
  INVOKE_CHANNELS,
  SEND_CHANNELS,
  type PushChannel,
  type PushContract,
  type SenderInfo,
} from '../shared/ipc-contract';
import { senderInfo, type RendererOrigins } from './security';

export interface IpcDeps {
  core: Pick<AppCore, 'invoke' | 'send' | 'onPush'>;
  origins: RendererOrigins;
  isOwnWebContents(wc: WebContents): boolean;
  /** The windows that receive pushes. */
  windows(): BrowserWindow[];
  /** Unexpected errors and refused messages, for the log (never payloads). */
  log?(message: string, error?: unknown): void;
}

/** Facts about an IPC event's sender → the dispatcher's `SenderInfo`. */
export function senderFromEvent(
  event: IpcMainEvent | IpcMainInvokeEvent,
  deps: Pick<IpcDeps, 'origins' | 'isOwnWebContents'>,
): SenderInfo {
  const frame = event.senderFrame;
  return senderInfo(
    {
      frameUrl: frame ? frame.url : null,
      isTopFrame: !!frame && frame.parent === null,
      fromOwnWindow: deps.isOwnWebContents(event.sender),
    },
    deps.origins,
  );
}

export interface IpcRegistration {
  dispose(): void;
}

export function registerIpc(deps: IpcDeps): IpcRegistration {
  const dispatcher = createDispatcher(deps.core.invoke, deps.core.send, {
    onInternalError: (channel, error) => deps.log?.(`IPC handler for ${channel} failed`, error),
  });

  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      const sender = senderFromEvent(event, deps);
      if (!sender.trusted) deps.log?.(`Refused ${channel} from an untrusted sender (${sender.url || 'no frame'})`);
      return dispatcher.invoke(channel, payload, sender);
    });
  }
  for (const channel of SEND_CHANNELS) {
    ipcMain.on(channel, (event, payload: unknown) => {
      const result = dispatcher.send(channel, payload, senderFromEvent(event, deps));
      if (!result.ok) deps.log?.(`Refused ${channel}: ${result.error.message}`);
    });
  }

  const unsubscribe = deps.core.onPush((channel, payload) => {
    for (const win of deps.windows()) pushTo(win, channel, payload);
  });

  return {
    dispose() {
      unsubscribe();
      for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
      for (const channel of SEND_CHANNELS) ipcMain.removeAllListeners(channel);
    },
  };
}

/**
 * The one main → renderer send (lint allows webContents.send only in this file): a typed
 * push channel of the contract, to a window that is still alive.
 */
export function pushTo<K extends PushChannel>(win: BrowserWindow, channel: K, payload: PushContract[K]): void {
  if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel, payload);
}
