/** Test helpers for the auth tests: a fake clock, in-memory stores, a free loopback port. */
import { createServer } from 'node:net';
import type { Clock, SecretStore } from '../../../src/core/ports';
import type { AccountStore, StoredAccount } from '../../../src/core/auth/token-store';

export interface FakeClock {
  clock: Clock;
  now(): number;
  /** Moves time forward, firing due timers in order and letting async work settle after each. */
  advance(ms: number): Promise<void>;
  /** The wall clock jumps (sleep, manual change): no timers fire, and pending timers stay
   * relative (like real monotonic timers) so they come due `ms` later in wall time too. */
  jump(ms: number): void;
  pendingTimers(): number;
  /** Largest delay ever passed to setTimeout. */
  maxDelayRequested(): number;
}

export const flush = async (rounds = 8): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

export function createFakeClock(start = Date.UTC(2024, 0, 1)): FakeClock {
  let now = start;
  let seq = 0;
  let maxDelay = 0;
  const timers = new Map<number, { at: number; fn: () => void; id: number }>();
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      maxDelay = Math.max(maxDelay, ms);
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn, id });
      return () => void timers.delete(id);
    },
  };
  return {
    clock,
    now: () => now,
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await flush();
        let next: { at: number; fn: () => void; id: number } | undefined;
        for (const t of timers.values())
          if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
        if (!next) break;
        timers.delete(next.id);
        now = Math.max(now, next.at);
        next.fn();
      }
      now = target;
      await flush();
    },
    jump(ms) {
      now += ms;
      for (const t of timers.values()) t.at += ms;
    },
    pendingTimers: () => timers.size,
    maxDelayRequested: () => maxDelay,
  };
}

export function memorySecretStore(initial: Record<string, string> = {}): SecretStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: async (k) => data.get(k),
    set: async (k, v) => void data.set(k, v),
    delete: async (k) => void data.delete(k),
  };
}

/** An AccountStore in memory that records every save (a copy). */
export function memoryAccountStore(
  initial: StoredAccount | null = null,
): AccountStore & { saves: StoredAccount[]; value(): StoredAccount | null } {
  let value = initial ? structuredClone(initial) : null;
  const saves: StoredAccount[] = [];
  return {
    saves,
    value: () => value,
    load: async () => (value ? structuredClone(value) : null),
    save: async (a) => {
      saves.push(structuredClone(a));
      value = structuredClone(a);
    },
    clear: async () => {
      value = null;
    },
  };
}

export const YEAR_S = 31535999;
export const DAY = 24 * 60 * 60 * 1000;

export function account(over: Partial<StoredAccount> = {}): StoredAccount {
  const obtainedAt = over.obtainedAt ?? Date.UTC(2024, 0, 1);
  return {
    baseUrl: 'http://127.0.0.1:9',
    clientId: 'cid',
    clientSecret: 'csecret',
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    scope: ['media_write'],
    obtainedAt,
    expiresAt: obtainedAt + YEAR_S * 1000,
    status: 'connected',
    profile: null,
    ...over,
  };
}

export { freePort } from '../../support/net';

/** Whether this machine can bind ::1. */
export async function hasIPv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '::1', port: 0, ipv6Only: true }, () => s.close(() => resolve(true)));
  });
}
