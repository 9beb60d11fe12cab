/**
 * The test side of the Electron model: installs the built app into a folder whose path
 * holds `%[]~` (as a packaged app's resources/app), starts one simulated Electron
 * process per scenario (./child.mjs under ./register.mjs) and drives it over the fork
 * IPC channel. `exited` resolves with the process's exit code.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export type SimPlatform = 'linux' | 'darwin' | 'win32';

export interface Install {
  base: string;
  /** resources/app: package.json, out/, node_modules (link). */
  appPath: string;
  resourcesPath: string;
  remove(): void;
}

/** A packaged layout under a path with `%`, `[`, `]`, `~` and a space in it. */
export function installApp(folderName = 'Exist %[]~ Tray'): Install {
  const base = mkdtempSync(join(tmpdir(), 'exist-sim-'));
  const resourcesPath = join(base, folderName, 'resources');
  const appPath = join(resourcesPath, 'app');
  mkdirSync(appPath, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(appPath, 'package.json'));
  cpSync(join(ROOT, 'out'), join(appPath, 'out'), {
    recursive: true,
    filter: (s) => !s.includes(`${join('out', 'host')}`),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(appPath, 'node_modules'), 'dir');
  cpSync(join(ROOT, 'build'), join(resourcesPath, 'build'), { recursive: true });
  return { base, appPath, resourcesPath, remove: () => rmSync(base, { recursive: true, force: true }) };
}

export interface SimOptions {
  packaged?: boolean;
  darkTheme?: boolean;
  darkPanel?: boolean;
  wayland?: boolean;
  takenShortcuts?: string[];
  safeStorageBackend?: string;
  darwinLoginApproval?: 'enabled' | 'requires-approval' | 'not-found';
  openedAtLogin?: boolean;
  openUrlBeforeReady?: string[];
}

export interface SimLogEntry {
  type: string;
  t: number;
  [k: string]: unknown;
}

export interface SimState {
  windows: {
    id: number;
    url: string | null;
    visible: boolean;
    destroyed: boolean;
    readyToShow: boolean;
    backgroundColor: string | null;
    size: [number, number];
  }[];
  tray: { tooltip: string; image: string | null; template: boolean; menu: string[] | null } | null;
  log: SimLogEntry[];
  notifications: { title: string; body: string; aumid: string | null }[];
  opened: string[];
  appUserModelId: string | null;
  loginItems: [string, { path: string; args: string[] }][];
  switches: [string, string][];
  shortcuts: string[];
  appMenu: string[] | null;
}

export interface Sim {
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  state(): Promise<SimState>;
  booted: Promise<void>;
  exited: Promise<number | null>;
  stderr(): string;
  kill(): void;
}

export function launchSim(opts: {
  platform: SimPlatform;
  install: Install;
  userData: string;
  argv?: string[];
  options?: SimOptions;
  env?: Record<string, string>;
}): Sim {
  const child: ChildProcess = fork(join(import.meta.dirname, 'child.mjs'), [], {
    execArgv: ['--import', join(import.meta.dirname, 'register.mjs')],
    cwd: opts.userData,
    env: {
      ...process.env,
      ...opts.env,
      SIM_CONFIG: JSON.stringify({
        platform: opts.platform,
        appPath: opts.install.appPath,
        resourcesPath: opts.install.resourcesPath,
        userData: opts.userData,
        argv: opts.argv ?? [],
        options: opts.options ?? {},
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (err += d.toString()));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 1;
  let bootedResolve!: () => void;
  const booted = new Promise<void>((r) => (bootedResolve = r));
  child.on('message', (m: { id?: number; ok?: boolean; value?: unknown; error?: string; type?: string }) => {
    if (m.type === 'booted') bootedResolve();
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error));
  });
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`the simulated app exited (${code}): ${err.slice(-2000)}`));
      pending.clear();
      r(code);
    }),
  );
  const call = <T>(op: string, args?: Record<string, unknown>) =>
    new Promise<T>((res, rej) => {
      const id = next++;
      pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
      child.send({ id, op, args });
    });
  return {
    call,
    state: () => call<SimState>('state'),
    booted: Promise.race([booted, exited.then((c) => Promise.reject(new Error(`exited ${c} before boot: ${err}`)))]),
    exited,
    stderr: () => err,
    kill: () => void child.kill('SIGKILL'),
  };
}

/**
 * Builds the app when out/ is missing (a clean clone: `npm test` does not build). A stale
 * out/ is the caller's business: run `npm run build` after changing src/main or src/preload.
 */
export function ensureBuilt(): void {
  const built = () =>
    existsSync(join(ROOT, 'out', 'main', 'index.js')) && existsSync(join(ROOT, 'out', 'preload', 'index.cjs'));
  if (built()) return;
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0 || !built())
    throw new Error(`\`electron-vite build\` failed; the Electron model boots the real out/: ${r.stderr.slice(-2000)}`);
}
