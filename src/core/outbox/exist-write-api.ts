/**
 * The outbox's write port over the typed Exist client: the one place where Exist's
 * answers are mapped to what the outbox needs (increments keep `current`, the day's
 * total). The app core, the reliability suite and the benchmarks all use it.
 *
 * Answers are passed on as Exist echoed them: a missing `date` stays missing. Exist does
 * not document that answers keep the order of the request, so nothing here (or in the
 * outbox, see answers.ts) fills a field in from the object at the same position.
 */
import type { ExistClient } from '../exist/client';
import { ExistError } from '../exist/errors';
import type { OutboxWriteApi } from './types';

export interface ExistWriteApiOptions {
  /** Whether the token may read this attribute (a read scope); without it reads are skipped. */
  canRead?(name: string): boolean;
  /** The attribute's template, so a re-acquire takes it by template (keeping its type). */
  templateOf?(name: string): string | null | undefined;
}

export function existWriteApi(
  client: ExistClient | (() => ExistClient),
  opts: ExistWriteApiOptions = {},
): OutboxWriteApi {
  const c = typeof client === 'function' ? client : () => client;
  return {
    async increment(items) {
      const r = await c().increment(items);
      return {
        status: r.status,
        success: r.success.map((s) => ({
          name: s.name,
          value: s.value,
          date: typeof s.date === 'string' ? s.date : undefined,
          ...(typeof s.current === 'number' ? { current: s.current } : {}),
        })),
        failed: r.failed.map((f) => ({
          name: f.name,
          value: f.value,
          date: typeof f.date === 'string' ? f.date : undefined,
          error_code: f.error_code,
          error: f.error,
        })),
      };
    },
    async update(items) {
      const r = await c().update(items);
      return {
        status: r.status,
        success: r.success.map((s) => ({
          name: s.name,
          value: s.value,
          date: typeof s.date === 'string' ? s.date : undefined,
        })),
        failed: r.failed.map((f) => ({
          name: f.name,
          value: f.value,
          date: typeof f.date === 'string' ? f.date : undefined,
          error_code: f.error_code,
          error: f.error,
        })),
      };
    },
    async readDayValue(name, date) {
      if (opts.canRead && !opts.canRead(name))
        throw new ExistError('forbidden', `No read scope for ${name}`, { status: 403 });
      const page = await c().getValues(name, { limit: 1, dateMax: date });
      const v = page.results[0];
      return v && v.date === date ? v.value : null;
    },
    ...(opts.canRead ? { canRead: opts.canRead } : {}),
    async reacquire(name) {
      const template = opts.templateOf?.(name);
      const r = await c().acquire([template ? { template } : { name }]);
      return r.success.length > 0;
    },
  };
}
