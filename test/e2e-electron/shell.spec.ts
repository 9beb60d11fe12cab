/**
 * The shell journey (../electron-sim/scenarios.ts) on the REAL Electron binary through
 * Playwright's `_electron` (./electron-driver.ts): the same steps `npm test` runs on the
 * Electron model for linux, darwin and win32 (../electron-sim/shell.port8000.test.ts), here
 * for the host's platform only. Skips, saying why, where the Electron binary is not
 * installed (this machine: Electron 45 cannot be downloaded). Builds the app when out/ is
 * missing. Binds port 8000 (the sandbox consent's callback): run under
 * `flock /tmp/port8000.lock`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { shellJourney, type ShellDriver, type ShellPlatform } from '../electron-sim/scenarios';
import { electronBinary, electronDriver, SKIP_REASON } from './electron-driver';

const root = resolve(import.meta.dirname, '..', '..');
const binary = electronBinary(root);
const platform = process.platform as ShellPlatform;
// The list reporter does not print skip reasons: say it once on the console too.
if (!binary) console.warn(`[electron e2e] skipped — ${SKIP_REASON}`);

test.describe(`Exist Tray on ${platform} (real Electron, the host's platform)`, () => {
  test.skip(!binary, SKIP_REASON);
  test.describe.configure({ mode: 'serial' });

  let driver: ShellDriver | undefined;
  let home: string;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
      const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', timeout: 180_000 });
      if (r.status !== 0) throw new Error('`electron-vite build` failed; the Electron spec needs out/');
    }
    home = mkdtempSync(join(tmpdir(), 'exist-tray-electron-'));
    driver = await electronDriver({ binary: binary!, appDir: root, home });
  });
  test.afterAll(async () => {
    await driver?.close();
    if (home) rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  for (const step of shellJourney(platform))
    test(step.name, async () => {
      test.setTimeout(step.timeoutMs);
      await step.run(driver!, expect, expect);
    });
});
