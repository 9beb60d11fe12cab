/**
 * Issue 16: "Run now" moved "next" an hour on. A run by hand is the user's, not the
 * schedule's: the next scheduled run stays on its slot. Only when the slot has already come
 * (the hand run covered it, e.g. from the one-shot CLI, which never starts the scheduler)
 * does "next" move, and then to the following slot, not one after it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hourlyOffsetMs, type JobsService } from '../../../src/core/jobs';
import { jobSpec as spec, serviceWithFakes, START, tempDir, testClock, type TestClock } from './helpers';

describe('jobs: Run now keeps the schedule', () => {
  let tmp: ReturnType<typeof tempDir>;
  let tc: TestClock;
  let service: JobsService;
  let output: string;

  beforeEach(() => {
    tmp = tempDir();
    tc = testClock(START);
    output = '5';
    ({ service } = serviceWithFakes(tmp.dir, tc, { runCommand: async () => output }));
  });
  afterEach(() => {
    service.stop();
    tmp.cleanup();
  });

  it('a cron job run by hand still runs at its next slot', async () => {
    const job = await service.add(spec({ schedule: '15 * * * *' }));
    expect(new Date(job.nextRunAt!).toISOString()).toBe('2026-11-30T10:15:00.000Z');
    service.start();
    const run = await service.run(job.id);
    expect(run.ok).toBe(true);
    expect(new Date(service.list()[0]!.nextRunAt!).toISOString()).toBe('2026-11-30T10:15:00.000Z');
    // And the scheduled run happens there.
    output = '6';
    await tc.advance(10 * 60_000 + 1000);
    const runs = service.list()[0]!.runs.map((r) => new Date(r.at).toISOString());
    expect(runs).toEqual(['2026-11-30T10:05:00.000Z', '2026-11-30T10:15:00.000Z']);
    expect(new Date(service.list()[0]!.nextRunAt!).toISOString()).toBe('2026-11-30T11:15:00.000Z');
  });

  it('an hourly job run by hand keeps its slot, twice in a row', async () => {
    const job = await service.add(spec());
    expect(hourlyOffsetMs(job.id)).toBe(40 * 60_000); // j1 runs at :40
    expect(new Date(job.nextRunAt!).toISOString()).toBe('2026-11-30T10:40:00.000Z');
    service.start();
    await service.run(job.id); // 10:05
    expect(service.list()[0]!.nextRunAt).toBe(job.nextRunAt);
    await tc.advance(10 * 60_000);
    await service.run(job.id); // 10:15
    expect(service.list()[0]!.nextRunAt).toBe(job.nextRunAt);
    await tc.advance(26 * 60_000); // 10:41
    const runs = service.list()[0]!.runs.map((r) => new Date(r.at).toISOString().slice(11, 16));
    expect(runs).toEqual(['10:05', '10:15', '10:40']);
    expect(new Date(service.list()[0]!.nextRunAt!).toISOString()).toBe('2026-11-30T11:40:00.000Z');
  });

  it('a hand run after the slot has passed (CLI, no scheduler) moves next to the following slot only', async () => {
    const job = await service.add(spec({ schedule: '15 * * * *' }));
    // The scheduler is not started (the one-shot CLI): 10:15 passes without a run.
    tc.jump(30 * 60_000); // 10:35
    await service.run(job.id);
    expect(new Date(service.list()[0]!.nextRunAt!).toISOString()).toBe('2026-11-30T11:15:00.000Z');
  });

  it('a scheduled run still moves next to the following slot', async () => {
    const job = await service.add(spec({ schedule: '15 * * * *' }));
    service.start();
    await tc.advance(11 * 60_000);
    expect(service.list()[0]!.runs).toHaveLength(1);
    expect(new Date(service.list()[0]!.nextRunAt!).toISOString()).toBe('2026-11-30T11:15:00.000Z');
    expect(job.id).toBe('j1');
  });
});
