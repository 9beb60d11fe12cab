#!/usr/bin/env node
/**
 * `npm start`: runs `electron-vite dev` when the Electron binary is installed.
 * Electron's npm package downloads its binary on first use; this machine has no
 * internet for that, so instead of a stack of fetch errors we try the download once,
 * quietly, and otherwise explain in one paragraph what is missing and how to get it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const require = createRequire(import.meta.url);

/** Path of the Electron executable if it is really there, else null. */
function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) {
    const p = join(override, rel ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(p) ? p : null;
  }
  if (!rel) return null;
  const p = join(electronDir, 'dist', rel);
  return existsSync(p) ? p : null;
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return '45';
  }
}

if (!existsSync(electronDir)) {
  console.error('Exist Tray: node_modules/electron is missing. Run `npm install` first.');
  process.exit(1);
}

if (!electronBinary() && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  // One quiet attempt: works wherever the download host is reachable.
  spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'ignore',
    timeout: 20_000,
  });
}

const binary = electronBinary();
if (!binary) {
  const v = electronVersion();
  console.error(
    [
      `Exist Tray cannot start: the Electron ${v} binary is not installed (node_modules/electron has no dist/ folder),`,
      'and it could not be downloaded because this machine has no network access to the Electron release host.',
      'To get it: on a machine with internet run `npx install-electron` in this folder (or `npm install` again) and copy',
      `node_modules/electron/dist and path.txt over; or unpack Electron ${v} for your platform anywhere and set`,
      'ELECTRON_OVERRIDE_DIST_PATH to that folder; or run `npm run dev:browser`, which runs the whole app in Chromium without Electron.',
    ].join(' '),
  );
  process.exit(1);
}

const bin = join(dirname(require.resolve('electron-vite/package.json', { paths: [root] })), 'bin', 'electron-vite.js');
// electron-vite reads ELECTRON_EXEC_PATH before looking in node_modules/electron.
const env = { ...process.env, ELECTRON_EXEC_PATH: process.env.ELECTRON_EXEC_PATH || binary };
const child = spawn(process.execPath, [bin, 'dev', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
