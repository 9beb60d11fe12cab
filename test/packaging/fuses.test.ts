/**
 * The fuse wire, end to end minus the packing: electron-builder's own translation of
 * `electronFuses` (app-builder-lib's generateFuseConfig, the code `npm run dist` runs)
 * flipped by @electron/fuses into the stand-in executable that check:packaging packs,
 * read back with @electron/fuses' reader. The real yml passes; the same yml with any one
 * fuse removed leaves Electron's insecure default and fails. (`npm run check:packaging`
 * does the same through a real `electron-builder --dir`.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fuseProblems, REQUIRED_FUSES, standInExecutable } from '../../scripts/fuses.mjs';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const fuses = require('@electron/fuses') as {
  flipFuses(path: string, config: Record<string, unknown>): Promise<unknown>;
  getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
};
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(f: Record<string, unknown>): Promise<Record<string, unknown>> } };
};

const repo = new URL('../../', import.meta.url).pathname;
const ymlFuses = () =>
  (yaml.load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, unknown> })
    .electronFuses ?? {};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Flips a fresh stand-in with `electronFuses` as electron-builder would, returns the problems. */
async function packWith(electronFuses: Record<string, unknown>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'exist-fuses-'));
  dirs.push(dir);
  const exe = join(dir, 'exist-tray');
  writeFileSync(exe, standInExecutable());
  await fuses.flipFuses(exe, await PlatformPackager.prototype.generateFuseConfig.call(null, electronFuses));
  return fuseProblems(await fuses.getCurrentFuseWire(exe));
}

describe('Electron fuses from electron-builder.yml', () => {
  it('the stand-in starts with Electron’s defaults, which fail the policy', async () => {
    expect(await packWith({})).toHaveLength(Object.keys(REQUIRED_FUSES).length);
  });

  it('the yml sets every required fuse', async () => {
    expect(await packWith(ymlFuses())).toEqual([]);
  });

  it.each(Object.keys(ymlFuses()))('without %s in the yml the check fails', async (key) => {
    const { [key]: _dropped, ...rest } = ymlFuses();
    const problems = await packWith(rest);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.toLowerCase()).toContain(key.toLowerCase());
  });
});
