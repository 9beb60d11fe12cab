/**
 * # Matching a write answer to the objects sent — never by position
 *
 * Exist's reference says each success or failed object is "the object that was sent"
 * (plus `error_code`/`error`, or `current` for increments); it does not say the answer
 * keeps the request's order, or that every field is echoed. So an answer object is tied
 * to a sent object only by what it says about itself:
 *
 * 1. by the echoed `(name, date)`;
 * 2. with no `date` echoed, by `name` alone when exactly one object of that name was sent
 *    (the name then identifies it as surely as the pair would);
 * 3. otherwise — an unknown name, a name sent for several dates, an object answered twice,
 *    or not mentioned at all — the sent object is **unmatched**: the outbox treats it like
 *    a lost answer (an increment becomes uncertain and is checked; see recovery.ts).
 */
import type { PlannedObject } from './state';

export interface Echoed {
  name?: unknown;
  date?: unknown;
}

export interface Matching<S, F> {
  success: { o: PlannedObject; echo: S }[];
  failed: { o: PlannedObject; echo: F }[];
  /** Sent objects the answer does not (unambiguously) account for. */
  unmatched: PlannedObject[];
}

/** Ties each answer object to the one sent object it names (see the module comment). */
export function matchAnswer<S extends Echoed, F extends Echoed>(
  chunk: readonly PlannedObject[],
  success: readonly S[] | undefined,
  failed: readonly F[] | undefined,
): Matching<S, F> {
  const hits = new Map<PlannedObject, { kind: 'success' | 'failed'; echo: S | F }[]>();
  const note = (kind: 'success' | 'failed', echo: S | F): void => {
    const o = findSent(chunk, echo);
    if (!o) return;
    const list = hits.get(o) ?? [];
    list.push({ kind, echo });
    hits.set(o, list);
  };
  for (const s of asArray<S>(success)) note('success', s);
  for (const f of asArray<F>(failed)) note('failed', f);
  const out: Matching<S, F> = { success: [], failed: [], unmatched: [] };
  for (const o of chunk) {
    const h = hits.get(o);
    // Answered twice (say, once as success and once as failed) is no answer at all.
    if (!h || h.length !== 1) {
      out.unmatched.push(o);
      continue;
    }
    const only = h[0]!;
    if (only.kind === 'success') out.success.push({ o, echo: only.echo as S });
    else out.failed.push({ o, echo: only.echo as F });
  }
  return out;
}

function findSent(chunk: readonly PlannedObject[], echo: Echoed): PlannedObject | undefined {
  if (!echo || typeof echo !== 'object' || typeof echo.name !== 'string') return undefined;
  if (typeof echo.date === 'string') return chunk.find((o) => o.name === echo.name && o.date === echo.date);
  if (echo.date !== undefined && echo.date !== null) return undefined;
  const named = chunk.filter((o) => o.name === echo.name);
  return named.length === 1 ? named[0] : undefined;
}

function asArray<T>(v: readonly T[] | undefined): readonly T[] {
  // The port's types say arrays; a broken answer is still tolerated.
  return Array.isArray(v) ? v : [];
}
