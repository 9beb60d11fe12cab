/**
 * The preload: exposes exactly one object, `window.existTray`, built from the IPC
 * contract. It never exposes `ipcRenderer` itself; this and `src/main/ipc.ts` are
 * the only files that touch Electron IPC.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../shared/result';
import { buildApi } from './build-api';

const api = buildApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Result<unknown>>,
  send: (channel, payload) => ipcRenderer.send(channel, payload),
  subscribe: (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('existTray', api);
