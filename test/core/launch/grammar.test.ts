/**
 * One grammar for the CLI and the app's launches: the CLI's increment/set/sync commands
 * are registered from src/core/launch/commands.ts, so their arguments and shared options
 * are the table's; a launch parses the same words the CLI does.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registrars } from '../../../src/cli/commands';
import { WRITE_COMMANDS, WRITE_COMMAND_NAMES } from '../../../src/core/launch/commands';
import { parseCommandWords } from '../../../src/core/launch/args';

function cliProgram(): Command {
  const program = new Command('exist-tray');
  for (const register of registrars) register(program, () => ({}) as never);
  return program;
}

describe('the launch grammar is the CLI grammar', () => {
  it.each(WRITE_COMMAND_NAMES)('the CLI command %s has the table’s arguments and options', (name) => {
    const cmd = cliProgram().commands.find((c) => c.name() === name);
    expect(cmd, `the CLI has no ${name} command`).toBeDefined();
    const spec = WRITE_COMMANDS[name];
    expect(
      cmd!.registeredArguments.map((a) => `${a.required ? '<' : '['}${a.name()}${a.required ? '>' : ']'}`),
    ).toEqual(spec.arguments.map((a) => a.spec));
    expect(cmd!.registeredArguments.map((a) => a.defaultValue as unknown)).toEqual(
      spec.arguments.map((a) => ('default' in a ? a.default : undefined)),
    );
    const flags = cmd!.options.map((o) => o.flags);
    for (const o of spec.options) expect(flags).toContain(o.flags);
    expect(cmd!.description()).toBe(spec.description);
  });

  it('what the CLI accepts as words, a launch accepts too (and refuses what it refuses)', () => {
    expect(parseCommandWords(['increment', 'pages_read', '--date', '2026-11-30', '3'])).toEqual({
      ok: true,
      value: { command: 'increment', args: { name: 'pages_read', delta: 3, date: '2026-11-30' } },
    });
    expect(parseCommandWords(['set', 'mood'])).toMatchObject({ ok: false });
    expect(parseCommandWords(['delete', 'mood'])).toMatchObject({ ok: false });
    expect(parseCommandWords(['sync', '--hidden'])).toEqual({ ok: true, value: { command: 'sync', args: {} } });
  });
});
