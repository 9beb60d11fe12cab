/**
 * The lifecycle modules split out of src/main/index.ts, on a fake `app` (an
 * EventEmitter with `quit`): launches queue until the shell is ready and arrive in
 * order; the quit order holds the first will-quit while the shell stops.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { App } from 'electron';
import { registerLaunchSources } from '../../src/main/lifecycle/launch-sources';
import { registerQuitOrder } from '../../src/main/lifecycle/quit';

const fakeApp = () => Object.assign(new EventEmitter(), { quit: vi.fn() }) as unknown as App & EventEmitter;
const event = () => ({ preventDefault: vi.fn() });

describe('registerLaunchSources', () => {
  it('queues the own launch, a second instance and open-url until ready, then delivers in order', () => {
    const app = fakeApp();
    const sources = registerLaunchSources(app, ['/exe', '--hidden']);
    app.emit('second-instance', event(), ['/exe', 'ignored'], '/', { argv: ['/exe', 'sync'] });
    const e = event();
    app.emit('open-url', e, 'exist-tray://sync');
    expect(e.preventDefault).toHaveBeenCalled();
    const got: [readonly string[], boolean][] = [];
    sources.deliverTo((argv, second) => got.push([argv, second]));
    app.emit('second-instance', event(), ['/exe', 'increment', 'x'], '/', null);
    expect(got).toEqual([
      [['/exe', '--hidden'], false],
      [['/exe', 'sync'], true],
      [['', 'exist-tray://sync'], true],
      [['/exe', 'increment', 'x'], true],
    ]);
  });

  it('ignores additional data that is not an argv', () => {
    const app = fakeApp();
    const got: (readonly string[])[] = [];
    registerLaunchSources(app, []).deliverTo((argv) => got.push(argv));
    app.emit('second-instance', event(), ['/exe', 'sync'], '/', { argv: [1, 2] });
    expect(got.at(-1)).toEqual(['/exe', 'sync']);
  });
});

describe('registerQuitOrder', () => {
  it('before-quit marks quitting; the first will-quit waits for the cleanup, then quits again', async () => {
    const app = fakeApp();
    const order = registerQuitOrder(app);
    expect(app.listenerCount('window-all-closed')).toBe(1); // a tray app does not quit with its windows
    let release!: () => void;
    const stop = vi.fn(() => new Promise<void>((r) => (release = r)));
    order.setCleanup(stop);
    app.emit('before-quit', event());
    expect(order.isQuitting()).toBe(true);
    const first = event();
    app.emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quit).toHaveBeenCalledTimes(1);
    const second = event();
    app.emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('a cleanup that fails still quits', async () => {
    const app = fakeApp();
    registerQuitOrder(app).setCleanup(() => Promise.reject(new Error('x')));
    app.emit('will-quit', event());
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quit).toHaveBeenCalledTimes(1);
  });

  it('before the shell has started, will-quit is not held', () => {
    const app = fakeApp();
    registerQuitOrder(app);
    const e = event();
    app.emit('will-quit', e);
    expect(e.preventDefault).not.toHaveBeenCalled();
  });
});
