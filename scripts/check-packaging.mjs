#!/usr/bin/env node
/**
 * `npm run check:packaging`: checks electron-builder.yml as far as a machine without the
 * Electron binary allows. Builds the app, packs an unpacked Linux app with a stand-in
 * Electron executable (-c.electronDist), and verifies what went into app.asar and
 * resources/, and the Electron fuses electron-builder flipped in the executable (the
 * stand-in carries Electron's fuse wire: scripts/fuses.mjs), and that the Linux `.desktop`
 * entry electron-builder would install names the app id the window reports (StartupWMClass and
 * file name vs the packed package.json's desktopName: scripts/desktop-entry.mjs; the entry comes
 * from this run's packager through an afterPack hook, scripts/pack-desktop-entry.mjs — the yml
 * has no afterPack of its own). Installers (AppImage, deb, dmg, nsis) need the real Electron:
 * `npm run dist`.
 *
 *   node scripts/check-packaging.mjs [--config FILE]   (default electron-builder.yml)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desktopEntryProblems, electronAppId } from './desktop-entry.mjs';
import { fuseProblems, standInExecutable } from './fuses.mjs';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const { getCurrentFuseWire } = require('@electron/fuses');
const configArg = process.argv.indexOf('--config');
const config = configArg > 0 ? process.argv[configArg + 1] : 'electron-builder.yml';
const work = mkdtempSync(join(tmpdir(), 'exist-tray-pack-'));
const standIn = join(work, 'electron-dist');
const output = join(work, 'out');

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  }
};

try {
  const t0 = Date.now();
  run('npx', ['electron-vite', 'build']);
  spawnSync('mkdir', ['-p', standIn]);
  writeFileSync(join(standIn, 'electron'), standInExecutable());
  chmodSync(join(standIn, 'electron'), 0o755);
  run('npx', [
    'electron-builder',
    '--dir',
    '--linux',
    '--config',
    config,
    `-c.electronDist=${standIn}`,
    `-c.directories.output=${output}`,
    `-c.afterPack=${join(root, 'scripts', 'pack-desktop-entry.mjs')}`,
  ]);

  const app = join(output, 'linux-unpacked');
  const files = asar.listPackage(join(app, 'resources', 'app.asar')).map((f) => f.replaceAll('\\', '/'));
  const must = [
    '/package.json',
    '/out/main/index.js',
    '/out/main/cli.js',
    '/out/preload/index.cjs',
    '/out/renderer/popover.html',
    '/out/renderer/settings.html',
  ];
  const mustNot = (f) =>
    f.startsWith('/out/host') || f.endsWith('.map') || f.startsWith('/src/') || f.startsWith('/test/');
  const missing = must.filter((f) => !files.includes(f));
  const extra = files.filter(mustNot);
  const runtimeDeps = Object.keys(require(join(root, 'package.json')).dependencies);
  const missingDeps = runtimeDeps.filter((d) => !files.includes(`/node_modules/${d}/package.json`));
  const icons = readdirSync(join(app, 'resources', 'build'));
  const executable = join(app, 'exist-tray');
  const fuses = existsSync(executable) ? fuseProblems(await getCurrentFuseWire(executable)) : [];
  const packedPkg = JSON.parse(asar.extractFile(join(app, 'resources', 'app.asar'), 'package.json').toString('utf8'));
  const entryFile = join(output, 'desktop-entry.json');
  const entry = existsSync(entryFile) ? JSON.parse(readFileSync(entryFile, 'utf8')) : null;
  const desktop = entry ? desktopEntryProblems(packedPkg, entry) : ['the afterPack hook wrote no desktop entry'];
  const problems = [
    ...missing.map((f) => `missing from app.asar: ${f}`),
    ...extra.map((f) => `should not be packed: ${f}`),
    ...missingDeps.map((d) => `runtime dependency not packed: ${d}`),
    ...(icons.includes('icon.png') ? [] : ['resources/build/icon.png missing']),
    ...(existsSync(executable) ? [] : ['the executable exist-tray is missing']),
    ...fuses,
    ...desktop,
  ];
  if (fuses.length === 0)
    console.log(
      'fuses: RunAsNode, NodeOptions, NodeCliInspect, file:// privileges off; cookie encryption, app.asar only, asar integrity on',
    );
  if (desktop.length === 0)
    console.log(
      `linux desktop entry: ${entry.fileName}, StartupWMClass=${electronAppId(packedPkg)} = the app id Electron reports (desktopName)`,
    );
  console.log(
    `packed ${files.length} entries in ${((Date.now() - t0) / 1000).toFixed(1)} s; icons: ${icons.join(', ')}`,
  );
  if (problems.length > 0) {
    for (const p of problems) console.log(`problem: ${p}`);
    process.exitCode = 1;
  } else
    console.log('packaging check: ok (unpacked Linux app with a stand-in Electron; installers need the real binary)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
