/** The `exist-tray` entry point (bundled to out/main/cli.js; `bin/exist-tray.js` loads it). */
import { runCli } from './program';
import { registrars } from './commands';

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (l) => process.stdout.write(`${l}\n`),
    stderr: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
  },
  registrars,
);
process.exitCode = code;
