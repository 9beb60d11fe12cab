import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewImport } from '../../../src/core/jobs/import';
import { addDays } from '../../../src/core/values';
import { ATTRS, serviceWithFakes, tempDir, testClock } from './helpers';

const today = '2026-11-30';
const lookup = (n: string) => ATTRS[n];
const preview = (csv: string, attribute?: string) => previewImport({ csv, attribute, lookup, today });

describe('previewImport', () => {
  it('reads date,value with the attribute given, header or not', async () => {
    const withHeader = await preview('date,value\n2026-11-01,10\n2026-11-02,12\n', 'steps');
    const without = await preview('2026-11-01,10\n2026-11-02,12\n', 'steps');
    expect(withHeader.rows).toEqual([
      { line: 2, date: '2026-11-01', attribute: 'steps', value: 10 },
      { line: 3, date: '2026-11-02', attribute: 'steps', value: 12 },
    ]);
    expect(without.rows.map((r) => r.line)).toEqual([1, 2]);
    expect(without.rows.map((r) => r.value)).toEqual([10, 12]);
    expect(withHeader.errors).toEqual([]);
    expect(withHeader.calls).toBe(1);
  });

  it('reads date,attribute,value and headers in any column order', async () => {
    const p = await preview('Value,Attribute,Date\n80.5,weight,2026-11-01\n3,mood,2026-11-01\n');
    expect(p.rows).toEqual([
      { line: 2, date: '2026-11-01', attribute: 'weight', value: 80.5 },
      { line: 3, date: '2026-11-01', attribute: 'mood', value: 3 },
    ]);
  });

  it('lists every bad row with its line number and a reason, and keeps the good ones', async () => {
    const csv = [
      'date,attribute,value', // 1
      '2026-11-01,steps,100', // 2 ok
      '2026-13-01,steps,1', // 3 not a date
      '2026-12-01,steps,1', // 4 future
      '2026-11-02,not_mine,1', // 5 not owned
      '2026-11-02,mood,12', // 6 out of range
      '2026-11-03,steps,', // 7 empty value
      '', // 8 blank line: not a row
      '2026-11-01,steps,5', // 9 duplicate of line 2
      '2026-11-04,steps', // 10 too few columns
      '"2026-11-05",time_reading,"1:15"', // 11 ok, parsed as a duration
      '2026-11-06,steps,7,extra', // 12 too many columns
    ].join('\n');
    const p = await preview(csv);
    expect(p.rows.map((r) => [r.line, r.value])).toEqual([
      [2, 100],
      [11, 75],
    ]);
    expect(p.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 9, 10, 12]);
    const msg = (line: number) => p.errors.find((e) => e.line === line)!.message;
    expect(msg(3)).toContain('not a date');
    expect(msg(4)).toContain('in the future');
    expect(msg(5)).toContain('does not own “not_mine”');
    expect(msg(6)).toMatch(/Mood: .*9/);
    expect(msg(7)).toContain('no value');
    expect(msg(9)).toContain('already on line 2');
    // Every non-blank data line is accounted for, as a row or as an error.
    expect(p.rows.length + p.errors.length).toBe(10);
  });

  it('counts lines correctly across quoted values spanning lines', async () => {
    const p = await preview('date,value\n2026-11-01,"a\nb"\n2026-11-02,5\n', 'steps');
    expect(p.errors).toEqual([{ line: 2, message: expect.stringContaining('Steps') }]);
    expect(p.rows).toEqual([{ line: 4, date: '2026-11-02', attribute: 'steps', value: 5 }]);
  });

  it('estimates calls at 35 values per call', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `${addDays(today, -i - 1)},${i}`).join('\n');
    expect((await preview(rows(35), 'steps')).calls).toBe(1);
    expect((await preview(rows(36), 'steps')).calls).toBe(2);
    expect((await preview(rows(1000), 'steps')).calls).toBe(29);
  });

  it('refuses a file it cannot interpret as a whole, with a reason', async () => {
    await expect(preview('2026-11-01,10\n')).rejects.toMatchObject({ code: 'attribute-required' });
    await expect(preview('\n\n')).rejects.toMatchObject({ code: 'empty-import' });
    await expect(preview('a,b,c,d\n1,2,3,4\n')).rejects.toMatchObject({ code: 'import-layout' });
    const wrong = await preview('date,attribute,value\n2026-11-01,mood,3\n', 'steps');
    expect(wrong.errors[0]!.message).toContain('the import is for “steps”');
  });
});

describe('importCsv through the service', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('queues every valid row as a set, flushes, and forwards outbox progress', async () => {
    const tc = testClock(Date.UTC(2026, 10, 30, 12));
    const progress: { sent: number; total: number }[] = [];
    let listener: ((p: { sent: number; total: number }) => void) | null = null;
    const { service, port } = serviceWithFakes(tmp.dir, tc, {
      onImportProgress: (p) => progress.push(p),
      onOutboxProgress: (l) => {
        listener = l;
        return () => (listener = null);
      },
      flush: async () => {
        port.flushes++;
        // what the outbox reports while sending 70 values in two calls
        listener?.({ sent: 35, total: 70 });
        listener?.({ sent: 70, total: 70 });
      },
    });
    const csv = Array.from({ length: 71 }, (_, i) => `${addDays('2026-11-30', -i)},${i}`).join('\n') + '\n2026-12-25,1';
    const r = await service.importCsv(csv, 'steps');
    expect(r).toEqual({ queued: 71, calls: 3 });
    expect(port.sets).toHaveLength(71);
    expect(port.sets[0]).toEqual({ name: 'steps', date: '2026-11-30', value: 0 });
    expect(port.flushes).toBe(1);
    expect(progress).toEqual([
      { sent: 0, total: 71 },
      { sent: 35, total: 70 },
      { sent: 70, total: 70 },
    ]);
    expect(listener).toBeNull();
  });

  it('refuses an import with no valid row, queueing nothing', async () => {
    const tc = testClock(Date.UTC(2026, 10, 30, 12));
    const { service, port } = serviceWithFakes(tmp.dir, tc);
    await expect(service.importCsv('2027-01-01,5\nxx,1', 'steps')).rejects.toMatchObject({
      code: 'nothing-to-import',
      message: expect.stringMatching(/line 1: .*future.*line 2/),
    });
    expect(port.sets).toEqual([]);
  });
});
