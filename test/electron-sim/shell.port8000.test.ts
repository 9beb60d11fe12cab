/**
 * The shell journey (./scenarios.ts, the same steps ../e2e-electron/shell.spec.ts runs on the
 * real Electron binary) on the Electron model (./model-driver.ts): the real bundle
 * (out/main/index.js, out/preload/index.cjs, out/renderer/*) booted under ./model.mjs (cited
 * in ./DOCS.md) for linux, darwin and win32, from an install path holding `%[]~`. Binds the
 * OAuth redirect port 8000 (the consent's callback), hence the port8000 project. Needs
 * `npm run build` (it builds when out/ is missing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, installApp, type Install, type SimPlatform } from './driver';
import { modelDriver } from './model-driver';
import { shellJourney, type ShellDriver } from './scenarios';

const PLATFORMS: SimPlatform[] = ['linux', 'darwin', 'win32'];

let install: Install;
beforeAll(() => {
  ensureBuilt();
  install = installApp('Exist %[]~ Tray');
}, 300_000);
afterAll(() => install?.remove());

describe.each(PLATFORMS)('Exist Tray on %s (real bundle, Electron model)', (platform) => {
  let driver: ShellDriver;
  let home: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), `exist-sim-${platform}-`));
    const d = modelDriver({ platform, install, home });
    driver = d;
    await d.booted;
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  for (const step of shellJourney(platform)) it(step.name, () => step.run(driver, expect, expect), step.timeoutMs);
});
