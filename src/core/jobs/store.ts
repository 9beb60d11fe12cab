/**
 * `<dataDir>/jobs.json`: the jobs, what each last sent per date (so unchanged values are
 * not resent), whether it is failing (so it notifies once), and its last runs. Written
 * atomically; validated with zod on load. A file that cannot be read is renamed aside
 * (`jobs.json.corrupt-<time>`) and reported, never overwritten silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { JobRunView, JobSpec } from '../../shared/ipc-contract';
import { serial, setAside, writeFileAtomic } from '../fs';

/** Runs kept per job. */
export const RUNS_KEPT = 20;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const value = z.union([z.number(), z.string()]);

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), command: z.string() }),
  z.object({
    kind: z.literal('file'),
    path: z.string(),
    format: z.enum(['csv', 'json']),
    dateColumn: z.string().optional(),
    valueColumn: z.string().optional(),
    jsonPath: z.string().optional(),
  }),
  z.object({ kind: z.literal('url'), url: z.string(), jsonPath: z.string().optional() }),
]);

const runSchema = z.object({
  at: z.number(),
  ok: z.boolean(),
  sent: z.array(z.object({ date: isoDate, value })),
  error: z.string().nullable(),
});

const jobSchema = z.object({
  id: z.string().min(1),
  attribute: z.string().min(1),
  source: sourceSchema,
  schedule: z.string().min(1),
  daysBack: z.number().int().min(0).max(31),
  createdAt: z.number(),
  /** When the next scheduled run is due; kept across restarts so a missed run happens on start. */
  nextRunAt: z.number().nullable(),
  lastRunAt: z.number().nullable(),
  /** Since when the job has been failing (null: its last run succeeded). */
  failingSince: z.number().nullable(),
  /** The value last queued per date, by successful runs. */
  lastSent: z.record(z.string(), value),
  runs: z.array(runSchema),
});

const fileSchema = z.object({ version: z.literal(1), nextId: z.number().int().min(1), jobs: z.array(jobSchema) });

export type StoredJob = z.infer<typeof jobSchema> & JobSpec;
export type StoredRun = JobRunView;
export type JobsFile = { version: 1; nextId: number; jobs: StoredJob[] };

export const emptyJobsFile = (): JobsFile => ({ version: 1, nextId: 1, jobs: [] });

/** Loads the jobs file; a damaged one is moved aside and a warning returned. */
export function loadJobsFile(path: string, nowMs: number): { file: JobsFile; warning: string | null } {
  if (!existsSync(path)) return { file: emptyJobsFile(), warning: null };
  let reason: string;
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return { file: parsed.data as JobsFile, warning: null };
    const i = parsed.error.issues[0];
    reason = `${i?.path.join('.') || 'file'}: ${i?.message ?? 'invalid'}`;
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  let aside: string;
  try {
    aside = setAside(path, 'The jobs file', reason, nowMs).keptAs;
  } catch (e) {
    // Cannot move it: refuse to go on and overwrite it later.
    throw new Error(
      `The jobs file ${path} is damaged (${reason}) and could not be moved aside: ${(e as Error).message}`,
    );
  }
  return {
    file: emptyJobsFile(),
    warning: `The jobs file was damaged (${reason}); it was kept as ${aside} and the app started with no jobs.`,
  };
}

/** Serialised atomic saves: the last state always wins, and writes never interleave. */
export function createJobsWriter(path: string): { save(file: JobsFile): Promise<void> } {
  const run = serial();
  return {
    save(file) {
      const text = `${JSON.stringify(file, null, 2)}\n`;
      return run(() => writeFileAtomic(path, text));
    },
  };
}
