/**
 * electron-builder afterPack hook for `npm run check:packaging` (-c.afterPack): writes the
 * Linux `.desktop` entry this very packager would install with the deb and AppImage targets
 * (electron-builder's own LinuxTargetHelper, with the linux and deb options) and its file
 * name to `<output>/desktop-entry.json`, so the check reads what would ship
 * (./desktop-entry.mjs says what must agree).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper');

/** The entry and file name electron-builder's deb/AppImage targets would write, for this packager. */
export async function linuxDesktopEntry(packager) {
  const helper = new LinuxTargetHelper(packager);
  const options = { ...packager.platformSpecificBuildOptions, ...(packager.config.deb ?? {}) };
  return { fileName: `${helper.getDesktopFileName()}.desktop`, text: await helper.computeDesktopEntry(options) };
}

export default async function afterPack(context) {
  if (context.electronPlatformName !== 'linux') return;
  writeFileSync(join(context.outDir, 'desktop-entry.json'), JSON.stringify(await linuxDesktopEntry(context.packager)));
}
