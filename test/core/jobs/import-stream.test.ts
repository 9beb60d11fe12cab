import { describe, expect, it } from 'vitest';
import { previewImport, scanImport } from '../../../src/core/jobs/import';
import { ATTRS } from './helpers';

const today = '2026-11-30';
const lookup = (n: string) => ATTRS[n];

const messy = [
  'date,attribute,value', // 1
  '2026-11-01,steps,100', // 2 ok
  '2026-13-01,steps,1', // 3 not a date
  '"2026-11-02",steps,"1', // 4–5: a quoted value spanning two lines (not a number)
  '2"', // 5
  '', // 6 blank
  '2026-11-03,steps,5', // 7 ok
  '2026-11-01,steps,5', // 8 duplicate of line 2
  '"2026-11-05",time_reading,"1:15"', // 9 ok
  '2026-11-06,steps,7', // 10 ok
].join('\n');

describe('streamed import', () => {
  it('reads the same rows, errors and line numbers whatever the batch size', async () => {
    const whole = await previewImport({ csv: messy, lookup, today });
    expect(whole.rows.map((r) => r.line)).toEqual([2, 7, 9, 10]);
    expect(whole.errors.map((e) => e.line)).toEqual([3, 4, 8]);
    for (const size of [1, 2, 3, 5]) expect(await previewImport({ csv: messy, lookup, today }, size)).toEqual(whole);
  });

  it('hands rows on a batch at a time and reads no further until the batch is taken', async () => {
    const day = (i: number) => new Date(Date.UTC(1990, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const csv = Array.from({ length: 10_000 }, (_, i) => `${day(i)},${i}`).join('\n');
    const batches: number[] = [];
    let inFlight = false;
    const { count, errors } = await scanImport(
      { csv, attribute: 'steps', lookup, today },
      async (rows) => {
        expect(inFlight).toBe(false);
        inFlight = true;
        batches.push(rows.length);
        await new Promise((r) => setTimeout(r, 1));
        inFlight = false;
      },
      1000,
    );
    expect(errors).toEqual([]);
    expect(count).toBe(10_000);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(count);
    expect(batches).toEqual(Array(10).fill(1000));
    expect(Math.max(...batches)).toBeLessThanOrEqual(1000);
  });

  it('refuses a file with a bad layout before handing on any row', async () => {
    const seen: number[] = [];
    await expect(
      scanImport({ csv: 'a,b,c,d\n1,2,3,4\n', lookup, today }, async (r) => void seen.push(r.length)),
    ).rejects.toThrow(/columns/);
    expect(seen).toEqual([]);
  });
});
