/**
 * Shared helpers for CLI tests: run `exist-tray` in-process through `runCli`, or as a
 * real process (`node --import tsx src/cli/index.ts`), and spawn the sandbox CLI as a
 * real process, parsing its `--json` line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program';
import { registrars } from '../../src/cli/commands';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Environment for child processes: ours minus anything that would leak Exist credentials or settings in. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of [
    'EXIST_URL',
    'EXIST_CLIENT_ID',
    'EXIST_CLIENT_SECRET',
    'EXIST_TRAY_DATA_DIR',
    'EXIST_TRAY_REDIRECT_URI',
  ])
    delete env[k];
  return { ...env, ...extra };
}

export interface InProcessResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

/**
 * `runCli` in this process with captured lines. `onStdout`/`onStderr` see each line as it
 * is printed (e.g. to follow an authorize URL while `login` waits).
 */
export async function runInProcess(
  argv: string[],
  env: Record<string, string | undefined> = {},
  hooks: { onStdout?: (line: string) => void; onStderr?: (line: string) => void } = {},
): Promise<InProcessResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(
    argv,
    {
      stdout: (l) => {
        stdout.push(l);
        hooks.onStdout?.(l);
      },
      stderr: (l) => {
        stderr.push(l);
        hooks.onStderr?.(l);
      },
      env,
    },
    registrars,
  );
  return { code, stdout, stderr };
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running child whose output is collected; `waitFor` resolves on the first stdout/stderr line matching. */
export interface RunningProcess {
  child: ChildProcessWithoutNullStreams;
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<string>;
  exited: Promise<ProcessResult>;
}

/** Spawns `node --import tsx <script> ...args` from the repo root. */
export function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string | undefined> = cleanEnv(),
): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, env, stdio: 'pipe' });
  const out = { stdout: '', stderr: '' };
  const waiters: { re: RegExp; stream: 'stdout' | 'stderr'; resolve: (l: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = out[w.stream].split('\n').find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d;
    check();
  });
  const exited = new Promise<ProcessResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out.stdout, stderr: out.stderr })),
  );
  return {
    child,
    exited,
    waitFor(re, stream = 'stdout') {
      return new Promise<string>((resolve, reject) => {
        waiters.push({ re, stream, resolve });
        check();
        void exited.then((r) =>
          reject(
            new Error(
              `process exited (${r.code ?? r.signal}) before printing ${re}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
            ),
          ),
        );
      });
    },
  };
}

/** Spawns the real CLI: `node --import tsx src/cli/index.ts ...args`. */
export const spawnCli = (args: string[], env?: Record<string, string | undefined>): RunningProcess =>
  spawnTs('src/cli/index.ts', args, env);

/** Runs the real CLI to completion. */
export const runCliProcess = (args: string[], env?: Record<string, string | undefined>): Promise<ProcessResult> =>
  spawnCli(args, env).exited;

export interface SpawnedSandbox {
  url: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  personalToken: string;
  stop(): Promise<void>;
}

/** Spawns `src/sandbox/cli.ts --port 0 --json ...args` and parses the line it prints. */
export async function spawnSandbox(args: string[]): Promise<SpawnedSandbox> {
  const p = spawnTs('src/sandbox/cli.ts', ['--port', '0', '--json', ...args]);
  const line = await p.waitFor(/^\{.*"url"/);
  const info = JSON.parse(line) as Omit<SpawnedSandbox, 'stop'>;
  return {
    ...info,
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await p.exited;
    },
  };
}

export { freePort } from '../support/net';

/** Whether something can listen on 127.0.0.1:port right now (i.e. nobody holds it). */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
