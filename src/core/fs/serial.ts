/**
 * The one promise serialiser: `serial()` returns a `run(fn)` that starts each `fn` only
 * after the previous one settled, so one store's writes land on disk in call order. A
 * failure rejects only its own caller; the chain goes on.
 */
export type Serial = <T>(fn: () => Promise<T> | T) => Promise<T>;

export function serial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T> | T): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
