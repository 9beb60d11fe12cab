/**
 * Child process of `npm run bench` (own process, so its peak RSS is honest): imports an
 * N-row CSV through the real jobs service into a real outbox (fsync'ed journal), with
 * sending held back, and prints JSON: rows queued, seconds to queue, peak RSS.
 *
 *   tsx bench/import-child.ts 50000
 */
import { performance } from 'node:perf_hooks';
import { createJobsService } from '../src/core/jobs/index';
import { createOutbox, type OutboxWriteApi } from '../src/core/outbox/index';
import { systemClock } from '../src/core/ports';
import { tempDir } from '../test/reliability/harness';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 50_000);
  const start = Date.UTC(2025, 5, 1) - n * 86_400_000;
  const lines = ['date,value'];
  for (let i = 0; i < n; i++) lines.push(`${new Date(start + i * 86_400_000).toISOString().slice(0, 10)},${i % 997}`);
  const csv = lines.join('\n');
  lines.length = 0;
  const { dir, cleanup } = tempDir('exist-bench-import-');
  const never: OutboxWriteApi = { increment: () => new Promise(() => {}), update: () => new Promise(() => {}) };
  try {
    const outbox = await createOutbox({ dir, api: never, clock: systemClock });
    const jobs = createJobsService({
      dataDir: dir,
      clock: systemClock,
      timezone: () => 'UTC',
      enqueueSet: (name, date, value) => outbox.enqueue({ kind: 'set', name, date, value }),
      flush: async () => undefined, // sending is measured elsewhere; this is the time to queue
      attribute: async (name) =>
        name === 'words_written' ? { name, label: 'Words written', value_type: 0 } : undefined,
      notifyOnce: () => {},
      clearNotice: () => {},
    });
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await jobs.importCsv(csv, 'words_written');
    const seconds = (performance.now() - t0) / 1000;
    const pending = outbox.pending().length;
    await outbox.close();
    process.stdout.write(
      `${JSON.stringify({
        rows: n,
        csvBytes: Buffer.byteLength(csv),
        queued: r.queued,
        pending,
        secondsToQueue: Math.round(seconds * 100) / 100,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        rssBeforeMB: Math.round(rssBefore / 1048576),
      })}\n`,
    );
  } finally {
    cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
