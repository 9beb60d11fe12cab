/**
 * Linux window association, end to end minus the packing: the `.desktop` entry electron-builder's
 * own LinuxTargetHelper computes for the deb/AppImage targets (what scripts/pack-desktop-entry.mjs
 * runs inside `npm run check:packaging`), from electron-builder.yml and package.json, checked with
 * scripts/desktop-entry.mjs against the id Electron reports as app_id / WM_CLASS (desktopName).
 * The packager here carries only the fields that code reads, from the same yml and package.json;
 * `npm run check:packaging` does the same from a real `electron-builder --dir` run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopEntryProblems, electronAppId, type PackageJsonNames } from '../../scripts/desktop-entry.mjs';
import { linuxDesktopEntry } from '../../scripts/pack-desktop-entry.mjs';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Yml {
  productName?: string;
  protocols?: unknown;
  mac?: unknown;
  deb?: Record<string, unknown>;
  linux?: Record<string, unknown> & { executableName?: string };
}
const repo = new URL('../../', import.meta.url).pathname;
const realYml = () => yaml.load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as Yml;
const realPkg = () =>
  JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as PackageJsonNames & { description?: string };

/** The entry electron-builder would install for this config and package.json, and its problems. */
async function check(yml: Yml, pkg: PackageJsonNames & { description?: string }) {
  const productName = yml.productName ?? pkg.productName ?? pkg.name ?? '';
  const packager = {
    appInfo: { productName, sanitizedProductName: productName, description: pkg.description },
    executableName: yml.linux?.executableName ?? pkg.name,
    info: { metadata: pkg },
    platformSpecificBuildOptions: yml.linux ?? {},
    config: yml,
    fileAssociations: [],
  };
  const entry = await linuxDesktopEntry(packager);
  return { entry, problems: desktopEntryProblems(pkg, entry) };
}

describe('the Linux .desktop entry names the app the window reports', () => {
  it('electron-builder.yml and package.json agree: StartupWMClass and the file name are desktopName’s id', async () => {
    const { entry, problems } = await check(realYml(), realPkg());
    expect(problems).toEqual([]);
    expect(electronAppId(realPkg())).toBe('exist-tray');
    expect(entry.text).toMatch(/^StartupWMClass=exist-tray$/m);
    expect(entry.fileName).toBe('exist-tray.desktop');
  });

  it('the old override (StartupWMClass: Exist Tray) fails the check', async () => {
    const yml = realYml();
    yml.linux = { ...yml.linux, desktop: { entry: { StartupWMClass: 'Exist Tray' } } };
    const { problems } = await check(yml, realPkg());
    expect(problems).toEqual([
      expect.stringContaining('StartupWMClass is "Exist Tray", but the window reports "exist-tray"'),
    ]);
  });

  it('without desktopName in package.json the entry falls back to the product name and fails', async () => {
    const { desktopName: _dropped, ...pkg } = realPkg();
    const { problems } = await check(realYml(), pkg);
    expect(problems).toEqual([expect.stringContaining('StartupWMClass is "Exist Tray"')]);
  });

  it('a desktopName that is not the installed file name fails, unless syncDesktopName names the file after it', async () => {
    const pkg = { ...realPkg(), desktopName: 'io.exist.tray.desktop' };
    const yml = realYml();
    yml.linux = { ...yml.linux, syncDesktopName: false };
    expect((await check(yml, pkg)).problems).toEqual([
      expect.stringContaining(`installed as exist-tray.desktop, but Electron's app id is "io.exist.tray"`),
    ]);
    yml.linux = { ...yml.linux, syncDesktopName: true };
    expect((await check(yml, pkg)).problems).toEqual([]);
  });
});
