/**
 * One account's recent values (the popover's sparklines): the last 7 days up to a date,
 * fetched once per date and kept a few minutes. Only attributes the token may read.
 * A nicety: a failed fetch leaves the row showing what the outbox knows.
 */
import type { IsoDate } from '../../shared/domain';
import type { ExistClient } from '../exist/client';
import { addDays } from '../values';

export const HISTORY_TTL_MS = 5 * 60_000;

export type HistoryPoint = { date: IsoDate; value: number | string | null };

export interface History {
  /** Start loading the 7 days up to `date` unless fresh or loading. */
  load(date: IsoDate): void;
  /** The loaded points of `name` up to `date`, or null. */
  get(date: IsoDate, name: string): HistoryPoint[] | null;
  clear(): void;
}

export function createHistory(deps: {
  now: () => number;
  client: () => ExistClient;
  /** The attributes whose history may be read. */
  readableNames: () => string[];
  onLoaded: (names: string[], date: IsoDate) => void;
}): History {
  const byDate = new Map<IsoDate, { at: number; values: Map<string, HistoryPoint[]> }>();
  const loads = new Map<IsoDate, Promise<void>>();

  function load(date: IsoDate): void {
    const names = deps.readableNames();
    const cached = byDate.get(date);
    if (names.length === 0 || loads.has(date) || (cached && deps.now() - cached.at < HISTORY_TTL_MS)) return;
    const loading = (async () => {
      try {
        const values = new Map<string, HistoryPoint[]>();
        const page = await deps.client().withValues({ days: 7, dateMax: date, attributes: names, limit: 100 });
        for (const attr of page.results) {
          const known = new Map((attr.values ?? []).map((v) => [v.date, v.value]));
          values.set(
            attr.name,
            Array.from({ length: 7 }, (_, i) => addDays(date, i - 6)).map((d) => ({
              date: d,
              value: known.get(d) ?? null,
            })),
          );
        }
        byDate.set(date, { at: deps.now(), values });
        deps.onLoaded(names, date);
      } catch {
        // sparklines are a nicety: the row still shows the value the outbox knows
      } finally {
        loads.delete(date);
      }
    })();
    loads.set(date, loading);
  }

  return {
    load,
    get: (date, name) => byDate.get(date)?.values.get(name) ?? null,
    clear: () => byDate.clear(),
  };
}
