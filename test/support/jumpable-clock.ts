/**
 * Real time plus `jump(ms)`: a clock for tests of long waits (reminders, snoozes) that
 * runs every timer falling due at once when the test jumps. Used by the app-core world
 * (./app-world.ts) and the browser-host journeys (test/e2e/features.spec.ts).
 */
import type { Clock } from '../../src/core/ports';

/** Real time plus `jump(ms)`, which runs every timer falling due at once. */
export function jumpableClock(): Clock & { ms(): number; jump(ms: number): void } {
  let offset = 0;
  const timers = new Set<{ at: number; fn: () => void; cancel: () => void }>();
  const ms = () => Date.now() + offset;
  return {
    ms,
    now: ms,
    setTimeout(fn, delay) {
      const t = { at: ms() + delay, fn, cancel: () => {} };
      const real = setTimeout(() => {
        timers.delete(t);
        fn();
      }, delay);
      real.unref?.();
      t.cancel = () => clearTimeout(real);
      timers.add(t);
      return () => {
        t.cancel();
        timers.delete(t);
      };
    },
    jump(by) {
      offset += by;
      for (const t of [...timers].sort((a, b) => a.at - b.at)) {
        if (t.at > ms()) continue;
        timers.delete(t);
        t.cancel();
        t.fn();
      }
    },
  };
}
