/**
 * The `exist-tray` command line, on the same core as the app. Commands register
 * themselves from `commands/*`; `runCli(argv, io)` is what the bin and the tests call.
 */
import { Command, CommanderError } from 'commander';
import { errorLine } from '../core/errors';
import { setLockLabel } from '../core/fs';
import { makeContext, UsageError, type CliContext, type CliIO, type GlobalOptions } from './context';

export type CommandRegistrar = (program: Command, ctx: () => CliContext) => void;

export async function runCli(argv: string[], io: CliIO, registrars: CommandRegistrar[]): Promise<number> {
  const program = new Command('exist-tray')
    .description('Write your own data to Exist from scripts, cron and other tools.')
    .option('--data-dir <dir>', 'where the account and the outbox live (default: the folder the tray app uses)')
    .option('--exist-url <url>', 'the Exist server (or EXIST_URL; default https://exist.io)')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) })
    .showSuggestionAfterError(true);
  const ctx = () => makeContext(program.opts<GlobalOptions>(), io);
  for (const register of registrars) register(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride();
  // The outbox lock says who holds it, so another exist-tray knows to wait for it.
  program.hook('preAction', (_p, action) => setLockLabel(`exist-tray ${action.name()}`));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`exist-tray: ${e.message}`);
      return 2;
    }
    io.stderr(`exist-tray: ${errorLine(e)}`);
    return 1;
  }
}
