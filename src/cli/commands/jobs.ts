/**
 * `exist-tray jobs add|list|run|remove` and `exist-tray import FILE`: scheduled syncs and
 * history import from the command line, through the same contract channels (and the same
 * validation) as Settings → Sync. Exit codes: 0 ok, 1 failure, 2 usage.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors';
import { assertNever } from '../../shared/result';
import type { ImportPreview, JobRunView, JobSource, JobSpec, JobView } from '../../shared/ipc-contract';
import { UsageError, type CliContext } from '../context';
import { openCliCore, type CliCore } from '../host';
import type { CommandRegistrar } from '../program';

/** Where terminal progress goes; injectable so tests can check both modes. */
export interface ProgressTerminal {
  /** Whether stderr is an interactive terminal (an updating line) or a pipe/log (plain lines). */
  isTTY: boolean;
  /** Raw write to stderr, used for the `\r`-updated line. */
  write(s: string): void;
}

/** Largest import file read (the IPC schema's limit). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

export interface JobsCommandsOptions {
  open?: (ctx: CliContext) => Promise<Pick<CliCore, 'call' | 'close'> & { core: Pick<CliCore['core'], 'onPush'> }>;
  terminal?: ProgressTerminal;
  cwd?: () => string;
}

export interface JobAddOptions {
  attribute: string;
  command?: string;
  file?: string;
  format?: string;
  dateColumn?: string;
  valueColumn?: string;
  jsonPath?: string;
  url?: string;
  schedule?: string;
  daysBack?: string;
}

/** Turns `jobs add` options into a JobSpec, or a UsageError saying what is missing or contradictory. */
export function jobSpecFromOptions(o: JobAddOptions, cwd: string): JobSpec {
  const given = (['command', 'file', 'url'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1)
    throw new UsageError(
      given.length === 0
        ? 'say where the values come from: --command CMD, --file PATH or --url URL'
        : `choose one source, not ${given.map((g) => `--${g}`).join(' and ')}`,
    );
  let source: JobSource;
  const columns = o.dateColumn !== undefined || o.valueColumn !== undefined;
  switch (given[0]!) {
    case 'command':
      if (columns || o.jsonPath !== undefined || o.format !== undefined)
        throw new UsageError(
          '--format, --date-column, --value-column and --json-path go with --file or --url, not --command',
        );
      source = { kind: 'command', command: o.command! };
      break;
    case 'file': {
      const path = resolve(cwd, o.file!);
      const ext = extname(path).toLowerCase();
      const format = o.format ?? (ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : undefined);
      if (format !== 'csv' && format !== 'json')
        throw new UsageError(
          o.format === undefined
            ? `say --format csv or --format json for ${o.file}`
            : `--format is csv or json, not “${o.format}”`,
        );
      if (format === 'csv' && o.jsonPath !== undefined)
        throw new UsageError('--json-path is for JSON files; a CSV takes --date-column and --value-column');
      source = {
        kind: 'file',
        path,
        format,
        ...(o.dateColumn !== undefined ? { dateColumn: o.dateColumn } : {}),
        ...(o.valueColumn !== undefined ? { valueColumn: o.valueColumn } : {}),
        ...(o.jsonPath !== undefined ? { jsonPath: o.jsonPath } : {}),
      };
      break;
    }
    case 'url':
      if (columns || o.format !== undefined) throw new UsageError('a --url source takes --json-path only');
      if (!/^https:\/\//i.test(o.url!)) throw new UsageError(`job URLs must start with https:// (got “${o.url}”)`);
      source = { kind: 'url', url: o.url!, ...(o.jsonPath !== undefined ? { jsonPath: o.jsonPath } : {}) };
      break;
    default:
      return assertNever(given[0]!, 'source option');
  }
  const daysBack = o.daysBack === undefined ? 1 : Number(o.daysBack);
  if (!Number.isInteger(daysBack) || daysBack < 1 || daysBack > 31)
    throw new UsageError(`--days-back is a whole number from 1 to 31, not “${o.daysBack}”`);
  return { attribute: o.attribute, source, schedule: o.schedule?.trim() || 'hourly', daysBack };
}

const time = (ms: number | null): string => {
  if (ms === null) return 'never';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

export function describeSource(s: JobSource): string {
  switch (s.kind) {
    case 'command':
      return `command: ${s.command}`;
    case 'file':
      return `${s.format} file: ${s.path}${s.jsonPath ? ` at ${s.jsonPath}` : ''}${s.dateColumn || s.valueColumn ? ` (columns ${s.dateColumn ?? 'date'}, ${s.valueColumn ?? 'value'})` : ''}`;
    case 'url':
      return `url: ${s.url}${s.jsonPath ? ` at ${s.jsonPath}` : ''}`;
    default:
      return assertNever(s, 'job source');
  }
}

export function describeRun(r: JobRunView): string {
  const what = r.ok
    ? r.sent.length === 0
      ? 'ok, nothing changed'
      : `ok, sent ${r.sent.map((s) => `${s.date}=${s.value}`).join(', ')}`
    : `FAILED: ${r.error ?? 'unknown error'}${r.sent.length > 0 ? ` (queued before failing: ${r.sent.map((s) => `${s.date}=${s.value}`).join(', ')})` : ''}`;
  return `${time(r.at)}  ${what}`;
}

export function describeJob(j: JobView, runs = 5): string[] {
  const lines = [
    `${j.id}  ${j.attribute}  ${j.schedule}, ${j.daysBack} day${j.daysBack === 1 ? '' : 's'} back  next run: ${time(j.nextRunAt)}`,
    `    ${describeSource(j.source)}`,
  ];
  const recent = j.runs.slice(-runs).reverse();
  if (recent.length === 0) lines.push('    no runs yet');
  for (const r of recent) lines.push(`    ${describeRun(r)}`);
  return lines;
}

/** Draws import progress: one `\r`-updated line on a terminal, plain lines otherwise. */
export function progressPrinter(
  ctx: CliContext,
  terminal: ProgressTerminal,
): { update(p: { sent: number; total: number }): void; end(): void } {
  let last = -1;
  let drawn = false;
  return {
    update({ sent, total }) {
      if (ctx.json || sent === last) return;
      last = sent;
      const pct = total > 0 ? Math.floor((sent / total) * 100) : 100;
      if (terminal.isTTY) {
        const width = 24;
        const filled = Math.round((pct / 100) * width);
        terminal.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${sent}/${total} values sent`);
        drawn = true;
      } else ctx.io.stderr(`sent ${sent} of ${total} values (${pct}%)`);
    },
    end() {
      if (drawn) terminal.write('\n');
      drawn = false;
    },
  };
}

function readImportFile(path: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UserError('not-a-file', `${path} is not a file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      'cannot-read',
      `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`,
    );
  }
  if (size > MAX_IMPORT_BYTES) throw new UserError('too-big', `${path} is over 2 MiB; split it into smaller files.`);
  return readFileSync(path, 'utf8');
}

function printErrors(ctx: CliContext, p: ImportPreview): void {
  if (ctx.json) return;
  for (const e of p.errors) ctx.io.stderr(`line ${e.line}: ${e.message}`);
}

/** The registrar with injectable core opener and terminal (tests); see {@link registerJobsCommands}. */
export function createJobsCommands(options: JobsCommandsOptions = {}): CommandRegistrar {
  const open = options.open ?? ((c: CliContext) => openCliCore(c));
  const terminal: ProgressTerminal = options.terminal ?? {
    isTTY: Boolean(process.stderr.isTTY),
    write: (s) => void process.stderr.write(s),
  };
  const cwd = options.cwd ?? (() => process.cwd());

  const withCore = async <T>(ctx: CliContext, f: (cli: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> => {
    const cli = await open(ctx);
    try {
      return await f(cli);
    } finally {
      await cli.close();
    }
  };

  return (program: Command, ctx) => {
    const jobs = program
      .command('jobs')
      .description('scheduled syncs from a command, a file or a URL into an attribute (at most hourly)');

    jobs
      .command('add')
      .description('add a job that writes daily totals of an attribute')
      .requiredOption('--attribute <name>', 'the owned attribute to write')
      .option('--command <cmd>', 'a command line (run with your shell) printing a number or {"YYYY-MM-DD": value} JSON')
      .option('--file <path>', 'a local CSV or JSON file')
      .option('--format <csv|json>', 'the file format (default: from the extension)')
      .option('--date-column <name>', 'CSV column (or JSON field of list items) with the date (default "date")')
      .option('--value-column <name>', 'CSV column (or JSON field of list items) with the value (default "value")')
      .option('--json-path <path>', 'where the value is in the JSON, e.g. data.steps or items[0].total')
      .option('--url <url>', 'an https:// address answering JSON')
      .option(
        '--schedule <hourly|cron>',
        '"hourly" (default) or a cron expression, in your Exist timezone; at most hourly',
      )
      .option('--days-back <n>', 'days before today to send as well (default 1: yesterday)')
      .action(async (o: JobAddOptions) => {
        const c = ctx();
        const spec = jobSpecFromOptions(o, cwd());
        await withCore(c, async (cli) => {
          const job = await cli.call('jobs:add', spec);
          c.print(job, () => [`Added job ${job.id}.`, ...describeJob(job)]);
        });
      });

    jobs
      .command('list')
      .description('list jobs with their recent runs')
      .option('--runs <n>', 'recent runs shown per job', '5')
      .action(async (o: { runs: string }) => {
        const c = ctx();
        const n = Number(o.runs);
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--runs is a whole number, not “${o.runs}”`);
        await withCore(c, async (cli) => {
          const list = await cli.call('jobs:list', {});
          c.print(list, () =>
            list.length === 0
              ? ['No jobs. Add one with `exist-tray jobs add`.']
              : list.flatMap((j) => describeJob(j, n)),
          );
        });
      });

    jobs
      .command('run')
      .description('run a job now')
      .argument('<id>', 'the job, as shown by `jobs list`')
      .action(async (id: string) => {
        const c = ctx();
        await withCore(c, async (cli) => {
          const run = await cli.call('jobs:run', { id });
          c.print(run, () => describeRun(run));
          if (!run.ok) throw new UserError('job-failed', `job ${id} failed; nothing was written.`);
        });
      });

    jobs
      .command('remove')
      .description('remove a job (values it already wrote stay in Exist)')
      .argument('<id>', 'the job, as shown by `jobs list`')
      .action(async (id: string) => {
        const c = ctx();
        await withCore(c, async (cli) => {
          const r = await cli.call('jobs:remove', { id });
          c.print(r, () => `Removed job ${r.id}.`);
        });
      });

    program
      .command('import')
      .description('import history from a CSV: date,value (with --attribute) or date,attribute,value; header optional')
      .argument('<file>', 'the CSV file')
      .option('--attribute <name>', 'the attribute of a date,value file')
      .option('--dry-run', 'check the file and show what would be sent, without sending')
      .option('--skip-bad-rows', 'import the good rows even when some rows are bad (they are listed)')
      .action(async (file: string, o: { attribute?: string; dryRun?: boolean; skipBadRows?: boolean }) => {
        const c = ctx();
        const csv = readImportFile(resolve(cwd(), file));
        const request = { csv, ...(o.attribute !== undefined ? { attribute: o.attribute } : {}) };
        await withCore(c, async (cli) => {
          const preview = await cli.call('import:preview', request);
          printErrors(c, preview);
          const bad = preview.errors.length;
          const summary = `${preview.rows.length} row${preview.rows.length === 1 ? '' : 's'} to send in ${preview.calls} call${preview.calls === 1 ? '' : 's'}${bad > 0 ? `; ${bad} bad row${bad === 1 ? '' : 's'} listed above` : ''}.`;
          if (o.dryRun) {
            c.print(preview, () => summary);
            if (bad > 0) throw new UserError('bad-rows', `${bad} bad row${bad === 1 ? '' : 's'}.`);
            return;
          }
          if (bad > 0 && !o.skipBadRows)
            throw new UserError(
              'bad-rows',
              `${bad} bad row${bad === 1 ? '' : 's'}; nothing was imported. Fix ${bad === 1 ? 'it' : 'them'}, or pass --skip-bad-rows to import the ${preview.rows.length} good one${preview.rows.length === 1 ? '' : 's'}.`,
            );
          const bar = progressPrinter(c, terminal);
          const off = cli.core.onPush((channel, payload) => {
            if (channel === 'import:progress') bar.update(payload as { sent: number; total: number });
          });
          let result: { queued: number; calls: number };
          try {
            result = await cli.call('import:run', request);
          } finally {
            off();
            bar.end();
          }
          const waiting = await cli.call('sync:get', {}).then(
            (s) => s.pending,
            () => 0,
          );
          c.print({ ...result, skipped: bad, pending: waiting }, () => [
            `Imported ${result.queued} value${result.queued === 1 ? '' : 's'} (${result.calls} call${result.calls === 1 ? '' : 's'} to Exist)${bad > 0 ? `; ${bad} bad row${bad === 1 ? '' : 's'} not imported` : ''}.`,
            ...(waiting > 0
              ? [`${waiting} value${waiting === 1 ? ' is' : 's are'} still queued; \`exist-tray sync\` sends them.`]
              : []),
          ]);
        });
      });
  };
}

/** `jobs …` and `import` on the CLI core; the lead adds this to `commands/index.ts`. */
export const registerJobsCommands: CommandRegistrar = createJobsCommands();
