/**
 * Turns a launch's arguments or an `exist-tray://` deep link into a command for the
 * running instance. The words are parsed by a commander program built from the CLI's
 * own command table (./commands.ts), so `exist-tray increment pages_read 2` means the
 * same to the app as to the CLI; a link is turned into those words first.
 *
 *   exist-tray increment NAME [DELTA] [--date YYYY-MM-DD]
 *   exist-tray set NAME VALUE [--date YYYY-MM-DD]
 *   exist-tray sync
 *   exist-tray://increment?attribute=pages_read&value=1&date=2026-11-30
 *   exist-tray://set?attribute=mood&value=7
 *   exist-tray://sync
 *
 * Pure and Electron-free (moved here from src/main/launch-args.ts), so every accepted
 * and refused form is tested under plain Node (test/core/launch/args.test.ts).
 */
import { Command, CommanderError } from 'commander';
import { remoteCommandSchema, type RemoteCommand } from '../remote/protocol';
import { assertNever, type Result } from '../../shared/result';
import { defineCommand, WRITE_COMMAND_NAMES, type WriteCommandName } from './commands';

export const PROTOCOL = 'exist-tray';
/** The flag a login launch carries: start in the tray without showing a window. */
export const HIDDEN_FLAG = '--hidden';

const isCommandName = (s: string): s is WriteCommandName => (WRITE_COMMAND_NAMES as string[]).includes(s);

/** Flags the app itself may be launched with; ignored wherever they appear. */
const APP_FLAGS = new Set([HIDDEN_FLAG]);

const fail = (message: string): Result<never> => ({ ok: false, error: { code: 'invalid-launch-args', message } });

export const LAUNCH_USAGE =
  'Usage: exist-tray increment NAME [DELTA] [--date YYYY-MM-DD] | exist-tray set NAME VALUE [--date YYYY-MM-DD] | exist-tray sync';

/** A decimal number as typed ("1", "-2", "0.5"); anything else stays a string. */
const numeric = (s: string): number | null => (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s.trim()) ? Number(s) : null);

function validate(candidate: { command: WriteCommandName; args: Record<string, unknown> }): Result<RemoteCommand> {
  const parsed = remoteCommandSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.filter((p) => p !== 'args').join('.') ?? '';
  return fail(`${candidate.command}: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid arguments'}`);
}

/** The words after the command name (commander's parsed arguments) → a validated command. */
function build(command: WriteCommandName, words: string[], date: string | undefined): Result<RemoteCommand> {
  const dated = date !== undefined ? { date } : {};
  switch (command) {
    case 'sync':
      return validate({ command, args: {} });
    case 'increment': {
      const [name, value = '1'] = words;
      const delta = numeric(value);
      if (delta === null) return fail(`increment: "${value}" is not a number`);
      return validate({ command, args: { name, delta, ...dated } });
    }
    case 'set': {
      const [name, value = ''] = words;
      return validate({ command, args: { name, value: numeric(value) ?? value, ...dated } });
    }
    default:
      return assertNever(command, 'command');
  }
}

const MISSING: Record<string, string> = { name: 'an attribute name', value: 'a value' };

/** Commander's own words, made readable ("missing required argument 'name'" → "increment needs an attribute name"). */
function commanderMessage(command: string, e: CommanderError): string {
  const missing = e.code === 'commander.missingArgument' ? /'([a-z]+)'/.exec(e.message)?.[1] : undefined;
  if (missing) return `${command} needs ${MISSING[missing] ?? missing}. ${LAUNCH_USAGE}`;
  return `${command}: ${e.message.replace(/^error:\s*/, '')}. ${LAUNCH_USAGE}`;
}

/** `[command, ...rest]` → a command, parsed by the shared grammar. */
export function parseCommandWords(words: readonly string[]): Result<RemoteCommand> {
  const [command] = words;
  if (command === undefined || !isCommandName(command)) return fail(`Unknown command. ${LAUNCH_USAGE}`);
  let parsed: { words: string[]; date: string | undefined } | null = null;
  const program = new Command(PROTOCOL)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  defineCommand(program, command)
    .exitOverride()
    .action((...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      parsed = { words: cmd.processedArgs as string[], date: cmd.opts<{ date?: string }>().date };
    });
  try {
    program.parse(
      words.filter((w) => !APP_FLAGS.has(w)),
      { from: 'user' },
    );
  } catch (e) {
    if (e instanceof CommanderError) return fail(commanderMessage(command, e));
    throw e;
  }
  const p = parsed as { words: string[]; date: string | undefined } | null;
  if (!p) return fail(`${command}: could not read the arguments. ${LAUNCH_USAGE}`);
  return build(command, p.words, p.date);
}

/**
 * argv (a whole `process.argv`, executable and app path included) → a command, `null`
 * when the launch carries no command (a plain start), or a readable error.
 */
export function parseLaunchArgs(argv: readonly string[]): Result<RemoteCommand | null> {
  const link = argv.find((a) => a.toLowerCase().startsWith(`${PROTOCOL}:`));
  if (link !== undefined) return parseDeepLink(link);
  const start = argv.findIndex((a, i) => i > 0 && isCommandName(a));
  if (start < 0) return { ok: true, value: null };
  return parseCommandWords(argv.slice(start));
}

const LINK_PARAMS = new Set(['attribute', 'name', 'value', 'delta', 'date']);

/** An `exist-tray://ACTION?attribute=…&value=…&date=…` link → the same words → a command, or a readable error. */
export function parseDeepLink(link: string): Result<RemoteCommand> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return fail(`Not a valid link: ${link.slice(0, 200)}`);
  }
  if (url.protocol !== `${PROTOCOL}:`) return fail(`Not an ${PROTOCOL}:// link`);
  const action = (url.hostname || url.pathname).replace(/^\/+|\/+$/g, '').toLowerCase();
  if (!isCommandName(action)) return fail(`Unknown action "${action}" in the link; use increment, set or sync`);
  for (const key of url.searchParams.keys()) {
    if (!LINK_PARAMS.has(key)) return fail(`Unknown parameter "${key}" in the link; use attribute, value and date`);
  }
  const q = url.searchParams;
  const name = q.get('attribute') ?? q.get('name');
  const value = q.get('value') ?? q.get('delta');
  const date = q.get('date');
  // `--` ends the options, so a value such as "-2" or "--x" stays a value.
  const words = [action, ...(name !== null ? ['--', name] : []), ...(value !== null ? [value] : [])];
  if (date !== null) words.splice(1, 0, `--date=${date}`);
  return parseCommandWords(words);
}
