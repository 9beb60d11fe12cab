/**
 * The sandbox's fault injection: the queue of armed faults, calls applied late (after the
 * client gave up on their answer), and the log of value changes that tests judge
 * recoveries against ("was this day really changed by someone else meanwhile?").
 *
 * Late applies run lazily — before each request and each `getState` — once the sandbox's
 * clock has reached their time. Every observation of the sandbox goes through one of
 * those, so to any client this is the same as a timer, and it works on a virtual clock.
 */
import { z } from 'zod';
import type { AttributeRecord, SandboxChange, SandboxFault } from './types';

export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    status: z.number().int().min(100).max(599),
    body: z.unknown().optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
  z.object({ kind: z.literal('hang') }),
  z.object({ kind: z.literal('drop-before') }),
  z.object({ kind: z.literal('drop-after') }),
  z.object({
    kind: z.literal('late-apply'),
    delayMs: z.number().int().min(0),
    answer: z.enum(['drop', 'hang']).optional(),
  }),
  z.object({ kind: z.literal('reshape'), omitDates: z.boolean().optional(), reverse: z.boolean().optional() }),
]);

export const FailNextSchema = z.object({
  count: z.number().int().min(1),
  fault: FaultSchema,
  pathPrefix: z.string().startsWith('/').optional(),
});

interface PendingFault {
  remaining: number;
  fault: SandboxFault;
  pathPrefix: string | undefined;
}

/** Armed faults, first match wins (no prefix: any /api/ call). */
export class FaultQueue {
  private readonly faults: PendingFault[] = [];

  add(count: number, fault: SandboxFault, opts?: { pathPrefix?: string }): void {
    const parsed = FailNextSchema.safeParse({ count, fault, pathPrefix: opts?.pathPrefix });
    if (!parsed.success)
      throw new Error(`failNext: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.faults.push({ remaining: count, fault, pathPrefix: opts?.pathPrefix });
  }

  clear(): void {
    this.faults.length = 0;
  }

  get size(): number {
    return this.faults.length;
  }

  /** Takes one use of the first fault matching `path`. */
  take(path: string): SandboxFault | undefined {
    const i = this.faults.findIndex((f) =>
      f.pathPrefix === undefined ? path.startsWith('/api/') : path.startsWith(f.pathPrefix),
    );
    const f = i < 0 ? undefined : this.faults[i];
    if (f === undefined) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f.fault;
  }
}

/** Calls to apply later, in time order. */
export class LateQueue {
  private queue: { at: number; run: () => void }[] = [];

  schedule(at: number, run: () => void): void {
    this.queue.push({ at, run });
    this.queue.sort((a, b) => a.at - b.at);
  }

  /** Runs everything due at `now`; returns how many ran. */
  runDue(now: number): number {
    let n = 0;
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      this.queue.shift()!.run();
      n++;
    }
    return n;
  }
}

/** Every value change with who made it and when (bounded). */
export class ChangeLog {
  readonly changes: SandboxChange[] = [];

  constructor(private readonly max = 200_000) {}

  /** Snapshot of every day's value, to diff after a write. */
  static valuesOf(attrs: Iterable<AttributeRecord>): Map<string, number | string> {
    const m = new Map<string, number | string>();
    for (const a of attrs) for (const [d, v] of Object.entries(a.values)) m.set(`${a.name}\u0000${d}`, v);
    return m;
  }

  /** Records what differs between `before` and the attributes now. */
  note(
    before: Map<string, number | string>,
    attrs: Iterable<AttributeRecord>,
    who: { family: string; at: number; arrivedAt: number; late: boolean },
  ): void {
    for (const [k, after] of ChangeLog.valuesOf(attrs)) {
      const prev = before.get(k);
      if (prev === after) continue;
      const [name, date] = k.split('\u0000') as [string, string];
      this.changes.push({ name, date, before: prev ?? null, after, ...who });
    }
    if (this.changes.length > this.max) this.changes.splice(0, this.changes.length - this.max);
  }
}

/** A write answer reshaped by a `reshape` fault (other replies pass unchanged). */
export function reshapeReply<R extends { json?: unknown }>(
  reply: R,
  fault: Extract<SandboxFault, { kind: 'reshape' }>,
): R {
  const j = reply.json as { success?: unknown; failed?: unknown } | undefined;
  if (!j || !Array.isArray(j.success) || !Array.isArray(j.failed)) return reply;
  const shape = (xs: unknown[], strip: boolean): unknown[] => {
    const out = xs.map((x) => {
      if (!strip || typeof x !== 'object' || x === null) return x;
      const { date: _date, ...rest } = x as Record<string, unknown>;
      return rest;
    });
    return fault.reverse ? out.reverse() : out;
  };
  return {
    ...reply,
    json: { ...j, success: shape(j.success, fault.omitDates ?? false), failed: shape(j.failed, false) },
  };
}
