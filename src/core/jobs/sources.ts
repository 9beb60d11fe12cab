/**
 * Reading a job's source into raw daily readings: a command's output, a local CSV or
 * JSON file, or an HTTPS JSON document (public addresses only: ../net/public-https.ts). The result is per date ("today" for a bare
 * number); values stay raw here and are validated against the attribute's value type by
 * the service, so a source cannot put anything into the outbox the app would not accept
 * from a person.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import Papa from 'papaparse';
import type { IsoDate } from '../../shared/domain';
import type { JobSource } from '../../shared/ipc-contract';
import { assertNever } from '../../shared/result';
import { getPublicHttps, type PublicHttpsOptions } from '../net/public-https';
import { isIsoDate } from '../values';
import { resolveJsonPath } from './json-path';

/** A raw value as read: a number from JSON, or text to be parsed per value type. */
export type RawValue = number | string;

/** What a source said: values for explicit dates, or one value meaning "today's total". */
export type Readings = { kind: 'today'; value: RawValue } | { kind: 'dates'; values: Map<IsoDate, RawValue> };

/** Runs a user's command line; resolves with its stdout or rejects with a sentence. */
export type CommandRunner = (command: string, opts: { timeoutMs: number; maxBytes: number }) => Promise<string>;

export interface SourceOptions {
  /** How URL sources are fetched (public https only; tests inject DNS and a CA). */
  https?: PublicHttpsOptions;
  runCommand?: CommandRunner;
  /** Default 60 s for commands, 30 s for URLs. */
  timeoutMs?: number;
  /** Largest output or file read, default 1 MiB for commands, 5 MiB for files and URLs. */
  maxBytes?: number;
}

/** A failure of the source itself (not a bug): shown in the run's `error`. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

export const COMMAND_TIMEOUT_MS = 60_000;
export const URL_TIMEOUT_MS = 30_000;
export const COMMAND_MAX_BYTES = 1024 * 1024;
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/**
 * Runs `command` with the user's own shell (`$SHELL -c`, or `cmd.exe /d /s /c` on
 * Windows) — it is their command line, so pipes and quoting mean what they would in a
 * terminal, and nothing of ours is ever interpolated into it. No stdin; stdout capped;
 * the whole process group is killed on timeout or overflow.
 */
export const runUserCommand: CommandRunner = (command, { timeoutMs, maxBytes }) =>
  new Promise((resolve, reject) => {
    const win = process.platform === 'win32';
    const shell = win ? (process.env.ComSpec ?? 'cmd.exe') : process.env.SHELL || '/bin/sh';
    const args = win ? ['/d', '/s', '/c', command] : ['-c', command];
    let child;
    try {
      child = spawn(shell, args, {
        cwd: homedir(),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: !win, // own process group, so a timeout kills the pipeline too
        windowsHide: true,
        windowsVerbatimArguments: win,
      });
    } catch (e) {
      reject(new SourceError(`Could not start the command: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let errText = '';
    let failure: string | null = null;
    const kill = () => {
      try {
        if (!win && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      failure = `The command did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxBytes) {
        if (!failure) failure = `The command printed more than ${mib(maxBytes)} and was stopped.`;
        kill();
        return;
      }
      out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errText.length < 4000) errText += b.toString('utf8');
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new SourceError(`Could not start the command: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(new SourceError(failure));
      const stderr = errText.trim().split('\n').slice(-3).join(' ').slice(0, 300);
      if (code !== 0)
        return reject(
          new SourceError(
            `The command exited with ${code === null ? `signal ${signal ?? '?'}` : `code ${code}`}${stderr ? `: ${stderr}` : '.'}`,
          ),
        );
      resolve(Buffer.concat(out).toString('utf8'));
    });
  });

/** A date key or cell: `YYYY-MM-DD`, optionally followed by a time (`2026-11-30T08:00`, `2026-11-30 08:00`). */
export function dateOf(s: unknown): IsoDate | null {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  const d = t.slice(0, 10);
  if (!isIsoDate(d)) return null;
  if (t.length > 10 && !/^[T ]/.test(t.slice(10))) return null;
  return d;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const rawOf = (v: unknown, where: string): RawValue => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new SourceError(
    `${where} is ${v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not a value.`,
  );
};

/** Several readings for one date are added up (a log of events); text keeps the last. */
function addReading(values: Map<IsoDate, RawValue>, date: IsoDate, v: RawValue): void {
  const prev = values.get(date);
  values.set(date, typeof prev === 'number' && typeof v === 'number' ? prev + v : v);
}

/**
 * Interprets a JSON document (after the optional path): a number or text is today's total;
 * an object keyed by dates (`{"2026-11-29": 31}`) or a list of `{date, value}` objects (field
 * names configurable) gives values per date.
 */
export function readingsFromJson(
  doc: unknown,
  opts: { jsonPath?: string | undefined; dateField?: string | undefined; valueField?: string | undefined } = {},
): Readings {
  const r = resolveJsonPath(doc, opts.jsonPath);
  if (!r.ok) throw new SourceError(r.message);
  const v = r.value;
  const at = opts.jsonPath ? `The value at “${opts.jsonPath}”` : 'The output';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    return { kind: 'today', value: rawOf(v, at) };
  const dateField = opts.dateField || 'date';
  const valueField = opts.valueField || 'value';
  const values = new Map<IsoDate, RawValue>();
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return { kind: 'dates', values };
    const notDates = keys.filter((k) => dateOf(k) === null);
    if (notDates.length > 0)
      throw new SourceError(
        `${at} is an object whose keys are not all dates (e.g. “${notDates[0]}”). Expected a number, {"YYYY-MM-DD": value}, or a list of {"${dateField}", "${valueField}"}; set a JSON path to the number you want.`,
      );
    for (const k of keys) addReading(values, dateOf(k)!, rawOf(v[k], `The value for ${k}`));
    return { kind: 'dates', values };
  }
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      if (!isPlainObject(item) || !(dateField in item) || !(valueField in item))
        throw new SourceError(`Item [${i}] is not an object with “${dateField}” and “${valueField}”.`);
      const d = dateOf(item[dateField]);
      if (!d) throw new SourceError(`Item [${i}] has “${String(item[dateField])}” as its date; use YYYY-MM-DD.`);
      addReading(values, d, rawOf(item[valueField], `Item [${i}]’s “${valueField}”`));
    });
    return { kind: 'dates', values };
  }
  throw new SourceError(`${at} is null, not a value.`);
}

/**
 * A command's stdout: JSON (number, object of dates, list) when it parses, otherwise the
 * trimmed text as today's total (so `echo 42` and `echo 1:30` both work).
 */
export function readingsFromOutput(stdout: string): Readings {
  const text = stdout.trim();
  if (text === '') throw new SourceError('The command printed nothing.');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    if (text.includes('\n'))
      throw new SourceError(`The command printed several lines that are not JSON: “${text.slice(0, 80)}…”.`);
    return { kind: 'today', value: text };
  }
  return readingsFromJson(doc);
}

/** A CSV with a header row; `dateColumn` / `valueColumn` default to `date` / `value` (case-insensitive). */
export function readingsFromCsv(
  text: string,
  opts: { dateColumn?: string | undefined; valueColumn?: string | undefined } = {},
): Readings {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  if (rows.length === 0) throw new SourceError('The CSV file is empty.');
  const header = rows[0]!.map((h) => h.trim());
  const find = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const dateName = opts.dateColumn || 'date';
  const valueName = opts.valueColumn || 'value';
  const di = find(dateName);
  const vi = find(valueName);
  const cols = header.map((h) => `“${h}”`).join(', ');
  if (di < 0) throw new SourceError(`The CSV has no “${dateName}” column (its columns: ${cols}). Set the date column.`);
  if (vi < 0)
    throw new SourceError(`The CSV has no “${valueName}” column (its columns: ${cols}). Set the value column.`);
  const values = new Map<IsoDate, RawValue>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const d = dateOf(row[di]);
    if (!d) throw new SourceError(`CSV row ${r + 1}: “${row[di] ?? ''}” is not a date (YYYY-MM-DD).`);
    const cell = (row[vi] ?? '').trim();
    if (cell === '') continue; // an empty cell is "no reading" for that row
    const n = Number(cell);
    addReading(values, d, /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cell) && Number.isFinite(n) ? n : cell);
  }
  return { kind: 'dates', values };
}

async function readCapped(path: string, maxBytes: number): Promise<string> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    throw new SourceError(
      `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`,
    );
  }
  if (!st.isFile()) throw new SourceError(`${path} is not a file.`);
  if (st.size > maxBytes)
    throw new SourceError(`${path} is ${mib(st.size)}; job files may be at most ${mib(maxBytes)}.`);
  return fs.readFile(path, 'utf8');
}

async function fetchJson(url: string, opts: PublicHttpsOptions): Promise<unknown> {
  let answer;
  try {
    answer = await getPublicHttps(url, opts);
  } catch (e) {
    throw new SourceError(e instanceof Error ? e.message : String(e));
  }
  if (answer.status < 200 || answer.status > 299) throw new SourceError(`${url} answered HTTP ${answer.status}.`);
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new SourceError(`${url} did not answer with JSON (it starts “${answer.body.slice(0, 40)}”).`);
  }
}

/** Reads one source. Throws SourceError with a sentence for the run's error. */
export async function readSource(source: JobSource, opts: SourceOptions = {}): Promise<Readings> {
  switch (source.kind) {
    case 'command': {
      const run = opts.runCommand ?? runUserCommand;
      const stdout = await run(source.command, {
        timeoutMs: opts.timeoutMs ?? COMMAND_TIMEOUT_MS,
        maxBytes: opts.maxBytes ?? COMMAND_MAX_BYTES,
      });
      if (stdout.length > (opts.maxBytes ?? COMMAND_MAX_BYTES)) throw new SourceError('The command printed too much.');
      return readingsFromOutput(stdout);
    }
    case 'file': {
      const text = await readCapped(source.path, opts.maxBytes ?? DOCUMENT_MAX_BYTES);
      switch (source.format) {
        case 'csv':
          return readingsFromCsv(text, { dateColumn: source.dateColumn, valueColumn: source.valueColumn });
        case 'json': {
          let doc: unknown;
          try {
            doc = JSON.parse(text);
          } catch (e) {
            throw new SourceError(`${source.path} is not valid JSON: ${(e as Error).message}`);
          }
          return readingsFromJson(doc, {
            jsonPath: source.jsonPath,
            dateField: source.dateColumn,
            valueField: source.valueColumn,
          });
        }
        default:
          return assertNever(source.format, 'file format');
      }
    }
    case 'url': {
      const doc = await fetchJson(source.url, {
        ...opts.https,
        timeoutMs: opts.timeoutMs ?? URL_TIMEOUT_MS,
        maxBytes: opts.maxBytes ?? DOCUMENT_MAX_BYTES,
      });
      return readingsFromJson(doc, { jsonPath: source.jsonPath });
    }
    default:
      return assertNever(source, 'job source');
  }
}
