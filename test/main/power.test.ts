import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { electronPowerEvents, ONLINE_POLL_MS } from '../../src/main/adapters/power';
import type { Clock } from '../../src/core/ports';

function fakeClock() {
  const timers: { at: number; fn: () => void }[] = [];
  let now = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t) >>> 0, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { clock, advance };
}

describe('power events', () => {
  it('resume and unlock both wake; unsubscribe stops it', () => {
    const monitor = new EventEmitter();
    const p = electronPowerEvents({ clock: fakeClock().clock, monitor: monitor as never, isOnline: () => true });
    let woke = 0;
    const off = p.onResume(() => woke++);
    monitor.emit('resume');
    monitor.emit('unlock-screen');
    off();
    monitor.emit('resume');
    expect(woke).toBe(2);
  });

  it('fires once when the network comes back', () => {
    const { clock, advance } = fakeClock();
    let online = false;
    const p = electronPowerEvents({ clock, monitor: new EventEmitter() as never, isOnline: () => online });
    let back = 0;
    const off = p.onOnline!(() => back++);
    advance(ONLINE_POLL_MS);
    expect(back).toBe(0);
    online = true;
    advance(ONLINE_POLL_MS);
    advance(ONLINE_POLL_MS);
    expect(back).toBe(1);
    off();
    online = false;
    advance(ONLINE_POLL_MS);
    online = true;
    advance(ONLINE_POLL_MS);
    expect(back).toBe(1);
  });
});
