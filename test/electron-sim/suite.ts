/**
 * The set-up shared by the model specs that boot a fresh app per test: one install of the
 * built bundle under an awkward path (`%[]~`) for the file, and a `boot` that launches the
 * real bundle in its own data folder and is torn down after each test. Registers vitest
 * hooks, so it is for spec files only (bench/ uses driver.ts directly).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  ensureBuilt,
  installApp,
  launchSim,
  type Install,
  type Sim,
  type SimOptions,
  type SimPlatform,
} from './driver';

export function bootPerTest(prefix: string, installName = 'Exist %[]~ Tray') {
  let install: Install;
  beforeAll(() => {
    ensureBuilt();
    install = installApp(installName);
  }, 300_000);
  afterAll(() => install?.remove());

  const running: { sim: Sim; dir: string }[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.sim.kill();
      await r.sim.exited;
      rmSync(r.dir, { recursive: true, force: true, maxRetries: 5 });
    }
  });

  return async function boot(
    platform: SimPlatform,
    options: SimOptions = {},
    extraEnv: Record<string, string> = {},
    argv: string[] = [],
  ): Promise<{ sim: Sim; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-${platform}-`));
    const sim = launchSim({
      platform,
      install,
      userData: dir,
      argv,
      options,
      env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_SESSION_TYPE: 'x11', ...extraEnv },
    });
    running.push({ sim, dir });
    await sim.booted;
    return { sim, dir };
  };
}
