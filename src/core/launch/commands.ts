/**
 * The write commands' grammar, defined once: `increment NAME [DELTA] [--date D]`,
 * `set NAME VALUE [--date D]`, `sync`. The CLI registers its commander commands from
 * this table (src/cli/commands/write.ts) and the app parses a launch's argv and its
 * `exist-tray://` links with a commander program built from the same table
 * (./args.ts), so the two cannot drift apart. Only the grammar lives here; what a
 * command does is each caller's own (the CLI's extra flags such as `--no-sync` and
 * `--wait` are added by the CLI on top).
 * Electron-free.
 */
import { Command } from 'commander';

export interface ArgumentSpec {
  /** commander spelling: `<name>` required, `[delta]` optional. */
  spec: string;
  description: string;
  default?: string;
}

export interface CommandSpec {
  name: 'increment' | 'set' | 'sync';
  description: string;
  arguments: readonly ArgumentSpec[];
  /** Options that both the CLI and a launch accept. */
  options: readonly { flags: string; description: string }[];
}

const DATE_OPTION = { flags: '--date <YYYY-MM-DD>', description: 'the day (default: today in your Exist timezone)' };

export const WRITE_COMMANDS = {
  increment: {
    name: 'increment',
    description: 'add to a day\'s value (default +1): "1h20m" for durations, negative to correct',
    arguments: [
      { spec: '<name>', description: 'the attribute name, e.g. pages_read' },
      { spec: '[delta]', description: "how much to add, in the attribute's unit (default 1)", default: '1' },
    ],
    options: [DATE_OPTION],
  },
  set: {
    name: 'set',
    description: 'set a day\'s total: "1h 20m", "45%", "yes", "7:30", "7/9", text…',
    arguments: [
      { spec: '<name>', description: 'the attribute name' },
      { spec: '<value>', description: "the total, in the attribute's type and your units" },
    ],
    options: [DATE_OPTION],
  },
  sync: {
    name: 'sync',
    description: "send the queued writes now (waits through Exist's rate limit and short outages)",
    arguments: [],
    options: [],
  },
} as const satisfies Record<CommandSpec['name'], CommandSpec>;

export type WriteCommandName = keyof typeof WRITE_COMMANDS;
export const WRITE_COMMAND_NAMES = Object.keys(WRITE_COMMANDS) as WriteCommandName[];

/** Adds one command of the table to a commander program; the caller adds its action (and extra options). */
export function defineCommand(program: Command, name: WriteCommandName): Command {
  const spec: CommandSpec = WRITE_COMMANDS[name];
  const cmd = program.command(spec.name).description(spec.description);
  for (const a of spec.arguments) {
    if (a.default !== undefined) cmd.argument(a.spec, a.description, a.default);
    else cmd.argument(a.spec, a.description);
  }
  for (const o of spec.options) cmd.option(o.flags, o.description);
  return cmd;
}
