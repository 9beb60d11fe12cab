/**
 * OS power and network events for the core's `wake()`: after sleep or a screen unlock
 * the token may have expired and the outbox may hold writes; when the network comes
 * back the outbox can flush. Electron has no online/offline event in main, so
 * `net.isOnline()` is polled (cheap: no request is made).
 */
import { net, powerMonitor } from 'electron';
import type { Clock, PowerEvents } from '../../core/ports';

export const ONLINE_POLL_MS = 30_000;

export interface PowerDeps {
  clock: Clock;
  isOnline?: () => boolean;
  monitor?: Pick<typeof powerMonitor, 'on' | 'off'>;
}

export function electronPowerEvents(deps: PowerDeps): PowerEvents {
  const monitor = deps.monitor ?? powerMonitor;
  const isOnline = deps.isOnline ?? (() => net.isOnline());
  return {
    onResume(cb) {
      const handler = () => cb();
      monitor.on('resume', handler);
      monitor.on('unlock-screen', handler);
      return () => {
        monitor.off('resume', handler);
        monitor.off('unlock-screen', handler);
      };
    },
    onOnline(cb) {
      let was = isOnline();
      let cancel: () => void = () => undefined;
      let stopped = false;
      const tick = () => {
        if (stopped) return;
        const now = isOnline();
        if (now && !was) cb();
        was = now;
        cancel = deps.clock.setTimeout(tick, ONLINE_POLL_MS);
      };
      cancel = deps.clock.setTimeout(tick, ONLINE_POLL_MS);
      return () => {
        stopped = true;
        cancel();
      };
    },
  };
}
