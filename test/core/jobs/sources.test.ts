import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readingsFromCsv,
  readingsFromJson,
  readingsFromOutput,
  readSource,
  runUserCommand,
  SourceError,
  type Readings,
} from '../../../src/core/jobs/sources';
import { tempDir } from './helpers';

const dates = (r: Readings) => (r.kind === 'dates' ? Object.fromEntries(r.values) : r);

describe('interpreting output and documents', () => {
  it('reads a bare number, or bare text, as today’s total', () => {
    expect(readingsFromOutput('42\n')).toEqual({ kind: 'today', value: 42 });
    expect(readingsFromOutput('  1:30 ')).toEqual({ kind: 'today', value: '1:30' });
  });

  it('reads an object keyed by dates', () => {
    expect(dates(readingsFromOutput('{"2026-11-29": 31, "2026-11-30": 12}'))).toEqual({
      '2026-11-29': 31,
      '2026-11-30': 12,
    });
  });

  it('reads a list of {date, value}, with configurable field names, adding up repeated dates', () => {
    const doc = [
      { day: '2026-11-29T08:00:00Z', n: 2 },
      { day: '2026-11-29 20:00', n: 3 },
      { day: '2026-11-30', n: 7 },
    ];
    expect(dates(readingsFromJson(doc, { dateField: 'day', valueField: 'n' }))).toEqual({
      '2026-11-29': 5,
      '2026-11-30': 7,
    });
  });

  it('follows a JSON path to the value', () => {
    expect(readingsFromJson({ data: { summary: [{ steps: 8000 }] } }, { jsonPath: 'data.summary[0].steps' })).toEqual({
      kind: 'today',
      value: 8000,
    });
  });

  it('explains documents it cannot use', () => {
    expect(() => readingsFromOutput('')).toThrow(SourceError);
    expect(() => readingsFromOutput('a\nb')).toThrow(/several lines/);
    expect(() => readingsFromJson({ steps: 3 })).toThrow(/keys are not all dates/);
    expect(() => readingsFromJson({ data: 1 }, { jsonPath: 'date' })).toThrow(/no “date”/);
    expect(() => readingsFromJson(null)).toThrow(/null/);
    expect(() => readingsFromJson([{ date: 'yesterday', value: 1 }])).toThrow(/use YYYY-MM-DD/);
    expect(() => readingsFromJson({ '2026-11-30': { a: 1 } })).toThrow(/not a value/);
  });

  it('reads a CSV by column name, case-insensitively, skipping empty cells', () => {
    const csv = 'Day,Steps,Note\n2026-11-29,100,a\n2026-11-30,,b\n2026-11-30,250,c\n';
    expect(dates(readingsFromCsv(csv, { dateColumn: 'day', valueColumn: 'steps' }))).toEqual({
      '2026-11-29': 100,
      '2026-11-30': 250,
    });
    expect(() => readingsFromCsv(csv)).toThrow(/no “date” column \(its columns: “Day”, “Steps”, “Note”\)/);
    expect(() => readingsFromCsv('date,value\nsoon,1\n')).toThrow(/row 2: “soon” is not a date/);
  });
});

describe('reading sources', () => {
  let tmp: ReturnType<typeof tempDir> | null = null;
  afterEach(() => {
    tmp?.cleanup();
    tmp = null;
  });

  it('reads local CSV and JSON files', async () => {
    tmp = tempDir();
    const csv = join(tmp.dir, 'log.csv');
    writeFileSync(csv, 'date,value\n2026-11-30,4\n');
    expect(dates(await readSource({ kind: 'file', path: csv, format: 'csv' }))).toEqual({ '2026-11-30': 4 });
    const json = join(tmp.dir, 'log.json');
    writeFileSync(json, JSON.stringify({ days: { '2026-11-30': 9 } }));
    expect(dates(await readSource({ kind: 'file', path: json, format: 'json', jsonPath: 'days' }))).toEqual({
      '2026-11-30': 9,
    });
    await expect(readSource({ kind: 'file', path: join(tmp.dir, 'missing.csv'), format: 'csv' })).rejects.toThrow(
      /no such file/,
    );
    await expect(readSource({ kind: 'file', path: json, format: 'json' }, { maxBytes: 5 })).rejects.toThrow(/at most/);
  });

  // URL sources: test/core/jobs/url-source.test.ts (a real https server, public addresses only).

  it.skipIf(process.platform === 'win32')('runs a command with the user’s shell and captures stdout', async () => {
    const out = await runUserCommand('printf \'{"%s": %d}\' 2026-11-30 12 | cat', {
      timeoutMs: 10_000,
      maxBytes: 1000,
    });
    expect(JSON.parse(out)).toEqual({ '2026-11-30': 12 });
  });

  it.skipIf(process.platform === 'win32')('reports a failing command with its exit code and stderr', async () => {
    await expect(runUserCommand('echo broken >&2; exit 3', { timeoutMs: 10_000, maxBytes: 1000 })).rejects.toThrow(
      /code 3: broken/,
    );
  });

  it.skipIf(process.platform === 'win32')('stops a command that runs too long', async () => {
    await expect(runUserCommand('sleep 30', { timeoutMs: 200, maxBytes: 1000 })).rejects.toThrow(
      /did not finish within/,
    );
  });

  it.skipIf(process.platform === 'win32')('stops a command that prints too much', async () => {
    await expect(runUserCommand('yes 1', { timeoutMs: 10_000, maxBytes: 10_000 })).rejects.toThrow(/printed more than/);
  });
});
