/**
 * The renderer's only way to the main process. Components import `getApi()` from
 * here; tests call `setApi()` with a fake built on the same contract.
 */
import type { ExistTrayApi } from '../../shared/ipc-contract';

declare global {
  interface Window {
    existTray?: ExistTrayApi;
  }
}

let override: ExistTrayApi | null = null;

export function getApi(): ExistTrayApi {
  const api = override ?? window.existTray;
  if (!api) throw new Error('Exist Tray API is not available: the page was not opened by the app.');
  return api;
}

/** For tests: replace the API (pass null to restore the real one). */
export function setApi(api: ExistTrayApi | null): void {
  override = api;
}
