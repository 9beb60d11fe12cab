/**
 * Issue 19's "tray click → window visible with content", for the Electron shell: the real
 * built bundle (out/) booted under the Electron model (test/electron-sim, linux semantics:
 * the AppIndicator menu's "Open Exist Tray" is the gesture), N fresh boots. Each boot
 * connects through the local sandbox's consent page (the OAuth callback binds port 8000:
 * run under `flock /tmp/port8000.lock`), adds Pages read in Settings, then times, inside the
 * simulated Electron process (no fork-channel round trip in the figure):
 *   firstOpen: the first open gesture of the process → popover visible with its first
 *              "Add 1 to …" button rendered;
 *   reopen:    after the popover hid (focus moved to Settings), the gesture again → visible.
 * What it measures is the app's own path (main-process handler, ready-to-show gating, the
 * renderer's render) on headless Chromium; a real compositor's map/paint is not in it.
 * A figure for `npm run bench` (bench/run.ts calls it), never an assertion in a test.
 *
 *   npx tsx bench/shell-popover.ts [--runs N]   (prints the JSON)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// eslint-disable-next-line no-restricted-imports -- the folder name matches `electron-*`: it is the Electron *model* (plain Node), not an Electron package
import { ensureBuilt, installApp, launchSim, type Sim } from '../test/electron-sim/driver';

export interface Spread {
  median: number;
  min: number;
  max: number;
}
export interface ShellPopoverResult {
  platform: 'linux';
  runs: number;
  firstOpenMs: Spread;
  reopenMs: Spread;
}

const ADD_BUTTON = 'button[aria-label^="Add 1 to "]';

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const r = (n: number) => Math.round(n * 10) / 10;
  return { median: r(median), min: r(s[0]!), max: r(s.at(-1)!) };
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const popoverVisible = async (sim: Sim) =>
  (await sim.state()).windows.some((w) => w.visible && /popover\.html/.test(w.url ?? ''));

/** First run → sandbox consent → Pages read added, all in Settings (the popover is never opened). */
async function connect(sim: Sim): Promise<void> {
  await sim.call('waitForText', { name: 'settings', text: 'Try it with the local sandbox', timeout: 30_000 });
  await sim.call('click', { name: 'settings', role: 'button', label: 'Try it with the local sandbox' });
  const authorize = await until('the consent page', async () =>
    (await sim.state()).opened.find((u) => /\/oauth2\/authorize\?/.test(u)),
  );
  await sim.call('browserOpen', { url: authorize });
  await sim.call('browserClick', { role: 'button', label: 'Allow' });
  await sim.call('waitForText', { name: 'settings', text: 'Connected to the local sandbox' });
  await sim.call('click', { name: 'settings', role: 'tab', label: 'Attributes' });
  await sim.call('click', { name: 'settings', role: 'button', label: 'Add Pages read', exact: true });
  await sim.call('waitForRole', { name: 'settings', role: 'button', label: 'Pages read added' });
  await sim.call('waitForWindow', { name: 'popover' });
}

export async function measureShellPopover(
  opts: { runs?: number; log?: (line: string) => void } = {},
): Promise<ShellPopoverResult> {
  const runs = opts.runs ?? 7;
  ensureBuilt();
  const install = installApp('Exist %[]~ Tray');
  const first: number[] = [];
  const again: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'exist-bench-shell-'));
      const sim = launchSim({
        platform: 'linux',
        install,
        userData: dir,
        env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_SESSION_TYPE: 'x11' },
      });
      try {
        await sim.booted;
        await connect(sim);
        first.push(await sim.call<number>('timeOpen', { selector: ADD_BUTTON }));
        await sim.call('clickTrayMenu', { label: 'Settings…' });
        await until('the popover to hide', async () => !(await popoverVisible(sim)));
        await new Promise((r) => setTimeout(r, 300)); // past the blur-toggle guard (windows.ts, 250 ms)
        again.push(await sim.call<number>('timeOpen', { selector: ADD_BUTTON }));
        opts.log?.(
          `shell popover run ${i + 1}/${runs}: first ${first.at(-1)!.toFixed(1)} ms, reopen ${again.at(-1)!.toFixed(1)} ms`,
        );
      } catch (e) {
        throw new Error(
          `shell popover run ${i + 1}: ${e instanceof Error ? e.message : String(e)}\n${sim.stderr().slice(-1500)}`,
        );
      } finally {
        sim.kill();
        await sim.exited;
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      }
    }
  } finally {
    install.remove();
  }
  return { platform: 'linux', runs, firstOpenMs: spread(first), reopenMs: spread(again) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv.indexOf('--runs');
  const runs = n > 0 ? Number(process.argv[n + 1]) : undefined;
  measureShellPopover({ runs, log: (l) => console.error(l) }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
