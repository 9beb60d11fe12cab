/**
 * The one promise serialiser: `serial()` returns a `run(fn)` that starts each `fn` only
 * after the previous one settled, so one store's writes land on disk in call order. A
 * failure rejects only its own caller; the chain goes on. `run.idle()` resolves once
 * nothing is queued or running (for shutdown).
 */
export interface Serial {
  <T>(fn: () => Promise<T> | T): Promise<T>;
  idle(): Promise<void>;
}

export function serial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const p = tail.then(fn, fn);
    tail = p.catch(() => undefined);
    return p;
  };
  return Object.assign(run, {
    async idle() {
      for (;;) {
        const t = tail;
        await t;
        if (t === tail) return;
      }
    },
  });
}
