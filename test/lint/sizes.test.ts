/**
 * Issue 17's size limits as a build error: no function under src/ longer than 250 lines and
 * no file longer than 600, measured by scripts/sizes.mjs (the same figures `node
 * scripts/sizes.mjs` prints). The fixtures are generated in a temp folder, one line under and
 * one line over each limit, so the check is shown to fail when something exceeds.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_LIMIT, FN_LIMIT, measureSizes } from '../../scripts/sizes.mjs';

const where = (xs: { file: string; lines: number; name?: string; line?: number }[]): string[] =>
  xs.map((x) => `${x.file}${x.line ? `:${x.line} ${x.name ?? ''}` : ''} (${x.lines} lines)`);

/** A function of exactly `lines` lines (declaration to closing brace). */
const fn = (name: string, lines: number): string =>
  [`export function ${name}(): number {`, ...Array.from({ length: lines - 2 }, (_, i) => `  void ${i};`), '}', ''].join(
    '\n',
  );

describe('size limits', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'exist-sizes-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it(`no function under src/ is over ${FN_LIMIT} lines and no file over ${FILE_LIMIT}`, () => {
    const r = measureSizes();
    expect(r.files).toBeGreaterThan(100);
    expect(where(r.functionsOver)).toEqual([]);
    expect(where(r.filesOver)).toEqual([]);
  });

  it('reports a function one line over the limit and a file one line over, not those at the limit', () => {
    const dir = join(tmp, 'src');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'at-limit.ts'), fn('fits', FN_LIMIT));
    writeFileSync(join(dir, 'nested', 'over.ts'), fn('tooLong', FN_LIMIT + 1));
    // An arrow inside an object literal, in a .tsx file: named by its property.
    const arrow = [
      'export const o = {',
      '  handler: () => {',
      ...Array(FN_LIMIT - 1).fill('    void 0;'),
      '  },',
      '};',
    ];
    writeFileSync(join(dir, 'arrow.tsx'), `${arrow.join('\n')}\n`);
    writeFileSync(join(dir, 'file-at-limit.ts'), 'export const a = 1;\n'.repeat(FILE_LIMIT));
    writeFileSync(join(dir, 'file-over.js'), 'export const b = 1;\n'.repeat(FILE_LIMIT + 1));
    writeFileSync(join(dir, 'types.d.ts'), 'export type T = 1;\n'.repeat(FILE_LIMIT + 1)); // declarations are not counted
    const r = measureSizes({ dir, root: tmp });
    expect(where(r.functionsOver).sort()).toEqual([
      `src/arrow.tsx:2 handler (${FN_LIMIT + 1} lines)`,
      `src/nested/over.ts:1 tooLong (${FN_LIMIT + 1} lines)`,
    ]);
    expect(where(r.filesOver)).toEqual([`src/file-over.js (${FILE_LIMIT + 1} lines)`]);
    expect(r.files).toBe(5);
  });
});
