/**
 * The README's Performance block is what bench/results.json generates (bench/performance-table.ts),
 * so the figures people read are the figures measured. Fails when either is changed alone:
 * after `npm run bench`, run `npx tsx bench/performance-table.ts --write` and prettier.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { normalise, performanceSection, readmeSection, type BenchResults } from '../../bench/performance-table';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const results = JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) as BenchResults;

describe('README Performance block', () => {
  it('equals what bench/results.json generates', () => {
    const section = readmeSection(readme);
    expect(section, 'README.md has no generated Performance block').not.toBeNull();
    expect(normalise(section!)).toEqual(normalise(performanceSection(results)));
  });

  it('tells a changed figure apart (the check can fail)', () => {
    const changed = structuredClone(results);
    changed.callsPerAction.find((s) => s.id === 'hour-1000')!.app.calls += 1;
    expect(normalise(performanceSection(changed))).not.toEqual(normalise(readmeSection(readme)!));
  });

  it('ignores only prettier’s table padding', async () => {
    const generated = performanceSection(results);
    const formatted = await format(generated, { parser: 'markdown', printWidth: 120 });
    expect(formatted).not.toBe(`${generated}\n`); // prettier did pad the cells
    expect(normalise(formatted)).toEqual(normalise(generated));
  });
});
