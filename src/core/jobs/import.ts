/**
 * History import: a CSV of `date,value` (for one attribute named by the caller) or
 * `date,attribute,value`, header optional. Every row is checked the way a typed value is
 * (owned attribute, real date not in the future, value valid for the attribute's type);
 * bad rows are listed with their line numbers, never dropped silently.
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

/** Rows with the physical line each starts on (quoted fields may span lines); blank lines are not rows. */
function csvRows(text: string): { rows: CsvRow[]; problems: { line: number; message: string }[] } {
  const src = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  const problems: { line: number; message: string }[] = [];
  let scanned = 0;
  let line = 1;
  let rowStart = 0;
  Papa.parse<string[]>(src, {
    delimiter: ',',
    skipEmptyLines: false,
    step: (r) => {
      for (; scanned < rowStart; scanned++) if (src.charCodeAt(scanned) === 10) line++;
      const cells = r.data.map((c) => (typeof c === 'string' ? c : String(c)));
      if (r.errors.length > 0) problems.push({ line, message: r.errors[0]!.message });
      else if (cells.some((c) => c.trim() !== '')) rows.push({ line, cells });
      rowStart = r.meta.cursor; // just past this row's line break
    },
  });
  return { rows, problems };
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

/**
 * Reads and checks an import. Throws UserError only when the file as a whole cannot be
 * read (no rows, unknown layout, `date,value` without an attribute); row problems are
 * returned in `errors`.
 */
export async function previewImport(ctx: ImportContext): Promise<ImportPreview> {
  const { rows, problems } = csvRows(ctx.csv);
  if (rows.length === 0 && problems.length === 0)
    throw new UserError('empty-import', 'The file has no rows to import.');
  let data = rows;
  let cols: { date: number; attribute: number | null; value: number };
  if (rows.length === 0) {
    return {
      rows: [],
      errors: problems.map((p) => ({ line: p.line, message: `cannot read the row: ${p.message}` })),
      calls: 0,
    };
  }
  const first = rows[0]!;
  const width = first.cells.length;
  if (looksLikeHeader(first.cells)) {
    const names = first.cells.map((c) => c.trim().toLowerCase());
    const idx = (n: string) => names.indexOf(n);
    data = rows.slice(1);
    if (idx('date') >= 0 && idx('value') >= 0) {
      cols = {
        date: idx('date'),
        value: idx('value'),
        attribute: idx('attribute') >= 0 ? idx('attribute') : idx('name') >= 0 ? idx('name') : null,
      };
    } else if (width === 2 || width === 3) {
      cols = width === 2 ? { date: 0, attribute: null, value: 1 } : { date: 0, attribute: 1, value: 2 };
    } else {
      throw new UserError(
        'import-layout',
        `Line ${first.line} looks like a header, but not one with “date” and “value” columns (got: ${first.cells.join(', ')}).`,
      );
    }
  } else if (width === 2) {
    cols = { date: 0, attribute: null, value: 1 };
  } else if (width === 3) {
    cols = { date: 0, attribute: 1, value: 2 };
  } else {
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

  const preview: ImportPreview = {
    rows: [],
    errors: problems.map((p) => ({ line: p.line, message: `cannot read the row: ${p.message}` })),
    calls: 0,
  };
  const seen = new Map<string, number>();
  const attrCache = new Map<string, OwnedAttributeInfo | undefined>();
  const attr = async (name: string) => {
    if (!attrCache.has(name)) attrCache.set(name, await ctx.lookup(name));
    return attrCache.get(name);
  };
  for (const row of data) {
    const fail = (message: string) => preview.errors.push({ line: row.line, message });
    const cell = (i: number | null) => (i === null ? '' : (row.cells[i] ?? '').trim());
    const expected = cols.attribute === null ? 2 : 3;
    const used = Math.max(width, expected);
    if (row.cells.length < expected || row.cells.slice(used).some((c) => c.trim() !== '')) {
      fail(`expected ${expected} columns, found ${row.cells.length}`);
      continue;
    }
    const date = cell(cols.date);
    if (!isIsoDate(date)) {
      fail(`“${date}” is not a date (use YYYY-MM-DD)`);
      continue;
    }
    if (date > ctx.today) {
      fail(`${date} is in the future (today is ${ctx.today} in your Exist timezone)`);
      continue;
    }
    const name = cols.attribute === null ? ctx.attribute! : cell(cols.attribute);
    if (name === '') {
      fail('no attribute');
      continue;
    }
    if (cols.attribute !== null && ctx.attribute && name !== ctx.attribute) {
      fail(`this row is for “${name}”, but the import is for “${ctx.attribute}”`);
      continue;
    }
    const a = await attr(name);
    if (!a) {
      fail(`Exist Tray does not own “${name}” (add it in Settings → Attributes first)`);
      continue;
    }
    const raw = cell(cols.value);
    if (raw === '') {
      fail('no value (Exist cannot set a day back to empty)');
      continue;
    }
    const v = parseValue(a.value_type, raw, { attributeName: a.name });
    if (!v.ok) {
      fail(`${a.label}: ${v.message}`);
      continue;
    }
    const key = `${name}|${date}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      fail(`${name} on ${date} is already on line ${earlier}; one value per day`);
      continue;
    }
    seen.set(key, row.line);
    preview.rows.push({ line: row.line, date, attribute: name, value: v.value });
  }
  preview.errors.sort((a, b) => a.line - b.line);
  preview.calls = callsFor(preview.rows.length);
  return preview;
}
