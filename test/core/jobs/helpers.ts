/** Test helpers for jobs: a fake clock that waits for the service between timers, a fake outbox port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../src/core/ports';
import { createJobsService, type JobsService, type JobsServiceDeps } from '../../../src/core/jobs';
import type { OwnedAttributeInfo } from '../../../src/core/jobs';
import type { JobSpec } from '../../../src/shared/ipc-contract';

export const settle = async (rounds = 5): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

export interface TestClock {
  clock: Clock;
  now(): number;
  /** Moves time to now+ms, firing due timers in order; after each, waits for `idle` (the service's runs). */
  advance(ms: number): Promise<void>;
  /** The wall clock jumps (sleep): no timer fires, pending timers stay relative (monotonic). */
  jump(ms: number): void;
  pendingTimers(): number;
  maxDelayRequested(): number;
  idle: () => Promise<void>;
}

export function testClock(start: number): TestClock {
  let now = start;
  let seq = 0;
  let maxDelay = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const t: TestClock = {
    clock: {
      now: () => now,
      setTimeout(fn, ms) {
        maxDelay = Math.max(maxDelay, ms);
        const id = ++seq;
        timers.set(id, { at: now + Math.max(0, ms), fn });
        return () => void timers.delete(id);
      },
    },
    now: () => now,
    idle: async () => {},
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await settle();
        await t.idle();
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const e of timers)
          if (e[1].at <= target && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0])))
            next = e;
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].fn();
      }
      now = target;
      await settle();
      await t.idle();
    },
    jump(ms) {
      now += ms;
      for (const x of timers.values()) x.at += ms;
    },
    pendingTimers: () => timers.size,
    maxDelayRequested: () => maxDelay,
  };
  return t;
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'exist-jobs-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FakePort {
  sets: { name: string; date: string; value: number | string }[];
  flushes: number;
  notices: { kind: string; title: string; body: string }[];
  cleared: number;
  changes: number;
}

export const ATTRS: Record<string, OwnedAttributeInfo> = {
  steps: { name: 'steps', label: 'Steps', value_type: 0 },
  pages_read: { name: 'pages_read', label: 'Pages read', value_type: 0 },
  weight: { name: 'weight', label: 'Weight', value_type: 1 },
  time_reading: { name: 'time_reading', label: 'Time reading', value_type: 3 },
  mood: { name: 'mood', label: 'Mood', value_type: 8 },
};

/** A service over a fake outbox port that records every queued set, flush and notification. */
export function serviceWithFakes(
  dir: string,
  tc: TestClock,
  over: Partial<JobsServiceDeps> = {},
): { service: JobsService; port: FakePort } {
  const port: FakePort = { sets: [], flushes: 0, notices: [], cleared: 0, changes: 0 };
  const service = createJobsService({
    dataDir: dir,
    clock: tc.clock,
    enqueueSet: async (name, date, value) => {
      port.sets.push({ name, date, value });
      return { id: `o${port.sets.length}` };
    },
    flush: async () => {
      port.flushes++;
    },
    attribute: (name) => ATTRS[name],
    timezone: () => 'Europe/London',
    notifyOnce: (kind, title, body) => void port.notices.push({ kind, title, body }),
    clearNotice: () => void port.cleared++,
    onJobsChanged: () => void port.changes++,
    ...over,
  });
  tc.idle = () => service.idle();
  return { service, port };
}

/** 2026-11-30 10:05 in London (UTC in winter): the service suites' start time. */
export const START = Date.UTC(2026, 10, 30, 10, 5);

/** An hourly command job for `steps`, today and yesterday; `over` changes any part. */
export const jobSpec = (over: Partial<JobSpec> = {}): JobSpec => ({
  attribute: 'steps',
  source: { kind: 'command', command: 'steps-export --json' },
  schedule: 'hourly',
  daysBack: 1,
  ...over,
});
