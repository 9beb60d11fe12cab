/**
 * Shared pieces of the reliability suite and the benchmark (`bench/run.ts`): a seeded
 * PRNG, a virtual clock shared by the outbox and the sandbox, the adapter from the real
 * Exist client to the outbox's write port (as the app core wires it), an in-memory
 * account store, and the ledger that compares the sandbox's final state with the state
 * the user asked for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountStore, StoredAccount } from '../../src/core/auth/token-store';
import type { OutboxOp, QueuedItem } from '../../src/core/outbox/types';
import type { Clock } from '../../src/core/ports';
import type { SandboxStateSnapshot } from '../../src/sandbox';

/** mulberry32: small, fast, seeded; the same seed gives the same schedule on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi]. */
export const randInt = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** A clock that only moves when told to: the outbox, its rate budget, the token manager and the sandbox share it. */
export interface VirtualClock extends Clock {
  /** Jumps forward to `t` (never back), firing timers that fall due on the way. */
  advanceTo(t: number): void;
  advance(ms: number): void;
  /** When the earliest pending timer is due, or null when none is. */
  nextTimerAt(): number | null;
}

export function virtualClock(start = Date.UTC(2025, 5, 1, 12)): VirtualClock {
  let now = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: VirtualClock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.push({ at: now + Math.max(0, ms), fn, id });
      return () => {
        timers = timers.filter((t) => t.id !== id);
      };
    },
    advanceTo(t) {
      const end = Math.max(now, t);
      for (;;) {
        const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        now = Math.max(now, due.at);
        due.fn();
      }
      now = end;
    },
    advance(ms) {
      clock.advanceTo(now + ms);
    },
    nextTimerAt: () => (timers.length === 0 ? null : Math.min(...timers.map((t) => t.at))),
  };
  return clock;
}

/** The outbox's write port over the real Exist client, as the app core uses it. */
export { existWriteApi } from '../../src/core/outbox/exist-write-api';

/** An account store in memory (the token manager saves every refresh here). */
export function memoryAccountStore(initial: StoredAccount): AccountStore & { saves: number } {
  let account: StoredAccount | null = { ...initial };
  const store = {
    saves: 0,
    load: async () => (account ? { ...account } : null),
    save: async (a: StoredAccount) => {
      store.saves++;
      account = { ...a };
    },
    clear: async () => {
      account = null;
    },
  };
  return store;
}

/** A token pair from the sandbox as the stored account the token manager expects. */
export function accountFor(
  sb: { url: string; clientId: string; clientSecret: string },
  t: { access_token: string; refresh_token: string; expires_in: number },
  scopes: string[],
  now: number,
): StoredAccount {
  return {
    baseUrl: sb.url,
    clientId: sb.clientId,
    clientSecret: sb.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: scopes,
    expiresAt: now + t.expires_in * 1000,
    obtainedAt: now,
    status: 'connected',
    profile: null,
  };
}

/**
 * Attributes the suite writes, acquired by template: integers, a duration and a decimal
 * (quarter steps, exact in binary, so sums compare exactly). None is seeded in the sandbox.
 */
export const SUITE_ATTRIBUTES = [
  { name: 'pages_read', group: 'media', step: 1 },
  { name: 'commits', group: 'productivity', step: 1 },
  { name: 'pomodoros_min', group: 'productivity', step: 5 },
  { name: 'water', group: 'food', step: 1 },
  { name: 'money_spent', group: 'finance', step: 0.25 },
] as const;

export const writeScopes = (groups: readonly string[]): string[] => [...new Set(groups.map((g) => `${g}_write`))];
export const readScopes = (groups: readonly string[]): string[] => [...new Set(groups.map((g) => `${g}_read`))];

/** `n` consecutive dates ending `last` (YYYY-MM-DD). */
export function datesBack(n: number, last = '2025-05-31'): string[] {
  const t = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** A random write: mostly increments (a click or a few), sometimes a day's total. */
export function randomOp(
  rand: () => number,
  attrs: readonly { name: string; step: number }[],
  dates: readonly string[],
  setShare = 0.25,
): OutboxOp {
  const a = pick(rand, attrs);
  const date = pick(rand, dates);
  if (rand() < setShare) return { kind: 'set', name: a.name, date, value: randInt(rand, 0, 400) * a.step };
  const clicks = rand() < 0.8 ? 1 : randInt(rand, 2, 10);
  return { kind: 'increment', name: a.name, date, delta: clicks * a.step };
}

const key = (name: string, date: string): string => `${name}|${date}`;

/**
 * What the user asked for, applied in order: a set replaces the day, an increment adds.
 * Also remembers, per day, the increments after its last set (the only ones a
 * "may have counted twice" resend can inflate).
 */
export class Ledger {
  readonly intended = new Map<string, number>();
  readonly sinceSet = new Map<string, { id: string; delta: number }[]>();
  writes = 0;

  constructor(initial: Map<string, number> = new Map()) {
    for (const [k, v] of initial) this.intended.set(k, v);
  }

  record(op: OutboxOp, id: string): void {
    this.writes++;
    const k = key(op.name, op.date);
    if (op.kind === 'set') {
      this.intended.set(k, op.value as number);
      this.sinceSet.set(k, []);
    } else {
      this.intended.set(k, (this.intended.get(k) ?? 0) + op.delta);
      const list = this.sinceSet.get(k) ?? [];
      list.push({ id, delta: op.delta });
      this.sinceSet.set(k, list);
    }
  }

  /**
   * Compares with the sandbox. `lost`: days below what was asked (or missing).
   * `doubled`: days above it that no flagged item explains — an excess is explained only
   * when the outbox flagged increments of that day (after its last set) "may have counted
   * twice", and the excess is at most `maxResends` × their sum.
   */
  compare(
    state: SandboxStateSnapshot,
    flagged: ReadonlySet<string> = new Set(),
    maxResends = 1,
  ): { lost: number; doubled: number; flaggedDoubled: number; keys: number; problems: string[] } {
    const actual = new Map<string, number | string>();
    for (const a of state.attributes) for (const [d, v] of Object.entries(a.values)) actual.set(key(a.name, d), v);
    let lost = 0;
    let doubled = 0;
    let flaggedDoubled = 0;
    const problems: string[] = [];
    for (const [k, want] of this.intended) {
      const got = actual.get(k);
      const diff = typeof got === 'number' ? Math.round((got - want) * 1e6) / 1e6 : Number.NaN;
      if (diff === 0) continue;
      if (Number.isNaN(diff) || diff < 0) {
        lost++;
        if (problems.length < 10) problems.push(`${k}: want ${want}, sandbox has ${String(got)} (lost)`);
        continue;
      }
      const flaggedSum = (this.sinceSet.get(k) ?? []).filter((i) => flagged.has(i.id)).reduce((s, i) => s + i.delta, 0);
      if (flaggedSum > 0 && diff <= flaggedSum * maxResends + 1e-9) flaggedDoubled++;
      else {
        doubled++;
        if (problems.length < 10)
          problems.push(`${k}: want ${want}, sandbox has ${String(got)} (doubled, not flagged)`);
      }
    }
    return { lost, doubled, flaggedDoubled, keys: this.intended.size, problems };
  }
}

/** Collects the ids the outbox ever flagged "may have counted twice" (flags survive pruning this way). */
export function flagCollector(): { ids: Set<string>; onItem: (i: QueuedItem) => void } {
  const ids = new Set<string>();
  return { ids, onItem: (i) => void (i.maybeDoubled ? ids.add(i.id) : undefined) };
}

/** A fresh temporary directory and its remover. */
export function tempDir(prefix = 'exist-rel-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export { freePort } from '../support/net';
