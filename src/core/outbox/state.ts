import type { ItemRec, JournalRecord, RecordOf } from './records';
import type { ExpectedValue, FlagCode, OutboxOp, QueuedItem } from './types';
import { assertNever } from '../../shared/result';

/**
 * The outbox's in-memory state and the pure reducer that journal records drive. The same
 * `apply` runs live and on replay, so what is on disk and what is in memory cannot drift.
 * Indexes keep enqueue O(1) and planning O(live items).
 */

/** An item plus the bookkeeping the sender needs (never shown to the interface as is). */
export interface Item extends ItemRec {
  /** False until its `enq` record is on disk; the sender skips it until then. */
  durable: boolean;
}

/** Items of one attribute+day whose increment answer was lost, waiting to be checked. */
export interface UncertainGroup {
  key: string;
  name: string;
  date: string;
  ids: string[];
  /** The sum the lost call added (if it was applied). */
  delta: number;
  /** The known total before the lost call (null: none was known). */
  base: number | null;
  /** When that total was learnt (null: unknown). */
  baseAt: number | null;
  /** When the answer was given up. */
  at: number;
}

export interface KnownTotal {
  value: number | string;
  at: number;
}

export const keyOf = (name: string, date: string): string => `${name}\u0000${date}`;
const splitKey = (key: string): [string, string] => key.split('\u0000') as [string, string];

/** Sums of decimals drift (0.1 + 0.2); Exist stores at most ~15 significant digits anyway. */
export const tidy = (n: number): number => Number(n.toPrecision(15));

export class OutboxState {
  readonly items = new Map<string, Item>();
  /** Pending and sending items per attribute+day, in queue (seq) order. */
  readonly live = new Map<string, Item[]>();
  readonly totals = new Map<string, KnownTotal>();
  nextId = 1;
  nextSeq = 1;
  lastSyncAt: number | null = null;
  counts = { pending: 0, sending: 0, failed: 0 };

  /** Applies one record; returns the ids whose items changed (for events). */
  apply(rec: JournalRecord, durable = true): string[] {
    switch (rec.t) {
      case 'enq': {
        if (this.items.has(rec.id)) return [];
        const item: Item = {
          id: rec.id,
          seq: rec.seq,
          op: rec.op,
          state: 'pending',
          createdAt: rec.at,
          updatedAt: rec.at,
          durable,
          ...(rec.undoOf !== undefined ? { undoOf: rec.undoOf } : {}),
          ...(rec.bg ? { bg: true as const } : {}),
        };
        this.items.set(item.id, item);
        this.addLive(item);
        this.counts.pending++;
        this.nextId = Math.max(this.nextId, idNumber(rec.id) + 1);
        this.nextSeq = Math.max(this.nextSeq, rec.seq + 1);
        const target = rec.undoOf === undefined ? undefined : this.items.get(rec.undoOf);
        if (target) {
          target.undoneBy = rec.id;
          return [rec.id, target.id];
        }
        return [rec.id];
      }
      case 'send': {
        const changed: string[] = [];
        for (const o of rec.objs) {
          for (const id of o.ids) {
            const it = this.items.get(id);
            if (!it || it.state !== 'pending') continue;
            this.setState(it, 'sending', rec.at);
            it.sent = { endpoint: rec.endpoint, base: o.base, at: rec.at };
            if (it.op.kind === 'set') it.previousTotal = o.base;
            changed.push(id);
          }
        }
        return changed;
      }
      case 'result': {
        const changed: string[] = [];
        for (const t of rec.totals ?? []) {
          const k = keyOf(t.name, t.date);
          if (t.value === null) this.totals.delete(k);
          else this.totals.set(k, { value: t.value, at: rec.at });
        }
        for (const id of rec.synced ?? []) {
          const it = this.items.get(id);
          if (!it || it.state === 'synced') continue;
          this.setState(it, 'synced', rec.at);
          delete it.recoverBase;
          delete it.uncertain;
          delete it.error;
          this.lastSyncAt = rec.at;
          changed.push(id);
        }
        for (const f of rec.failed ?? []) {
          for (const id of f.ids) {
            const it = this.items.get(id);
            if (!it || it.state === 'synced') continue;
            this.setState(it, 'failed', rec.at);
            it.error = { code: f.code, message: f.message };
            if (it.recoverBase !== undefined || it.uncertain !== undefined) {
              // Its first send may have counted; once out of the queue the check is moot.
              delete it.recoverBase;
              delete it.uncertain;
              it.maybeDoubled = true;
            }
            changed.push(id);
          }
        }
        for (const f of rec.flagged ?? []) {
          for (const id of f.ids) {
            const it = this.items.get(id);
            if (!it) continue;
            it.maybeDoubled = true;
            it.flag = { code: f.code, message: f.message, at: rec.at, ...(f.since != null ? { since: f.since } : {}) };
            it.updatedAt = rec.at;
            changed.push(id);
          }
        }
        for (const p of rec.pend ?? []) {
          for (const id of p.ids) {
            const it = this.items.get(id);
            if (!it || it.state === 'synced') continue;
            this.setState(it, 'pending', rec.at);
            delete it.recoverBase;
            if (p.uncertain) it.uncertain = p.uncertain;
            else if (p.recoverBase !== undefined) it.uncertain = { base: p.recoverBase, baseAt: null, at: rec.at };
            else delete it.uncertain;
            if (p.repaired) it.repaired = true;
            if (p.maybeDoubled) it.maybeDoubled = true;
            if (p.reacquired) it.reacquired = true;
            changed.push(id);
          }
        }
        return changed;
      }
      case 'remove': {
        const changed: string[] = [];
        for (const id of rec.ids) {
          const it = this.items.get(id);
          if (!it) continue;
          this.setState(it, null, rec.at);
          this.items.delete(id);
          changed.push(id);
        }
        return changed;
      }
      case 'retry': {
        const changed: string[] = [];
        for (const r of rec.items) {
          const it = this.items.get(r.id);
          if (!it || it.state !== 'failed') continue;
          it.seq = r.seq;
          delete it.error;
          delete it.reacquired;
          delete it.sent;
          this.setState(it, 'pending', rec.at);
          this.nextSeq = Math.max(this.nextSeq, r.seq + 1);
          changed.push(it.id);
        }
        return changed;
      }
      case 'snap': {
        this.items.clear();
        this.live.clear();
        this.totals.clear();
        this.counts = { pending: 0, sending: 0, failed: 0 };
        this.nextId = rec.nextId;
        this.nextSeq = rec.nextSeq;
        this.lastSyncAt = rec.lastSyncAt;
        const sorted = [...rec.items].sort((a, b) => a.seq - b.seq);
        for (const r of sorted) {
          const it: Item = { ...r, durable: true };
          if (it.recoverBase !== undefined && it.uncertain === undefined && it.state === 'pending')
            it.uncertain = { base: it.recoverBase, baseAt: null, at: rec.at };
          delete it.recoverBase;
          this.items.set(it.id, it);
          if (it.state === 'pending' || it.state === 'sending') this.addLive(it);
          if (it.state !== 'synced') this.counts[it.state]++;
        }
        for (const t of rec.totals) this.totals.set(keyOf(t.name, t.date), { value: t.value, at: t.at });
        return [];
      }
      default:
        return assertNever(rec, 'journal record');
    }
  }

  /** Moves an item between states, keeping counts and the live index right (null = gone). */
  private setState(it: Item, next: Item['state'] | null, at: number): void {
    const prev = this.items.get(it.id) === it ? it.state : null;
    const wasLive = prev === 'pending' || prev === 'sending';
    const isLive = next === 'pending' || next === 'sending';
    if (prev !== null && prev !== 'synced') this.counts[prev]--;
    if (next !== null && next !== 'synced') this.counts[next]++;
    if (wasLive && !isLive) this.removeLive(it);
    if (!wasLive && isLive) this.addLive(it);
    if (next !== null) it.state = next;
    it.updatedAt = at;
  }

  private addLive(it: Item): void {
    const k = keyOf(it.op.name, it.op.date);
    const list = this.live.get(k);
    if (!list) {
      this.live.set(k, [it]);
      return;
    }
    // Nearly always appended at the end (new or retried items have the highest seq).
    let i = list.length;
    while (i > 0 && list[i - 1]!.seq > it.seq) i--;
    list.splice(i, 0, it);
  }

  private removeLive(it: Item): void {
    const k = keyOf(it.op.name, it.op.date);
    const list = this.live.get(k);
    if (!list) return;
    const i = list.indexOf(it);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.live.delete(k);
  }

  /** The value the day will have once everything queued is sent (see ExpectedValue). */
  expected(key: string): ExpectedValue | undefined {
    const [name, date] = splitKey(key);
    const list = this.live.get(key) ?? [];
    const kt = this.totals.get(key);
    if (list.length === 0) {
      return kt ? { name, date, value: kt.value, known: true, unsynced: 0 } : undefined;
    }
    const unsure = list.find((i) => i.uncertain?.base != null)?.uncertain?.base;
    let value: number | string | undefined = unsure ?? kt?.value;
    let delta = 0;
    for (const it of list) {
      if (it.op.kind === 'set') {
        value = it.op.value;
        delta = 0;
      } else if (typeof value === 'number') value = tidy(value + it.op.delta);
      else if (value === undefined) delta = tidy(delta + it.op.delta);
      // A delta on top of a text value cannot be applied; the sender fails it.
    }
    return value === undefined
      ? { name, date, value: delta, known: false, unsynced: list.length }
      : { name, date, value, known: true, unsynced: list.length };
  }

  /** Pending durable items grouped into one write object per attribute+day, interactive ones first. */
  plan(): PlannedObject[] {
    const out: PlannedObject[] = [];
    for (const [key, list] of this.live) {
      const ready = list.filter((i) => i.state === 'pending' && i.durable);
      if (ready.length === 0) continue;
      // A key with an item in flight waits for its answer (never true within one flush),
      // and one whose last answer was lost waits for the check (recovery.ts).
      if (list.some((i) => i.state === 'sending' || i.uncertain !== undefined)) continue;
      const [name, date] = splitKey(key);
      let total: number | string | undefined;
      let delta = 0;
      const bad: string[] = [];
      for (const it of ready) {
        if (it.op.kind === 'set') {
          total = it.op.value;
        } else if (total === undefined) {
          delta += it.op.delta;
        } else if (typeof total === 'number') {
          total += it.op.delta;
        } else bad.push(it.id);
      }
      const ids = ready.filter((i) => !bad.includes(i.id)).map((i) => i.id);
      const kt = this.totals.get(key);
      out.push({
        key,
        name,
        date,
        ids,
        invalid: bad,
        firstSeq: ready[0]!.seq,
        interactive: ready.some((i) => !i.bg),
        endpoint: total === undefined ? 'increment' : 'update',
        value: total === undefined ? tidy(delta) : typeof total === 'number' ? tidy(total) : total,
        base: kt ? kt.value : null,
      });
    }
    // The background lane: interactive objects (a click, an undo) go before background
    // ones (jobs, imports), then in queue order — a click is never behind an import.
    out.sort((a, b) => Number(b.interactive) - Number(a.interactive) || a.firstSeq - b.firstSeq);
    return out;
  }

  /** Every attribute+day waiting for the check of a lost increment answer. */
  uncertainGroups(): UncertainGroup[] {
    const out: UncertainGroup[] = [];
    for (const [key, list] of this.live) {
      const items = list.filter((i) => i.state === 'pending' && i.uncertain !== undefined);
      if (items.length === 0) continue;
      const u = items[0]!.uncertain!;
      const [name, date] = splitKey(key);
      const delta = tidy(items.reduce((s, i) => s + (i.op.kind === 'increment' ? i.op.delta : 0), 0));
      out.push({ key, name, date, ids: items.map((i) => i.id), delta, base: u.base, baseAt: u.baseAt, at: u.at });
    }
    return out;
  }

  /** Public view of an item (a copy; internals stripped). */
  view(it: Item): QueuedItem {
    return {
      id: it.id,
      op: it.op,
      state: it.state,
      createdAt: it.createdAt,
      updatedAt: it.updatedAt,
      maybeDoubled: it.maybeDoubled ?? false,
      ...(it.flag
        ? {
            flag: {
              code: it.flag.code as FlagCode,
              message: it.flag.message,
              at: it.flag.at,
              ...(it.flag.since != null ? { since: it.flag.since } : {}),
            },
          }
        : {}),
      ...(it.uncertain ? { checking: true } : {}),
      ...(it.error ? { error: it.error } : {}),
      ...(it.op.kind === 'set' && it.previousTotal !== undefined ? { previousTotal: it.previousTotal } : {}),
      ...(it.undoOf !== undefined ? { undoOf: it.undoOf } : {}),
      ...(it.undoneBy !== undefined ? { undoneBy: it.undoneBy } : {}),
    };
  }

  /** The compaction snapshot; drops synced items past `keepSyncedSince` beyond the newest `keepSynced`. */
  snapshot(at: number, keepSyncedSince: number, keepSynced: number): RecordOf<'snap'> {
    const synced = [...this.items.values()]
      .filter((i) => i.state === 'synced')
      .sort((a, b) => b.updatedAt - a.updatedAt);
    const drop = new Set(synced.filter((i, n) => n >= keepSynced || i.updatedAt < keepSyncedSince).map((i) => i.id));
    for (const id of drop) this.items.delete(id);
    const items: ItemRec[] = [];
    for (const it of this.items.values()) {
      const { durable: _durable, ...rec } = it;
      items.push(rec);
    }
    return {
      t: 'snap',
      at,
      v: 1,
      nextId: this.nextId,
      nextSeq: this.nextSeq,
      lastSyncAt: this.lastSyncAt,
      items,
      // Known totals older than ~90 days are dropped: the journal must not grow forever.
      totals: [...this.totals]
        .filter(([, t]) => t.at >= at - 90 * 86_400_000)
        .map(([k, t]) => {
          const [name, date] = splitKey(k);
          return { name, date, value: t.value, at: t.at };
        }),
    };
  }
}

/** One object of a write call, covering every pending item of its attribute+day. */
export interface PlannedObject {
  key: string;
  name: string;
  date: string;
  ids: string[];
  /** Increments on top of a text value: failed locally, never sent. */
  invalid: string[];
  firstSeq: number;
  /** Some item of it was queued interactively (not `bg`): it goes first, on the click budget. */
  interactive: boolean;
  endpoint: 'increment' | 'update';
  value: number | string;
  /** Known total before this call (null = unknown). */
  base: number | string | null;
}

export const idNumber = (id: string): number => {
  const n = Number.parseInt(id.replace(/^o/, ''), 10);
  return Number.isFinite(n) ? n : 0;
};

export const opKey = (op: OutboxOp): string => keyOf(op.name, op.date);
