import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR_MS, jobsHandlers, MAX_TIMER_MS, type JobsService } from '../../../src/core/jobs';
import { jobSpec as spec, serviceWithFakes, START, tempDir, testClock, type FakePort, type TestClock } from './helpers';

/** A command source whose output the test controls: JSON for today and yesterday, or a failure. */
function scriptedCommand() {
  const state = { output: '{}' as string | null, calls: 0 };
  const runCommand = async () => {
    state.calls++;
    if (state.output === null) throw new Error('The command exited with code 1: not logged in');
    return state.output;
  };
  return { state, runCommand };
}

describe('jobs service', () => {
  let tmp: ReturnType<typeof tempDir>;
  let tc: TestClock;
  let service: JobsService;
  let port: FakePort;
  let cmd: ReturnType<typeof scriptedCommand>;

  beforeEach(() => {
    tmp = tempDir();
    tc = testClock(START);
    cmd = scriptedCommand();
    ({ service, port } = serviceWithFakes(tmp.dir, tc, { runCommand: cmd.runCommand }));
  });
  afterEach(() => {
    service.stop();
    tmp.cleanup();
  });

  it('runs an hourly job every hour, sending today’s and yesterday’s totals as they change', async () => {
    const job = await service.add(spec());
    service.start();
    // Each hour the source reports growing totals for today, and yesterday's final total.
    let hour = 0;
    cmd.state.output = JSON.stringify({ '2026-11-29': 9000, '2026-11-30': 100 });
    const runsAt: number[] = [];
    for (hour = 1; hour <= 5; hour++) {
      await tc.advance(HOUR_MS);
      runsAt.push(
        ...service
          .list()[0]!
          .runs.map((r) => r.at)
          .filter((t) => !runsAt.includes(t)),
      );
      cmd.state.output = JSON.stringify({ '2026-11-29': 9000, '2026-11-30': 100 * (hour + 1) });
    }
    expect(runsAt).toHaveLength(5);
    for (let i = 1; i < runsAt.length; i++) expect(runsAt[i]! - runsAt[i - 1]!).toBe(HOUR_MS);
    expect(runsAt[0]).toBe(job.nextRunAt);
    // The first run sent both days; later runs only today's changed total.
    expect(port.sets[0]).toEqual({ name: 'steps', date: '2026-11-29', value: 9000 });
    expect(port.sets[1]).toEqual({ name: 'steps', date: '2026-11-30', value: 100 });
    expect(port.sets.slice(2)).toEqual(
      [200, 300, 400, 500].map((v) => ({ name: 'steps', date: '2026-11-30', value: v })),
    );
    expect(service.list()[0]!.runs.every((r) => r.ok)).toBe(true);
    expect(port.flushes).toBe(5);
  });

  it('after midnight sends the new day and yesterday’s final total', async () => {
    await service.add(spec({ daysBack: 2 }));
    cmd.state.output = JSON.stringify({
      '2026-11-28': 1,
      '2026-11-29': 2,
      '2026-11-30': 3,
      '2026-12-01': 4,
      '2026-11-01': 99,
    });
    const run = await service.run('j1');
    // Today (30th), yesterday and the day before; not tomorrow, not a month ago.
    expect(run.sent).toEqual([
      { date: '2026-11-28', value: 1 },
      { date: '2026-11-29', value: 2 },
      { date: '2026-11-30', value: 3 },
    ]);
  });

  it('a job whose values did not change sends nothing', async () => {
    await service.add(spec());
    cmd.state.output = JSON.stringify({ '2026-11-29': 10, '2026-11-30': 20 });
    const first = await service.run('j1');
    expect(first.sent).toHaveLength(2);
    const flushes = port.flushes;
    const second = await service.run('j1');
    expect(second).toMatchObject({ ok: true, sent: [] });
    expect(port.sets).toHaveLength(2);
    expect(port.flushes).toBe(flushes);
    // Still nothing after a restart: last-sent values are persisted.
    const again = serviceWithFakes(tmp.dir, tc, { runCommand: cmd.runCommand });
    expect((await again.service.run('j1')).sent).toEqual([]);
    expect(again.port.sets).toEqual([]);
  });

  it('a failing command source notifies once, writes nothing, and notifies again only after a success', async () => {
    await service.add(spec());
    service.start();
    cmd.state.output = null;
    await tc.advance(5 * HOUR_MS);
    const runs = service.list()[0]!.runs;
    expect(runs).toHaveLength(5);
    expect(runs.every((r) => !r.ok && r.error?.includes('not logged in'))).toBe(true);
    expect(port.sets).toEqual([]);
    expect(port.notices).toHaveLength(1);
    expect(port.notices[0]).toMatchObject({ kind: 'job-failing' });
    expect(port.notices[0]!.body).toContain('not logged in');
    expect(port.notices[0]!.body).toContain('Nothing was written');

    cmd.state.output = '5';
    await tc.advance(HOUR_MS);
    expect(service.list()[0]!.runs.at(-1)).toMatchObject({ ok: true, sent: [{ date: '2026-11-30', value: 5 }] });
    expect(port.cleared).toBeGreaterThan(0);
    cmd.state.output = null;
    await tc.advance(2 * HOUR_MS);
    expect(port.notices).toHaveLength(2);
  });

  it('writes nothing when any value in the window is invalid for the attribute', async () => {
    await service.add(spec({ attribute: 'mood' })); // scale 1–9
    cmd.state.output = JSON.stringify({ '2026-11-29': 5, '2026-11-30': 12 });
    const run = await service.run('j1');
    expect(run.ok).toBe(false);
    expect(run.error).toContain('2026-11-30');
    expect(port.sets).toEqual([]);
  });

  it('validates text readings per value type (durations from h:mm)', async () => {
    await service.add(spec({ attribute: 'time_reading' }));
    cmd.state.output = '1:30';
    expect((await service.run('j1')).sent).toEqual([{ date: '2026-11-30', value: 90 }]);
  });

  it('refuses a cron faster than hourly, an unowned attribute, and a relative file path', async () => {
    await expect(service.add(spec({ schedule: '*/15 * * * *' }))).rejects.toMatchObject({
      code: 'schedule-too-often',
      message: expect.stringContaining('runs every 15 minutes; Exist asks syncs to run at most hourly'),
    });
    await expect(service.add(spec({ attribute: 'not_mine' }))).rejects.toMatchObject({ code: 'not-owned' });
    await expect(service.add(spec({ source: { kind: 'file', path: 'log.csv', format: 'csv' } }))).rejects.toMatchObject(
      { code: 'relative-path' },
    );
    await expect(service.add(spec({ source: { kind: 'url', url: 'http://example.test/' } }))).rejects.toMatchObject({
      code: 'invalid-job',
    });
    expect(service.list()).toEqual([]);
    expect(existsSync(join(tmp.dir, 'jobs.json'))).toBe(false);
  });

  it('runs a cron job in the user’s timezone, never faster than hourly', async () => {
    const job = await service.add(spec({ schedule: '30 9 * * *' }));
    // Next 09:30 London after 10:05 is tomorrow.
    expect(new Date(job.nextRunAt!).toISOString()).toBe('2026-12-01T09:30:00.000Z');
    service.start();
    cmd.state.output = '1';
    await tc.advance(3 * 24 * HOUR_MS);
    expect(service.list()[0]!.runs.map((r) => new Date(r.at).toISOString())).toEqual([
      '2026-12-01T09:30:00.000Z',
      '2026-12-02T09:30:00.000Z',
      '2026-12-03T09:30:00.000Z',
    ]);
  });

  it('chunks long waits so no timer exceeds the limit', async () => {
    await service.add(spec({ schedule: '0 0 1 1 *' })); // yearly
    service.start();
    await tc.advance(40 * 24 * HOUR_MS);
    expect(tc.maxDelayRequested()).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(service.list()[0]!.runs).toHaveLength(1); // 2027-01-01 00:00
  });

  it('runs a job whose time passed during sleep once, on wake', async () => {
    await service.add(spec());
    service.start();
    cmd.state.output = '7';
    await tc.advance(HOUR_MS);
    expect(service.list()[0]!.runs).toHaveLength(1);
    // The machine sleeps for 5 hours: timers are suspended, the wall clock moves on.
    tc.jump(5 * HOUR_MS);
    cmd.state.output = '8';
    await service.wake();
    const runs = service.list()[0]!.runs;
    expect(runs).toHaveLength(2);
    expect(runs[1]!.at).toBe(tc.now());
    expect(port.sets.at(-1)).toMatchObject({ value: 8 });
    // The next run is on the job's hourly slot again (at least an hour later), not five catch-up runs.
    const wait = service.list()[0]!.nextRunAt! - tc.now();
    expect(wait).toBeGreaterThanOrEqual(HOUR_MS - 1000);
    expect(wait).toBeLessThan(2 * HOUR_MS);
    await tc.advance(HOUR_MS - 2000);
    expect(service.list()[0]!.runs).toHaveLength(2);
    await tc.advance(HOUR_MS);
    expect(service.list()[0]!.runs).toHaveLength(3);
  });

  it('runs a job missed while the app was closed when it starts again', async () => {
    await service.add(spec());
    service.stop();
    tc.jump(3 * HOUR_MS);
    cmd.state.output = '3';
    const again = serviceWithFakes(tmp.dir, tc, { runCommand: cmd.runCommand });
    again.service.start();
    await tc.advance(0);
    expect(again.service.list()[0]!.runs).toHaveLength(1);
    again.service.stop();
  });

  it('keeps the last 20 runs, persisted in jobs.json', async () => {
    await service.add(spec());
    for (let i = 0; i < 23; i++) {
      cmd.state.output = String(i + 1);
      await service.run('j1');
    }
    const file = JSON.parse(readFileSync(join(tmp.dir, 'jobs.json'), 'utf8'));
    expect(file.jobs[0].runs).toHaveLength(20);
    expect(file.jobs[0].runs.at(-1).sent).toEqual([{ date: '2026-11-30', value: 23 }]);
    expect(service.list()[0]!.runs[0]!.sent[0]!.value).toBe(4);
  });

  it('sets a damaged jobs file aside instead of losing it', async () => {
    writeFileSync(join(tmp.dir, 'jobs.json'), '{"version":1,"jobs":[{"id":');
    const fresh = serviceWithFakes(tmp.dir, tc);
    expect(fresh.service.list()).toEqual([]);
    expect(fresh.service.warnings[0]).toMatch(/damaged.*kept as .*jobs\.json\.corrupt-/);
    const aside = readdirSync(tmp.dir).find((f) => f.startsWith('jobs.json.corrupt-'))!;
    expect(readFileSync(join(tmp.dir, aside), 'utf8')).toBe('{"version":1,"jobs":[{"id":');
  });

  it('removes jobs, and unknown ids are a clear error', async () => {
    await service.add(spec());
    await expect(service.run('j9')).rejects.toMatchObject({ code: 'no-such-job' });
    await service.remove('j1');
    expect(service.list()).toEqual([]);
    await expect(service.remove('j1')).rejects.toMatchObject({ code: 'no-such-job' });
  });

  it('answers the contract channels through jobsHandlers', async () => {
    const h = jobsHandlers(service);
    const sender = { url: 'test:', trusted: true };
    const view = await h['jobs:add'](spec(), sender);
    expect(await h['jobs:list']({}, sender)).toEqual([view]);
    cmd.state.output = '11';
    expect(await h['jobs:run']({ id: view.id }, sender)).toMatchObject({
      ok: true,
      sent: [{ date: '2026-11-30', value: 11 }],
    });
    expect(await h['import:preview']({ csv: '2026-11-01,5', attribute: 'steps' }, sender)).toMatchObject({
      rows: [{ line: 1, value: 5 }],
      calls: 1,
    });
    expect(await h['jobs:remove']({ id: view.id }, sender)).toEqual({ id: view.id });
  });
});
