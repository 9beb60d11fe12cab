/**
 * Where launches come from: this process's own argv, a second instance
 * (`second-instance`, with the argv it sent as additional data) and macOS's `open-url`
 * (which can fire before `ready`). They are queued until the shell is ready to handle
 * them, then delivered in order.
 */
import type { App } from 'electron';

export type LaunchListener = (argv: readonly string[], second: boolean) => void;

export interface LaunchSources {
  /** Delivers the queued launches, then every later one, to `listener`. */
  deliverTo(listener: LaunchListener): void;
}

const isArgvData = (d: unknown): d is { argv: string[] } =>
  typeof d === 'object' &&
  d !== null &&
  Array.isArray((d as { argv?: unknown }).argv) &&
  (d as { argv: unknown[] }).argv.every((a) => typeof a === 'string');

export function registerLaunchSources(app: App, ownArgv: readonly string[]): LaunchSources {
  const queued: { argv: readonly string[]; second: boolean }[] = [{ argv: ownArgv, second: false }];
  let listener: LaunchListener | null = null;
  const launch = (argv: readonly string[], second: boolean) =>
    listener ? listener(argv, second) : queued.push({ argv, second });
  app.on('second-instance', (_event, argv, _cwd, data) => launch(isArgvData(data) ? data.argv : argv, true));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    launch(['', url], true);
  });
  return {
    deliverTo(l) {
      listener = l;
      for (const q of queued.splice(0)) l(q.argv, q.second);
    },
  };
}
