/**
 * History import: a CSV of `date,value` (for one attribute named by the caller) or
 * `date,attribute,value`, header optional. Every row is checked the way a typed value is
 * (owned attribute, real date not in the future, value valid for the attribute's type);
 * bad rows are listed with their line numbers, never dropped silently.
 *
 * Streamed (pacing, issue 19): papaparse's step parser is paused every `batchSize` rows
 * while the batch is checked and handed on (`scanImport`), so an import queues its rows
 * into the outbox a batch at a time, each batch durable before the next is read. A
 * 50,000-row file then never holds 50,000 row objects, pending promises and journal
 * records at once (it took 437 MB and 29 s when queued all together). The preview still
 * collects every row, because the interface shows them.
 */
import Papa from 'papaparse';
import { MAX_OBJECTS_PER_CALL, type IsoDate, type ValueTypeCode } from '../../shared/domain';
import type { ImportPreview } from '../../shared/ipc-contract';
import { UserError } from '../errors';
import { isIsoDate, parseValue } from '../values';

/** What the importer needs to know about an attribute this client owns. */
export interface OwnedAttributeInfo {
  name: string;
  label: string;
  value_type: ValueTypeCode;
}

export type AttributeLookup = (
  name: string,
) => OwnedAttributeInfo | undefined | Promise<OwnedAttributeInfo | undefined>;

/** Calls needed for `n` values at 35 per call. */
export const callsFor = (n: number): number => Math.ceil(n / MAX_OBJECTS_PER_CALL);

interface CsvRow {
  line: number;
  cells: string[];
}

type Problem = { line: number; message: string };

/**
 * Hands rows to `onBatch` `size` at a time, with the physical line each starts on (quoted
 * fields may span lines); blank lines are not rows. The parser waits while a batch is
 * handled. (After a resume papaparse counts `meta.cursor` from the resume point.)
 */
function csvBatches(
  text: string,
  size: number,
  onBatch: (rows: CsvRow[], problems: Problem[]) => Promise<void>,
): Promise<void> {
  const src = text.replace(/^\uFEFF/, '');
  let rows: CsvRow[] = [];
  let problems: Problem[] = [];
  let scanned = 0;
  let line = 1;
  let rowStart = 0;
  let base = 0;
  let failed: unknown = null;
  const hand = (): Promise<void> => {
    const r = rows;
    const p = problems;
    rows = [];
    problems = [];
    return r.length + p.length > 0 ? onBatch(r, p) : Promise.resolve();
  };
  return new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(src, {
      delimiter: ',',
      skipEmptyLines: false,
      step: (r, parser) => {
        for (; scanned < rowStart; scanned++) if (src.charCodeAt(scanned) === 10) line++;
        const cells = r.data.map((c) => (typeof c === 'string' ? c : String(c)));
        if (r.errors.length > 0) problems.push({ line, message: r.errors[0]!.message });
        else if (cells.some((c) => c.trim() !== '')) rows.push({ line, cells });
        rowStart = base + r.meta.cursor; // just past this row's line break
        if (rows.length + problems.length < size) return;
        parser.pause();
        base = rowStart;
        hand().then(
          () => parser.resume(),
          (e: unknown) => {
            failed = e;
            parser.abort();
          },
        );
      },
      complete: () => {
        if (failed !== null) reject(failed instanceof Error ? failed : new Error(String(failed)));
        else hand().then(resolve, reject);
      },
    });
  });
}

const looksLikeHeader = (cells: string[]): boolean => !isIsoDate(cells[0]?.trim());

export interface ImportContext {
  csv: string;
  /** For `date,value` files: the attribute every row is for. */
  attribute?: string | undefined;
  lookup: AttributeLookup;
  /** Today in the user's Exist timezone; later dates are refused. */
  today: IsoDate;
}

export type ImportRow = ImportPreview['rows'][number];

interface Columns {
  date: number;
  attribute: number | null;
  value: number;
  /** The first row's width (extra empty cells up to it are allowed). */
  width: number;
}

/** The layout from the first row: a header naming the columns, or date,value / date,attribute,value. */
function columnsOf(first: CsvRow, ctx: ImportContext): { cols: Columns; header: boolean } {
  const width = first.cells.length;
  const byWidth = (): Omit<Columns, 'width'> | null =>
    width === 2 ? { date: 0, attribute: null, value: 1 } : width === 3 ? { date: 0, attribute: 1, value: 2 } : null;
  let cols: Omit<Columns, 'width'> | null;
  const header = looksLikeHeader(first.cells);
  if (header) {
    const names = first.cells.map((c) => c.trim().toLowerCase());
    const idx = (n: string) => names.indexOf(n);
    cols =
      idx('date') >= 0 && idx('value') >= 0
        ? {
            date: idx('date'),
            value: idx('value'),
            attribute: idx('attribute') >= 0 ? idx('attribute') : idx('name') >= 0 ? idx('name') : null,
          }
        : byWidth();
    if (!cols)
      throw new UserError(
        'import-layout',
        `Line ${first.line} looks like a header, but not one with “date” and “value” columns (got: ${first.cells.join(', ')}).`,
      );
  } else {
    cols = byWidth();
    if (!cols)
      throw new UserError(
        'import-layout',
        `Line ${first.line} has ${width} columns; an import has date,value or date,attribute,value.`,
      );
  }
  if (cols.attribute === null && !ctx.attribute)
    throw new UserError(
      'attribute-required',
      'This file has date,value columns: say which attribute they are for (--attribute NAME).',
      'attribute',
    );
  return { cols: { ...cols, width }, header };
}

/** Per-import memory: attributes looked up, and the line each attribute+day was first seen on. */
interface Checker {
  ctx: ImportContext;
  cols: Columns;
  seen: Map<string, number>;
  attrs: Map<string, OwnedAttributeInfo | undefined>;
}

/** Checks one data row: the row to import, or why not. */
async function checkRow(k: Checker, row: CsvRow): Promise<ImportRow | string> {
  const { ctx, cols } = k;
  const cell = (i: number | null) => (i === null ? '' : (row.cells[i] ?? '').trim());
  const expected = cols.attribute === null ? 2 : 3;
  const used = Math.max(cols.width, expected);
  if (row.cells.length < expected || row.cells.slice(used).some((c) => c.trim() !== ''))
    return `expected ${expected} columns, found ${row.cells.length}`;
  const date = cell(cols.date);
  if (!isIsoDate(date)) return `“${date}” is not a date (use YYYY-MM-DD)`;
  if (date > ctx.today) return `${date} is in the future (today is ${ctx.today} in your Exist timezone)`;
  const name = cols.attribute === null ? ctx.attribute! : cell(cols.attribute);
  if (name === '') return 'no attribute';
  if (cols.attribute !== null && ctx.attribute && name !== ctx.attribute)
    return `this row is for “${name}”, but the import is for “${ctx.attribute}”`;
  if (!k.attrs.has(name)) k.attrs.set(name, await ctx.lookup(name));
  const a = k.attrs.get(name);
  if (!a) return `Exist Tray does not own “${name}” (add it in Settings → Attributes first)`;
  const raw = cell(cols.value);
  if (raw === '') return 'no value (Exist cannot set a day back to empty)';
  const v = parseValue(a.value_type, raw, { attributeName: a.name });
  if (!v.ok) return `${a.label}: ${v.message}`;
  const key = `${name}|${date}`;
  const earlier = k.seen.get(key);
  if (earlier !== undefined) return `${name} on ${date} is already on line ${earlier}; one value per day`;
  k.seen.set(key, row.line);
  return { line: row.line, date, attribute: name, value: v.value };
}

/**
 * Reads and checks an import as a stream: valid rows go to `onRows` a batch at a time (the
 * parser waits for each), bad rows come back in `errors`, sorted by line. Throws UserError
 * only when the file as a whole cannot be read (no rows, unknown layout, `date,value`
 * without an attribute) — before any row is handed on.
 */
export async function scanImport(
  ctx: ImportContext,
  onRows: (rows: ImportRow[]) => Promise<void>,
  batchSize = 1000,
): Promise<{ errors: ImportPreview['errors']; count: number }> {
  const errors: ImportPreview['errors'] = [];
  let checker: Checker | null = null;
  let count = 0;
  let sawRow = false;
  await csvBatches(ctx.csv, batchSize, async (rows, problems) => {
    for (const p of problems) errors.push({ line: p.line, message: `cannot read the row: ${p.message}` });
    let data = rows;
    if (!checker && rows.length > 0) {
      const { cols, header } = columnsOf(rows[0]!, ctx);
      checker = { ctx, cols, seen: new Map(), attrs: new Map() };
      if (header) data = rows.slice(1);
    }
    sawRow ||= rows.length > 0;
    const good: ImportRow[] = [];
    for (const row of data) {
      const r = await checkRow(checker!, row);
      if (typeof r === 'string') errors.push({ line: row.line, message: r });
      else good.push(r);
    }
    count += good.length;
    if (good.length > 0) await onRows(good);
  });
  if (!sawRow && errors.length === 0) throw new UserError('empty-import', 'The file has no rows to import.');
  errors.sort((a, b) => a.line - b.line);
  return { errors, count };
}

/** Reads and checks an import, collecting every valid row (what the interface previews). */
export async function previewImport(ctx: ImportContext, batchSize?: number): Promise<ImportPreview> {
  const rows: ImportRow[] = [];
  const { errors } = await scanImport(
    ctx,
    async (batch) => {
      rows.push(...batch);
    },
    batchSize,
  );
  return { rows, errors, calls: callsFor(rows.length) };
}
