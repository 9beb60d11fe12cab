/**
 * Jobs and import end to end: the jobs service → the real outbox (journal, batching, rate
 * budget) → the typed Exist client → the sandbox over loopback HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExistClient, staticTokenProvider } from '../../../src/core/exist/client';
import { createJobsService, type JobsService } from '../../../src/core/jobs';
import { createOutbox, type Outbox } from '../../../src/core/outbox';
import { systemClock } from '../../../src/core/ports';
import { addDays, todayIn } from '../../../src/core/values';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import type { OwnedAttributeInfo } from '../../../src/core/jobs';
import { tempDir } from './helpers';
import { existWriteApi } from '../../../src/core/outbox/exist-write-api';

const TZ = 'Europe/London';

describe('jobs and import against the sandbox', () => {
  let sbx: Sandbox;
  let tmp: ReturnType<typeof tempDir>;
  let outbox: Outbox;
  let service: JobsService;
  let owned: Map<string, OwnedAttributeInfo>;
  const progress: { sent: number; total: number }[] = [];
  const command = { output: '0' };

  beforeEach(async () => {
    progress.length = 0;
    tmp = tempDir();
    sbx = await startSandbox({ timezone: TZ });
    const token = sbx.issueToken(['media_write']);
    const client = createExistClient({
      baseUrl: sbx.url,
      auth: staticTokenProvider(token.access_token),
      timeoutMs: 5_000,
    });
    const acq = await client.acquire([{ template: 'pages_read' }]);
    expect(acq.failed).toEqual([]);
    owned = new Map(
      (await client.listAllOwned()).map((a) => [a.name, { name: a.name, label: a.label, value_type: a.value_type }]),
    );
    outbox = await createOutbox({ dir: tmp.dir, api: existWriteApi(client), clock: systemClock });
    const box = outbox;
    service = createJobsService({
      dataDir: tmp.dir,
      clock: systemClock,
      enqueueSet: (name, date, value) => box.enqueue({ kind: 'set', name, date, value }),
      flush: () => box.flush(),
      attribute: (name) => owned.get(name),
      timezone: () => TZ,
      notifyOnce: () => {},
      clearNotice: () => {},
      onImportProgress: (p) => progress.push(p),
      onOutboxProgress: (l) =>
        box.onChange((e) => (e.type === 'progress' ? l({ sent: e.sent, total: e.total }) : undefined)),
      runCommand: async () => command.output,
    });
  });

  afterEach(async () => {
    service.stop();
    await outbox.close();
    await sbx.close();
    tmp.cleanup();
  });

  const updateCalls = () => sbx.admin.getState().calls.filter((c) => c.path.startsWith('/api/2/attributes/update'));
  const stored = () => sbx.admin.getState().attributes.find((a) => a.name === 'pages_read')!.values;

  it('a 1,000-row import sends 29 calls of at most 35 and reports progress to the end', async () => {
    const today = todayIn(TZ, Date.now());
    const csv = ['date,value', ...Array.from({ length: 1000 }, (_, i) => `${addDays(today, -i)},${(i % 97) + 1}`)].join(
      '\n',
    );
    const preview = await service.preview(csv, 'pages_read');
    expect(preview.errors).toEqual([]);
    expect(preview.calls).toBe(29);

    const r = await service.importCsv(csv, 'pages_read');
    expect(r).toEqual({ queued: 1000, calls: 29 });
    const calls = updateCalls();
    expect(calls).toHaveLength(29);
    expect(calls.every((c) => c.status === 200 && (c.objects ?? 0) <= 35)).toBe(true);
    expect(calls.reduce((n, c) => n + (c.objects ?? 0), 0)).toBe(1000);
    const values = stored();
    expect(values[today]).toBe(1);
    expect(values[addDays(today, -999)]).toBe((999 % 97) + 1);
    // Progress: starts at 0, only grows, ends with everything sent.
    expect(progress[0]).toEqual({ sent: 0, total: 1000 });
    expect(progress.at(-1)).toEqual({ sent: 1000, total: 1000 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.sent).toBeGreaterThanOrEqual(progress[i - 1]!.sent);
    expect(progress.length).toBeGreaterThanOrEqual(29);
    expect(outbox.pending()).toEqual([]);
  });

  it('a job sends today and yesterday through the outbox, and nothing when unchanged', async () => {
    const today = todayIn(TZ, Date.now());
    const yesterday = addDays(today, -1);
    const job = await service.add({
      attribute: 'pages_read',
      source: { kind: 'command', command: 'reading-log' },
      schedule: 'hourly',
      daysBack: 1,
    });
    command.output = JSON.stringify({ [yesterday]: 31, [today]: 12 });
    const run = await service.run(job.id);
    expect(run).toMatchObject({
      ok: true,
      sent: [
        { date: yesterday, value: 31 },
        { date: today, value: 12 },
      ],
    });
    expect(updateCalls()).toHaveLength(1);
    expect(stored()[yesterday]).toBe(31);
    expect(stored()[today]).toBe(12);

    const again = await service.run(job.id);
    expect(again).toMatchObject({ ok: true, sent: [] });
    expect(updateCalls()).toHaveLength(1);

    command.output = JSON.stringify({ [yesterday]: 31, [today]: 20 });
    expect((await service.run(job.id)).sent).toEqual([{ date: today, value: 20 }]);
    expect(updateCalls()).toHaveLength(2);
    expect(updateCalls()[1]!.objects).toBe(1);
    expect(stored()[today]).toBe(20);
  });
});
