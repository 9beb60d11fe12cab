/**
 * The test tree's one convention: a unit-test folder mirrors the source folder it tests
 * (test/core/outbox ↔ src/core/outbox, test/main ↔ src/main, …); suites that test the
 * product across modules have a named folder of their own, listed here with why.
 * This test fails when a folder under test/ is neither, so the convention holds.
 */
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** Folders that are not a mirror of one source folder. */
export const SUITES: Record<string, string> = {
  e2e: 'Playwright journeys in Chromium through the browser host',
  'e2e-electron': 'Playwright _electron specs (skip where the binary is missing)',
  'electron-sim': 'the real built bundle under the Electron API model',
  reliability: 'faults, kills and several writers against the sandbox',
  fuzz: 'random input across parsers and the IPC boundary',
  lint: 'the lint rules and this layout',
  packaging: 'the packed app (fuses, asar contents)',
  support: 'shared test helpers',
  fixtures: 'files the tests read',
  stubs: 'electron and electron-store stand-ins for vitest',
};
/** Folders inside a mirror that hold helpers or fixtures rather than tests of a source folder. */
const HELPER_DIRS = new Set(['fixtures', 'seed-scripts', 'helpers']);

function folders(dir: string): string[] {
  return readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
}

/** Every folder under test/ that breaks the convention, as a path relative to test/. */
export function strays(testRoot: string, srcRoot: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of folders(join(testRoot, rel))) {
      const sub = rel ? `${rel}/${name}` : name;
      if (!rel && name in SUITES) continue;
      if (HELPER_DIRS.has(name)) continue;
      if (!existsSync(join(srcRoot, sub))) out.push(sub);
      else walk(sub);
    }
  };
  walk('');
  return out;
}

describe('test folder layout', () => {
  it('mirrors src/ outside the named suites', () => {
    expect(strays(join(root, 'test'), join(root, 'src'))).toEqual([]);
  });
  it('names a folder that mirrors nothing', async () => {
    const { mkdtempSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(join(tmpdir(), 'layout-'));
    for (const d of ['src/core/outbox', 'test/core/outbox', 'test/pacing', 'test/e2e'])
      mkdirSync(join(tmp, d), { recursive: true });
    expect(strays(join(tmp, 'test'), join(tmp, 'src'))).toEqual(['pacing']);
  });
});
