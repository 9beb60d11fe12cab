/**
 * The outbox's write port over the typed Exist client: the one place where Exist's
 * answers are mapped to what the outbox needs (increments keep `current`, the day's
 * total). The app core, the reliability suite and the benchmarks all use it.
 *
 * Reads: `readDays` is one `GET /attributes/with-values/` for many attributes and up to 31
 * days (the outbox's batched read of the days it is about to increment); `readDayValue`
 * reads one attribute's day through `/attributes/values/` (the fallback for what a batched
 * answer left out).
 *
 * Answers are passed on as Exist echoed them: a missing `date` stays missing. Exist does
 * not document that answers keep the order of the request, so nothing here (or in the
 * outbox, see answers.ts) fills a field in from the object at the same position.
 */
import type { ExistClient } from '../exist/client';
import { ExistError } from '../exist/errors';
import type { DayValue, OutboxWriteApi } from './types';
import { NOT_OWNER } from '../../shared/domain';

export interface ExistWriteApiOptions {
  /** Whether the token may read this attribute (a read scope); without it reads are skipped. */
  canRead?(name: string): boolean;
  /** The attribute's template, so a re-acquire takes it by template (keeping its type). */
  templateOf?(name: string): string | null | undefined;
  /** Attributes worth reading alongside a batched read (the session's owned, readable ones). */
  readAlso?(): string[];
  /**
   * Ask before taking an attribute back from another service (issue 18; the app sets it):
   * a re-acquire first asks Exist who owns the attribute now (`GET /api/2/attributes/`,
   * read scope permitting) and goes ahead on its own only when nobody does; otherwise, or
   * when Exist will not say, it refuses with code `not-owner` and a sentence for the row.
   * Without it (the reliability suites, benches) a re-acquire is silent, as Exist's docs put it.
   */
  askBeforeTakingBack?: { label(name: string): string };
}

/** Exist's words for "another client owns this attribute" (the reference's `unauthorised` example). */
const NOT_OURS = /does not belong to this service/i;

/** Who owns `name` at Exist now: a service, nobody (null), or unknown (no read scope, or the read failed). */
async function ownerNow(
  c: () => ExistClient,
  name: string,
  canRead: boolean,
): Promise<{ label: string } | null | 'unknown'> {
  if (!canRead) return 'unknown';
  try {
    const list = await c().listAllAttributes({ attributes: [name], includeInactive: true });
    const hit = list.find((a) => a.name === name);
    return hit?.service ? { label: hit.service.label || hit.service.name } : null;
  } catch {
    return 'unknown';
  }
}

/** The failed row's words when another service (maybe) owns the attribute now. */
export function notOwnerMessage(label: string, owner: string | null): string {
  return owner === null
    ? `Exist says Exist Tray no longer owns “${label}” (another service may have taken it over), so it refused this write.`
    : `${owner} took over “${label}” at Exist, so Exist refused this write.`;
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
    async readDays(names, dateMax, days) {
      // Attributes without a read scope are left out of the call (and so of the answer).
      const asked = opts.canRead ? names.filter((n) => opts.canRead!(n)) : names;
      if (asked.length === 0) return [];
      // One page holds every asked attribute (limit ≥ names); a shorter page leaves some
      // out, and the outbox reads those one by one.
      const page = await c().withValues({ attributes: asked, dateMax, days, limit: Math.min(100, asked.length) });
      const want = new Set(asked);
      const out: DayValue[] = [];
      for (const a of page.results) {
        if (!want.has(a.name)) continue;
        for (const v of a.values ?? []) out.push({ name: a.name, date: v.date, value: v.value });
      }
      return out;
    },
    ...(opts.canRead ? { canRead: opts.canRead } : {}),
    ...(opts.readAlso ? { readAlso: opts.readAlso } : {}),
    async reacquire(name, error) {
      const ask = opts.askBeforeTakingBack;
      // Only "does not belong to this service" is about ownership; a missing write scope is
      // also `unauthorised`, and re-acquiring simply fails there, as before.
      if (ask && NOT_OURS.test(error ?? '')) {
        const owner = await ownerNow(c, name, opts.canRead?.(name) ?? false);
        if (owner !== null)
          return {
            refused: true,
            code: NOT_OWNER,
            message: notOwnerMessage(ask.label(name), owner === 'unknown' ? null : owner.label),
          };
      }
      const template = opts.templateOf?.(name);
      const r = await c().acquire([template ? { template } : { name }]);
      return r.success.length > 0;
    },
  };
}
