/**
 * The `exist-tray` entry point (bundled to out/main/cli.js; `bin/exist-tray.js` loads it).
 * A closed stdout (`exist-tray pending | head -1`) is not an error: output stops quietly
 * and the command finishes (exit code unchanged, locks released). Ctrl-C, SIGTERM and
 * SIGHUP end through process.exit (unless the running command handles the signal itself),
 * so core/fs releases every lock on the way out.
 */
import { runCli } from './program';
import { registrars } from './commands';

let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  stdoutClosed = true;
});
process.stderr.on('error', () => undefined); // nowhere left to report it
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return; // a command handles it (login cancels its attempt)
    process.exit(code);
  });

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (l) => void (stdoutClosed || process.stdout.write(`${l}\n`)),
    stderr: (l) => void process.stderr.write(`${l}\n`),
    env: process.env,
  },
  registrars,
);
process.exitCode = code;
