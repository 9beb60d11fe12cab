/**
 * Scheduled sync jobs and history import, electron-free.
 *
 * A job reads a source (command, local file, HTTPS JSON) and writes DAILY TOTALS of one
 * owned attribute as `set` operations through the outbox — so job writes get the same
 * durability, batching (35 a call) and rate budget as clicks, and this module never
 * talks to Exist itself. Per Exist's good-citizenship rules a job runs at most hourly and
 * sends yesterday's total (`daysBack` days) as well as today's; only values that changed
 * since the last successful run are queued. A failing job writes nothing, notifies once,
 * and notifies again only after it has succeeded in between.
 *
 * Runs are serialised (one at a time), persisted in `<dataDir>/jobs.json` with the last
 * 20 runs of each job, and timers are chunked so long cron gaps never overflow
 * setTimeout. A run whose time passed while the machine slept (or the app was closed)
 * happens on `wake()` / `start()` — once, not once per missed hour. A run by hand ("Run now",
 * `exist-tray jobs run`) does not move the schedule: the next run stays on its slot.
 *
 * Parts: ./collect reads a job's source and checks its window of values, ./import-commands
 * wires the CSV import to the outbox, ./schedule computes slots, ./store owns jobs.json.
 */
import { isAbsolute, join } from 'node:path';
import type { IsoDate } from '../../shared/domain';
import type { ImportPreview, InvokeHandlers, JobRunView, JobSpec, JobView } from '../../shared/ipc-contract';
import { invokeSchemas } from '../../shared/ipc-schemas';
import { UserError } from '../errors';
import { setTimeoutAt } from '../timers';
import type { Clock } from '../ports';
import type { PublicHttpsOptions } from '../net/public-https';
import { addDays, isValidTimeZone, todayIn } from '../values';
import { collectValues } from './collect';
import type { AttributeLookup } from './import';
import { createImportCommands } from './import-commands';
import { checkSchedule, nextRunAt } from './schedule';
import type { CommandRunner } from './sources';
import { createJobsWriter, loadJobsFile, RUNS_KEPT, type JobsFile, type StoredJob } from './store';
import { serial } from '../fs';

export { resolveJsonPath, parseJsonPath } from './json-path';
export { checkSchedule, nextRunAt, hourlyOffsetMs, HOUR_MS, HOURLY } from './schedule';
export { previewImport, callsFor, type AttributeLookup, type OwnedAttributeInfo } from './import';
export {
  readSource,
  readingsFromJson,
  readingsFromOutput,
  readingsFromCsv,
  runUserCommand,
  SourceError,
} from './sources';
export type { CommandRunner, Readings, RawValue } from './sources';

/** Longest single timer; the scheduler re-checks the clock at least this often (sleep, clock changes). */
export const MAX_TIMER_MS = 15 * 60_000;
/** Dates kept in a job's "last sent" memory beyond its window. */
const LAST_SENT_SLACK_DAYS = 7;

export interface JobsServiceDeps {
  dataDir: string;
  clock: Clock;
  /** Queues a day's total in the outbox (durable when it resolves). */
  enqueueSet(name: string, date: IsoDate, value: number | string): Promise<{ id: string }>;
  /** Sends what is queued (the outbox's flush; never expected to throw, but may). */
  flush(): Promise<unknown>;
  /** An attribute this client owns, or undefined (unknown, or owned by another service). */
  attribute: AttributeLookup;
  /** The user's Exist timezone (IANA); "today" and cron schedules use it. */
  timezone(): string;
  /** Shows a desktop notification for a condition; the service calls it once per failure episode. */
  notifyOnce(kind: 'job-failing', title: string, body: string): void;
  /** The condition is over (no job failing): a later failure may notify again. */
  clearNotice(kind: 'job-failing'): void;
  onJobsChanged?(jobs: JobView[]): void;
  onImportProgress?(p: { sent: number; total: number }): void;
  /** Subscribes to the outbox's `progress` events (for import progress); returns the unsubscribe. */
  onOutboxProgress?(listener: (p: { sent: number; total: number }) => void): () => void;
  /** URL sources (public https only); tests inject DNS and a CA. */
  https?: PublicHttpsOptions;
  runCommand?: CommandRunner;
  /** Source time limit (default 60 s for commands, 30 s for URLs). */
  sourceTimeoutMs?: number;
}

export interface JobsService {
  list(): JobView[];
  add(spec: JobSpec): Promise<JobView>;
  remove(id: string): Promise<{ id: string }>;
  /** Runs a job now (queued behind any run in progress) and returns what it did. */
  run(id: string): Promise<JobRunView>;
  /** Starts the scheduler (the tray app / browser host; not the one-shot CLI). */
  start(): void;
  stop(): void;
  /** After sleep/resume or a clock change: runs jobs whose time passed, then re-arms. */
  wake(): Promise<void>;
  preview(csv: string, attribute?: string): Promise<ImportPreview>;
  /** Queues every valid row of an import as a set, then flushes, reporting progress. */
  importCsv(csv: string, attribute?: string): Promise<{ queued: number; calls: number }>;
  /** Resolves when no run is queued or in progress. */
  idle(): Promise<void>;
  /** Problems met opening the jobs file (damaged file moved aside). */
  readonly warnings: readonly string[];
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export { toStoredValue } from './collect';

export function createJobsService(deps: JobsServiceDeps): JobsService {
  const { clock } = deps;
  const path = join(deps.dataDir, 'jobs.json');
  const loaded = loadJobsFile(path, clock.now());
  const file: JobsFile = loaded.file;
  const warnings = loaded.warning ? [loaded.warning] : [];
  const writer = createJobsWriter(path);

  const today = (): IsoDate => todayIn(tz(), clock.now());
  let started = false;
  let cancelTimer: (() => void) | null = null;
  const runs = serial(); // one run at a time
  const queued = new Set<string>();

  const tz = (): string => {
    const t = deps.timezone();
    return isValidTimeZone(t) ? t : 'UTC';
  };
  const find = (id: string): StoredJob | undefined => file.jobs.find((j) => j.id === id);
  const requireJob = (id: string): StoredJob => {
    const j = find(id);
    if (!j) throw new UserError('no-such-job', `There is no job “${id}”. See \`exist-tray jobs list\`.`, 'id');
    return j;
  };

  const view = (j: StoredJob): JobView => ({
    id: j.id,
    attribute: j.attribute,
    source: structuredClone(j.source),
    schedule: j.schedule,
    daysBack: j.daysBack,
    nextRunAt: j.nextRunAt,
    runs: j.runs.map((r) => ({ ...r, sent: r.sent.map((s) => ({ ...s })) })),
  });
  const list = (): JobView[] => file.jobs.map(view);

  const save = async (): Promise<void> => {
    await writer.save(file);
    try {
      deps.onJobsChanged?.(list());
    } catch {
      // a listener must not break the scheduler
    }
  };

  // ---------------------------------------------------------------- scheduling
  function arm(): void {
    cancelTimer?.();
    cancelTimer = null;
    if (!started) return;
    // Jobs already queued re-arm when their run ends (else a due job would spin the timer).
    const due = file.jobs
      .filter((j) => !queued.has(j.id))
      .map((j) => j.nextRunAt)
      .filter((t): t is number => t !== null);
    if (due.length === 0) return;
    cancelTimer = setTimeoutAt(
      clock,
      Math.min(...due),
      () => {
        cancelTimer = null;
        void tick();
      },
      { maxChunkMs: MAX_TIMER_MS },
    );
  }

  /** Queues a run for every job whose time has come, then re-arms. */
  function tick(): Promise<void> {
    const now = clock.now();
    const runs: Promise<unknown>[] = [];
    for (const j of file.jobs) {
      if (j.nextRunAt !== null && j.nextRunAt <= now && !queued.has(j.id))
        runs.push(enqueueRun(j.id, false).catch(() => undefined));
    }
    arm();
    return Promise.all(runs).then(() => undefined);
  }

  const enqueueRun = (id: string, byHand: boolean): Promise<JobRunView> => {
    queued.add(id);
    return runs(() =>
      runNow(id, byHand).finally(() => {
        queued.delete(id);
        arm();
      }),
    );
  };

  // ---------------------------------------------------------------- one run
  async function runNow(id: string, byHand: boolean): Promise<JobRunView> {
    const j = requireJob(id);
    const at = clock.now();
    let run: JobRunView;
    const sent: { date: IsoDate; value: number | string }[] = [];
    try {
      const values = await collectValues(deps, j, tz(), clock.now());
      const changed = values.filter((v) => j.lastSent[v.date] !== v.value);
      for (const v of changed) {
        await deps.enqueueSet(j.attribute, v.date, v.value);
        j.lastSent[v.date] = v.value;
        sent.push(v);
      }
      run = { at, ok: true, sent, error: null };
    } catch (e) {
      run = { at, ok: false, sent, error: errorText(e) };
    }
    // The job may have been removed while its source was being read.
    if (find(id) !== j) return run;
    j.runs = [...j.runs, run].slice(-RUNS_KEPT);
    j.lastRunAt = at;
    // A scheduled run's next is its following slot, at least an hour on. A run by hand keeps the
    // schedule (issue 16): "next" stays on its slot, unless the slot has come while it ran (the
    // hand run covered it; the CLI never starts the scheduler), then it is the following slot.
    const now = clock.now();
    if (!byHand) j.nextRunAt = nextRunAt(j.schedule, j.id, tz(), now, at);
    else if (j.nextRunAt === null || j.nextRunAt <= now) j.nextRunAt = nextRunAt(j.schedule, j.id, tz(), now, null);
    const oldest = addDays(todayIn(tz(), clock.now()), -(j.daysBack + LAST_SENT_SLACK_DAYS));
    for (const d of Object.keys(j.lastSent)) if (d < oldest) delete j.lastSent[d];
    if (run.ok) {
      j.failingSince = null;
      if (!file.jobs.some((x) => x.failingSince !== null)) deps.clearNotice('job-failing');
    } else if (j.failingSince === null) {
      j.failingSince = at;
      deps.notifyOnce(
        'job-failing',
        `Job for ${j.attribute} failed`,
        `${run.error ?? 'It failed.'} Nothing was written; it will try again at its next run. See Settings → Sync or \`exist-tray jobs list\`.`,
      );
    }
    await save();
    if (sent.length > 0) {
      try {
        await deps.flush();
      } catch {
        // queued durably; the outbox sends it later
      }
    }
    return run;
  }

  // ---------------------------------------------------------------- commands
  async function add(specIn: JobSpec): Promise<JobView> {
    const parsed = invokeSchemas['jobs:add'].safeParse(specIn);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new UserError(
        'invalid-job',
        `Invalid job: ${i?.path.join('.') || 'spec'}: ${i?.message ?? 'invalid'}.`,
        i?.path.join('.'),
      );
    }
    const spec = parsed.data;
    if (spec.source.kind === 'file' && !isAbsolute(spec.source.path))
      throw new UserError('relative-path', `Give the file as a full path (got “${spec.source.path}”).`, 'source.path');
    const a = await deps.attribute(spec.attribute);
    if (!a)
      throw new UserError(
        'not-owned',
        `Exist Tray does not own “${spec.attribute}”. Add it in Settings → Attributes first.`,
        'attribute',
      );
    const s = checkSchedule(spec.schedule, tz(), clock.now());
    if (!s.ok) throw new UserError('schedule-too-often', s.message, 'schedule');
    const id = `j${file.nextId}`;
    const now = clock.now();
    const job: StoredJob = {
      id,
      attribute: spec.attribute,
      source: spec.source,
      schedule: s.schedule,
      daysBack: spec.daysBack,
      createdAt: now,
      nextRunAt: nextRunAt(s.schedule, id, tz(), now, null),
      lastRunAt: null,
      failingSince: null,
      lastSent: {},
      runs: [],
    };
    file.nextId++;
    file.jobs.push(job);
    await save();
    arm();
    return view(job);
  }

  async function remove(id: string): Promise<{ id: string }> {
    requireJob(id);
    file.jobs = file.jobs.filter((j) => j.id !== id);
    if (!file.jobs.some((x) => x.failingSince !== null)) deps.clearNotice('job-failing');
    await save();
    arm();
    return { id };
  }

  const { preview, importCsv } = createImportCommands(deps, today);

  return {
    list,
    add,
    remove,
    run: async (id) => {
      requireJob(id);
      return enqueueRun(id, true);
    },
    start() {
      if (started) return;
      started = true;
      const now = clock.now();
      for (const j of file.jobs)
        if (j.nextRunAt === null) j.nextRunAt = nextRunAt(j.schedule, j.id, tz(), now, j.lastRunAt);
      void tick();
    },
    stop() {
      started = false;
      cancelTimer?.();
      cancelTimer = null;
    },
    async wake() {
      if (!started) return;
      await tick();
    },
    preview,
    importCsv,
    idle: () => runs.idle(),
    get warnings() {
      return warnings;
    },
  };
}

/** The IPC handlers of the jobs and import channels, for `createAppCore` to spread into its map. */
export function jobsHandlers(
  service: JobsService,
): Pick<InvokeHandlers, 'jobs:list' | 'jobs:add' | 'jobs:remove' | 'jobs:run' | 'import:preview' | 'import:run'> {
  return {
    'jobs:list': async () => service.list(),
    'jobs:add': (spec) => service.add(spec),
    'jobs:remove': ({ id }) => service.remove(id),
    'jobs:run': ({ id }) => service.run(id),
    'import:preview': ({ csv, attribute }) => service.preview(csv, attribute),
    'import:run': ({ csv, attribute }) => service.importCsv(csv, attribute),
  };
}
