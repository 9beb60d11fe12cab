/**
 * The quit order. A tray app keeps running with every window closed
 * (`window-all-closed` is handled and does nothing). `before-quit` marks the app as
 * quitting (the popover may then really close); the first `will-quit` is held while the
 * shell stops (socket, IPC, tray, the core's outbox), then the app quits for real.
 */
import type { App } from 'electron';

export interface QuitOrder {
  isQuitting(): boolean;
  /** What to stop before the process exits (at most one; set once the shell has started). */
  setCleanup(stop: () => Promise<void>): void;
}

export function registerQuitOrder(app: App): QuitOrder {
  let quitting = false;
  let cleanup: (() => Promise<void>) | null = null;
  let cleaned = false;
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (cleaned || !cleanup) return;
    event.preventDefault();
    const stop = cleanup;
    cleanup = null;
    void stop()
      .catch(() => undefined)
      .finally(() => {
        cleaned = true;
        app.quit();
      });
  });
  return {
    isQuitting: () => quitting,
    setCleanup(stop) {
      cleanup = stop;
    },
  };
}
