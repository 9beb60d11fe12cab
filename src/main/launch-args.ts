/**
 * Turns a launch's arguments or an `exist-tray://` deep link into a command for the
 * running instance. Pure, so every accepted and refused form is tested.
 *
 *   exist-tray increment NAME [DELTA] [--date YYYY-MM-DD]
 *   exist-tray set NAME VALUE [--date YYYY-MM-DD]
 *   exist-tray sync
 *   exist-tray://increment?attribute=pages_read&value=1&date=2026-11-30
 *   exist-tray://set?attribute=mood&value=7
 *   exist-tray://sync
 */
import { remoteCommandSchema, type RemoteCommand } from '../core/remote/protocol';
import { assertNever, type Result } from '../shared/result';

export const PROTOCOL = 'exist-tray';
const COMMANDS = ['increment', 'set', 'sync'] as const;
type LaunchCommandName = (typeof COMMANDS)[number];
const isCommandName = (s: string): s is LaunchCommandName => (COMMANDS as readonly string[]).includes(s);

/** Flags the app itself may be launched with; ignored before a command word. */
const APP_FLAGS = new Set(['--hidden']);

const fail = (message: string): Result<never> => ({ ok: false, error: { code: 'invalid-launch-args', message } });

const USAGE =
  'Usage: exist-tray increment NAME [DELTA] [--date YYYY-MM-DD] | exist-tray set NAME VALUE [--date YYYY-MM-DD] | exist-tray sync';

/** A decimal number as typed ("1", "-2", "0.5"); anything else stays a string. */
const numeric = (s: string): number | null => (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s.trim()) ? Number(s) : null);

function validate(candidate: { command: LaunchCommandName; args: Record<string, unknown> }): Result<RemoteCommand> {
  const parsed = remoteCommandSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.filter((p) => p !== 'args').join('.') ?? '';
  return fail(`${candidate.command}: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid arguments'}`);
}

function build(
  command: LaunchCommandName,
  name: string | undefined,
  value: string | undefined,
  date: string | undefined,
): Result<RemoteCommand> {
  switch (command) {
    case 'sync':
      return validate({ command, args: {} });
    case 'increment': {
      if (!name) return fail(`increment needs an attribute name. ${USAGE}`);
      const delta = value === undefined ? 1 : numeric(value);
      if (delta === null) return fail(`increment: "${value}" is not a number`);
      return validate({ command, args: { name, delta, ...(date !== undefined ? { date } : {}) } });
    }
    case 'set': {
      if (!name) return fail(`set needs an attribute name. ${USAGE}`);
      if (value === undefined) return fail(`set needs a value. ${USAGE}`);
      return validate({
        command,
        args: { name, value: numeric(value) ?? value, ...(date !== undefined ? { date } : {}) },
      });
    }
    default:
      return assertNever(command, 'command');
  }
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
  const command = argv[start] as LaunchCommandName;

  const positional: string[] = [];
  let date: string | undefined;
  for (let i = start + 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--date') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return fail('--date needs a value like 2026-11-30');
      date = next;
      i++;
    } else if (a.startsWith('--date=')) {
      date = a.slice('--date='.length);
    } else if (a.startsWith('--') && !APP_FLAGS.has(a)) {
      return fail(`Unknown option ${a}. ${USAGE}`);
    } else if (!APP_FLAGS.has(a)) {
      positional.push(a);
    }
  }
  const max = command === 'sync' ? 0 : 2;
  if (positional.length > max) return fail(`${command}: unexpected argument "${positional[max]}". ${USAGE}`);
  return build(command, positional[0], positional[1], date);
}

const LINK_PARAMS = new Set(['attribute', 'name', 'value', 'delta', 'date']);

/** An `exist-tray://ACTION?attribute=…&value=…&date=…` link → a command or a readable error. */
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
  const name = q.get('attribute') ?? q.get('name') ?? undefined;
  const value = q.get('value') ?? q.get('delta') ?? undefined;
  const date = q.get('date') ?? undefined;
  return build(action, name, value, date);
}
