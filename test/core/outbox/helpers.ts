import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExistError } from '../../../src/core/exist/errors';
import type { Clock } from '../../../src/core/ports';
import type { OutboxWriteApi, WriteResult } from '../../../src/core/outbox/types';

/** A clock whose time only moves when the test says so. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  pendingTimers(): number;
}

export function fakeClock(start = Date.UTC(2025, 5, 1, 12)): FakeClock {
  let now = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return () => {
        timers = timers.filter((t) => t.id !== id);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.fn();
      }
      now = end;
    },
    pendingTimers: () => timers.length,
  };
}

export type Fault =
  /** No fault for this call (to target a later one). */
  | { kind: 'ok' }
  /** Applies the call, then the answer is lost (timeout). */
  | { kind: 'apply-then-timeout' }
  /** Applies the call, then answers 5xx. */
  | { kind: 'apply-then-500' }
  /** Connection refused: nothing reached the server. */
  | { kind: 'refused' }
  /** Refused with 401, then the token refresh timed out: a timeout error, but nothing was applied. */
  | { kind: 'refused-then-refresh-timeout' }
  | { kind: '429'; retryAfterMs?: number }
  | { kind: '400' }
  /** Applies the call and never answers (the process is "killed" meanwhile). */
  | { kind: 'apply-then-hang' };

type Obj = { name: string; value: number | string; date: string };
type Endpoint = 'increment' | 'update' | 'read' | 'read-days' | 'reacquire';

/** An in-memory Exist with fault injection, recording every call. */
export class FakeExist {
  readonly totals = new Map<string, number | string>();
  readonly calls: { endpoint: Endpoint; items: Obj[] }[] = [];
  /** Batched reads (`readDays`) leave these names out of their answer (as Exist does for an attribute it does not list). */
  readonly batchOmits = new Set<string>();
  /** Faults for batched reads only (`readDays`), one per call. */
  readonly readFaults: Fault[] = [];
  readonly faults: Fault[] = [];
  /** Items for these names fail with this error (a 202 partial failure). */
  readonly reject = new Map<string, { error_code: string; error: string }>();
  /** Names this client does not own (until reacquired, if `reacquirable`). */
  readonly notOwned = new Set<string>();
  reacquirable = true;

  static key = (name: string, date: string): string => `${name}|${date}`;

  total(name: string, date: string): number | string | undefined {
    return this.totals.get(FakeExist.key(name, date));
  }

  writeCalls(): { endpoint: Endpoint; items: Obj[] }[] {
    return this.calls.filter((c) => c.endpoint === 'increment' || c.endpoint === 'update');
  }

  /**
   * The API port; `withRead` adds readDayValue (a token with a read scope), `batchRead`
   * adds readDays (one with-values call for many attributes and days), `readAlso` the
   * attributes worth reading alongside.
   */
  api(
    opts: { withRead?: boolean; batchRead?: boolean; readAlso?: string[]; withReacquire?: boolean } = {},
  ): OutboxWriteApi {
    const api: OutboxWriteApi = {
      increment: (items) => this.write('increment', items) as never,
      update: (items) => this.write('update', items) as never,
    };
    if (opts.withRead) {
      api.readDayValue = async (name, date) => {
        this.calls.push({ endpoint: 'read', items: [{ name, date, value: 0 }] });
        return this.total(name, date) ?? null;
      };
    }
    if (opts.batchRead) {
      api.readDays = async (names, dateMax, days) => {
        const asked: string[] = [];
        for (let i = 0; i < days; i++)
          asked.push(new Date(Date.parse(`${dateMax}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10));
        this.calls.push({
          endpoint: 'read-days',
          items: names.flatMap((name) => asked.map((date) => ({ name, date, value: 0 }))),
        });
        const fault = this.readFaults.shift();
        if (fault?.kind === 'refused')
          throw new ExistError('network', 'connect ECONNREFUSED', { maybeApplied: false, endpoint: 'read' });
        if (fault?.kind === '400') throw new ExistError('bad-request', 'Exist rejected the call', { status: 400 });
        if (names.length > 35 || days > 31) throw new ExistError('bad-request', 'Too many', { status: 400 });
        return names
          .filter((n) => !this.batchOmits.has(n))
          .flatMap((name) => asked.map((date) => ({ name, date, value: this.total(name, date) ?? null })));
      };
    }
    if (opts.readAlso) {
      const names = opts.readAlso;
      api.readAlso = () => names;
    }
    if (opts.withReacquire ?? true) {
      api.reacquire = async (name) => {
        this.calls.push({ endpoint: 'reacquire', items: [{ name, date: '', value: 0 }] });
        if (!this.reacquirable) return false;
        this.notOwned.delete(name);
        return true;
      };
    }
    return api;
  }

  private async write(endpoint: 'increment' | 'update', items: Obj[]): Promise<WriteResult<Obj>> {
    this.calls.push({ endpoint, items: items.map((i) => ({ ...i })) });
    const fault = this.faults.shift();
    if (fault?.kind === 'refused')
      throw new ExistError('network', 'connect ECONNREFUSED', { maybeApplied: false, endpoint });
    if (fault?.kind === 'refused-then-refresh-timeout')
      throw new ExistError('timeout', 'The token endpoint did not answer', { maybeApplied: false, endpoint });
    if (fault?.kind === '429') {
      throw new ExistError('rate-limited', 'Too many requests', {
        status: 429,
        ...(fault.retryAfterMs !== undefined ? { retryAfterMs: fault.retryAfterMs } : {}),
      });
    }
    if (fault?.kind === '400')
      throw new ExistError('bad-request', 'Exist rejected the call: bad JSON', { status: 400 });
    if (items.length > 35) throw new ExistError('bad-request', 'More than 35 objects', { status: 400 });
    const success: (Obj & { current?: number })[] = [];
    const failed: (Obj & { error_code: string; error: string })[] = [];
    for (const it of items) {
      const rej = this.reject.get(it.name);
      if (rej) {
        failed.push({ ...it, ...rej });
        continue;
      }
      if (this.notOwned.has(it.name)) {
        failed.push({
          ...it,
          error_code: 'unauthorised',
          error: `Attribute '${it.name}' does not belong to this service`,
        });
        continue;
      }
      const k = FakeExist.key(it.name, it.date);
      if (endpoint === 'increment') {
        const cur = this.totals.get(k);
        const next = (typeof cur === 'number' ? cur : 0) + (it.value as number);
        this.totals.set(k, next);
        success.push({ ...it, current: next });
      } else {
        this.totals.set(k, it.value);
        success.push({ ...it });
      }
    }
    if (fault?.kind === 'apply-then-timeout')
      throw new ExistError('timeout', 'No answer within 30 s', { maybeApplied: true, endpoint });
    if (fault?.kind === 'apply-then-500')
      throw new ExistError('server', 'HTTP 502', { status: 502, maybeApplied: true, endpoint });
    if (fault?.kind === 'apply-then-hang') return new Promise<never>(() => undefined);
    return { status: failed.length > 0 ? 202 : 200, success, failed };
  }
}

/** A fresh temporary data directory, removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `n` consecutive dates from `start` (YYYY-MM-DD). */
export function dates(n: number, start = '2024-01-01'): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
}
