/**
 * What the app does with a command from outside its windows: the CLI's socket, a
 * second launch's argv, an `exist-tray://` link. `createCommandApplier` runs a command
 * on the core (the socket's handler), `describeCommand` says it in words for the
 * notification, and `createLaunchHandler` turns a launch into "show the popover",
 * "apply this" or "say why not". No Electron here: src/main wires it to the app's
 * events; the tests drive it with a fake core (test/core/launch/apply.test.ts).
 *
 * A deep-link confirmation policy (issue 14, owned by security) plugs in at
 * `LaunchHandlerDeps.decide`: the default applies at once, as before.
 */
import type { AppCore } from '../app/types';
import { describeError } from '../errors';
import type { Notifier } from '../ports';
import type { RemoteCommand } from '../remote/protocol';
import type { SenderInfo } from '../../shared/ipc-contract';
import { assertNever, type Result } from '../../shared/result';
import { HIDDEN_FLAG, parseLaunchArgs } from './args';

/** Calls made by the shell itself (tray menu, socket, deep links) rather than a page. */
export const INTERNAL_SENDER: SenderInfo = { url: 'internal:', trusted: true };

export type CommandApplier = (cmd: RemoteCommand) => Promise<unknown>;

/** Runs a socket/launch command on the core; answers what the CLI prints. */
export function createCommandApplier(core: Pick<AppCore, 'commands' | 'invoke'>): CommandApplier {
  return async (cmd) => {
    switch (cmd.command) {
      case 'increment':
        return core.commands.increment(cmd.args.name, cmd.args.delta, cmd.args.date);
      case 'set':
        return core.commands.set(cmd.args.name, cmd.args.value, cmd.args.date);
      case 'sync':
        await core.commands.syncNow();
        return core.invoke['sync:get']({}, INTERNAL_SENDER);
      case 'status': {
        const [sync, account] = await Promise.all([
          core.invoke['sync:get']({}, INTERNAL_SENDER),
          core.invoke['account:get']({}, INTERNAL_SENDER),
        ]);
        return {
          running: true,
          account: account.status,
          pending: sync.pending,
          failed: sync.failed.length,
          lastSyncAt: sync.lastSyncAt,
        };
      }
      default:
        return assertNever(cmd, 'remote command');
    }
  };
}

/** "pages_read +2 on 2026-11-30", "mood set to 7", "Sync". */
export function describeCommand(cmd: RemoteCommand): string {
  const on = (date: string | undefined) => (date ? ` on ${date}` : '');
  switch (cmd.command) {
    case 'increment':
      return `${cmd.args.name} ${cmd.args.delta >= 0 ? '+' : ''}${cmd.args.delta}${on(cmd.args.date)}`;
    case 'set':
      return `${cmd.args.name} set to ${cmd.args.value}${on(cmd.args.date)}`;
    case 'sync':
      return 'Sync';
    case 'status':
      return 'Status';
    default:
      return assertNever(cmd, 'remote command');
  }
}

/** What a launch means: nothing to do, show the popover, run a command, or explain a refusal. */
export type LaunchAction =
  | { kind: 'none' }
  | { kind: 'show-popover' }
  | { kind: 'apply'; command: RemoteCommand }
  | { kind: 'refuse'; message: string };

/** A launch's argv → what to do. `second`: a second instance or a link, not this process's own start. */
export function decideLaunch(argv: readonly string[], second: boolean): LaunchAction {
  const parsed: Result<RemoteCommand | null> = parseLaunchArgs(argv);
  if (!parsed.ok) return { kind: 'refuse', message: parsed.error.message };
  if (parsed.value === null) return second || !argv.includes(HIDDEN_FLAG) ? { kind: 'show-popover' } : { kind: 'none' };
  return { kind: 'apply', command: parsed.value };
}

export interface LaunchHandlerDeps {
  apply: CommandApplier;
  notifier: Notifier;
  showPopover(): void;
  /** Override the decision (the deep-link confirmation policy hooks in here). Default: `decideLaunch`. */
  decide?(argv: readonly string[], second: boolean): LaunchAction;
}

/** `(argv, second) => void` for the app's launch sources; never throws, never rejects. */
export function createLaunchHandler(deps: LaunchHandlerDeps): (argv: readonly string[], second: boolean) => void {
  const decide = deps.decide ?? decideLaunch;
  const refuse = (body: string) =>
    deps.notifier.notify({ kind: 'info', title: 'Exist Tray could not apply that', body });
  return (argv, second) => {
    const action = decide(argv, second);
    switch (action.kind) {
      case 'none':
        return;
      case 'show-popover':
        deps.showPopover();
        return;
      case 'refuse':
        refuse(action.message);
        return;
      case 'apply': {
        const cmd = action.command;
        deps.apply(cmd).then(
          () => deps.notifier.notify({ kind: 'info', title: 'Exist Tray', body: `${describeCommand(cmd)}: queued` }),
          (e: unknown) => refuse(describeError(e).message), // the one mapper: no raw text in a notification
        );
        return;
      }
      default:
        assertNever(action, 'launch action');
    }
  };
}
