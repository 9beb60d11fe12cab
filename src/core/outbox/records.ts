import { z } from 'zod';

/**
 * The outbox journal's record shapes. Each line of `journal.jsonl` is one record; one
 * record is one atomic state change, so a torn write can lose at most the change whose
 * write never finished (and whose caller was never told it succeeded).
 */

const name = z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'an attribute name (letters, digits, _)');
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'a real calendar date');
const total = z.union([z.number().refine(Number.isFinite, 'a finite number'), z.string().max(100_000)]);

export const opSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('increment'),
    name,
    date,
    delta: z
      .number()
      .refine(Number.isFinite, 'a finite number')
      .refine((n) => n !== 0, 'not zero'),
  }),
  z.object({ kind: z.literal('set'), name, date, value: total }),
]);

const itemState = z.enum(['pending', 'sending', 'synced', 'failed']);
const endpoint = z.enum(['increment', 'update']);
const ids = z.array(z.string());

/** An item as stored in a compaction snapshot. */
export const itemRecSchema = z.object({
  id: z.string(),
  seq: z.number(),
  op: opSchema,
  state: itemState,
  createdAt: z.number(),
  updatedAt: z.number(),
  maybeDoubled: z.boolean().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  previousTotal: z.union([total, z.null()]).optional(),
  undoOf: z.string().optional(),
  undoneBy: z.string().optional(),
  /** Background work (a job, an import): sent after interactive writes, never on their budget. */
  bg: z.literal(true).optional(),
  /** Legacy (before the multi-writer policy): read as `uncertain` with this base. */
  recoverBase: z.number().optional(),
  /** Sent in an increment whose answer was lost: waiting for the check (see recovery.ts). */
  uncertain: z.object({ base: z.number().nullable(), baseAt: z.number().nullable(), at: z.number() }).optional(),
  /** Re-sent after a check proved it missing (an answer then showing more than expected flags it). */
  repaired: z.boolean().optional(),
  /** Why the item is flagged (shown with `maybeDoubled`). */
  flag: z
    .object({ code: z.string(), message: z.string(), at: z.number(), since: z.number().nullable().optional() })
    .optional(),
  reacquired: z.boolean().optional(),
  sent: z.object({ endpoint, base: z.union([total, z.null()]), at: z.number() }).optional(),
});
export type ItemRec = z.infer<typeof itemRecSchema>;

const totalRec = z.object({ name: z.string(), date: z.string(), value: z.union([total, z.null()]) });

export const recordSchema = z.discriminatedUnion('t', [
  /** An operation was queued. */
  z.object({
    t: z.literal('enq'),
    at: z.number(),
    id: z.string(),
    seq: z.number(),
    op: opSchema,
    undoOf: z.string().optional(),
    /** Queued by background work (not `interactive`): see the item's `bg`. */
    bg: z.literal(true).optional(),
  }),
  /** A write call is about to go out with these objects (base = known total before it, or null). */
  z.object({
    t: z.literal('send'),
    at: z.number(),
    endpoint,
    objs: z.array(z.object({ ids, base: z.union([total, z.null()]) })),
  }),
  /** The outcome of a call, a read, or crash recovery, as one atomic change. */
  z.object({
    t: z.literal('result'),
    at: z.number(),
    synced: ids.optional(),
    /** Known totals learnt (null = forget: the day changed in a way we could not see). */
    totals: z.array(totalRec).optional(),
    failed: z.array(z.object({ ids, code: z.string(), message: z.string() })).optional(),
    /** Items that stay as they are (synced or not) but are flagged for the user, with the reason. */
    flagged: z
      .array(z.object({ ids, code: z.string(), message: z.string(), since: z.number().nullable().optional() }))
      .optional(),
    pend: z
      .array(
        z.object({
          ids,
          /** Legacy: read as `uncertain` with this base. */
          recoverBase: z.number().optional(),
          uncertain: z
            .object({ base: z.number().nullable(), baseAt: z.number().nullable(), at: z.number() })
            .optional(),
          repaired: z.boolean().optional(),
          maybeDoubled: z.boolean().optional(),
          reacquired: z.boolean().optional(),
        }),
      )
      .optional(),
  }),
  /** Items removed by undo (still pending) or discard (failed). */
  z.object({ t: z.literal('remove'), at: z.number(), ids, why: z.enum(['undo', 'discard']) }),
  /** Failed items queued again, at the end of the queue. */
  z.object({ t: z.literal('retry'), at: z.number(), items: z.array(z.object({ id: z.string(), seq: z.number() })) }),
  /** A compaction snapshot: the whole state; always the first line of a compacted journal. */
  z.object({
    t: z.literal('snap'),
    at: z.number(),
    v: z.literal(1),
    nextId: z.number(),
    nextSeq: z.number(),
    lastSyncAt: z.number().nullable(),
    items: z.array(itemRecSchema),
    totals: z.array(z.object({ name: z.string(), date: z.string(), value: total, at: z.number() })),
  }),
]);
export type JournalRecord = z.infer<typeof recordSchema>;
export type RecordOf<T extends JournalRecord['t']> = Extract<JournalRecord, { t: T }>;

// ---- Fast replay validation ----
// zod costs ~30 µs a record on a cold start; with 10,000 pending that is most of the
// start-up time, so replay checks record shapes by hand (same rules as the schemas).

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isTotal = (v: unknown): boolean => isNum(v) || isStr(v);
const isIds = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isUncertain = (v: unknown): boolean => isObj(v) && isNumOrNull(v.base) && isNumOrNull(v.baseAt) && isNum(v.at);
const isFlags = (v: unknown): boolean =>
  Array.isArray(v) && v.every((f) => isObj(f) && isIds(f.ids) && isStr(f.code) && isStr(f.message));
const NAME_RE = /^[A-Za-z0-9_]{1,100}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkOp(op: unknown): string | null {
  if (!isObj(op)) return 'op: not an object';
  if (!isStr(op.name) || !NAME_RE.test(op.name)) return 'op.name: invalid';
  if (!isStr(op.date) || !DATE_RE.test(op.date)) return 'op.date: invalid';
  if (op.kind === 'increment') return isNum(op.delta) ? null : 'op.delta: invalid';
  if (op.kind === 'set') return isTotal(op.value) ? null : 'op.value: invalid';
  return 'op.kind: invalid';
}

const STATES = new Set(['pending', 'sending', 'synced', 'failed']);

function checkItem(it: unknown): string | null {
  if (!isObj(it)) return 'item: not an object';
  if (!isStr(it.id) || !isNum(it.seq) || !isNum(it.createdAt) || !isNum(it.updatedAt)) return 'item: bad id/seq/times';
  if (!STATES.has(it.state as string)) return 'item.state: invalid';
  const e = checkOp(it.op);
  if (e) return e;
  if (it.error !== undefined && !(isObj(it.error) && isStr(it.error.code) && isStr(it.error.message)))
    return 'item.error';
  if (it.recoverBase !== undefined && !isNum(it.recoverBase)) return 'item.recoverBase';
  if (it.uncertain !== undefined && !isUncertain(it.uncertain)) return 'item.uncertain';
  if (it.flag !== undefined && !(isObj(it.flag) && isStr(it.flag.code) && isStr(it.flag.message) && isNum(it.flag.at)))
    return 'item.flag';
  if (it.previousTotal !== undefined && it.previousTotal !== null && !isTotal(it.previousTotal))
    return 'item.previousTotal';
  if (it.sent !== undefined) {
    const s = it.sent;
    if (!isObj(s) || (s.endpoint !== 'increment' && s.endpoint !== 'update') || !isNum(s.at)) return 'item.sent';
    if (s.base !== null && !isTotal(s.base)) return 'item.sent.base';
  }
  return null;
}

/** Validates one replayed journal record; returns it, or a reason it is invalid. */
export function parseRecord(raw: unknown): JournalRecord | string {
  if (!isObj(raw)) return 'not an object';
  if (!isNum(raw.at)) return 'at: invalid';
  const bad = ((): string | null => {
    switch (raw.t) {
      case 'enq':
        if (!isStr(raw.id) || !isNum(raw.seq)) return 'id/seq: invalid';
        if (raw.undoOf !== undefined && !isStr(raw.undoOf)) return 'undoOf: invalid';
        return checkOp(raw.op);
      case 'send':
        if (raw.endpoint !== 'increment' && raw.endpoint !== 'update') return 'endpoint: invalid';
        if (!Array.isArray(raw.objs)) return 'objs: invalid';
        for (const o of raw.objs) {
          if (!isObj(o) || !isIds(o.ids) || (o.base !== null && !isTotal(o.base))) return 'objs: invalid object';
        }
        return null;
      case 'result': {
        if (raw.synced !== undefined && !isIds(raw.synced)) return 'synced: invalid';
        if (raw.totals !== undefined) {
          if (!Array.isArray(raw.totals)) return 'totals: invalid';
          for (const t of raw.totals)
            if (!isObj(t) || !isStr(t.name) || !isStr(t.date) || (t.value !== null && !isTotal(t.value)))
              return 'totals: invalid';
        }
        if (raw.failed !== undefined) {
          if (!Array.isArray(raw.failed)) return 'failed: invalid';
          for (const f of raw.failed)
            if (!isObj(f) || !isIds(f.ids) || !isStr(f.code) || !isStr(f.message)) return 'failed: invalid';
        }
        if (raw.pend !== undefined) {
          if (!Array.isArray(raw.pend)) return 'pend: invalid';
          for (const p of raw.pend)
            if (
              !isObj(p) ||
              !isIds(p.ids) ||
              (p.recoverBase !== undefined && !isNum(p.recoverBase)) ||
              (p.uncertain !== undefined && !isUncertain(p.uncertain))
            )
              return 'pend: invalid';
        }
        if (raw.flagged !== undefined && !isFlags(raw.flagged)) return 'flagged: invalid';
        return null;
      }
      case 'remove':
        return isIds(raw.ids) && (raw.why === 'undo' || raw.why === 'discard') ? null : 'remove: invalid';
      case 'retry':
        return Array.isArray(raw.items) && raw.items.every((i) => isObj(i) && isStr(i.id) && isNum(i.seq))
          ? null
          : 'retry: invalid';
      case 'snap': {
        if (raw.v !== 1) return `unknown snapshot version ${String(raw.v)}`;
        if (!isNum(raw.nextId) || !isNum(raw.nextSeq)) return 'snap counters: invalid';
        if (raw.lastSyncAt !== null && !isNum(raw.lastSyncAt)) return 'lastSyncAt: invalid';
        if (!Array.isArray(raw.items) || !Array.isArray(raw.totals)) return 'snap: invalid';
        for (const it of raw.items) {
          const e = checkItem(it);
          if (e) return e;
        }
        for (const t of raw.totals)
          if (!isObj(t) || !isStr(t.name) || !isStr(t.date) || !isTotal(t.value) || !isNum(t.at))
            return 'snap totals: invalid';
        return null;
      }
      default:
        return `unknown record type ${JSON.stringify(raw.t)}`;
    }
  })();
  return bad ?? (raw as unknown as JournalRecord);
}
