/**
 * The deep-link policy: any web page can open an `exist-tray://` link, so a link is a
 * request from a stranger, not from the user.
 *
 * - Read-only links (open the popover, `sync`, `status`) act at once.
 * - Writes (`increment`, `set`) are checked — the attribute must be one the user tracks,
 *   the value in range for its type, an increment at most a day's worth
 *   (LINK_INCREMENT_LIMITS), the date not in the future (the user's today in their Exist
 *   timezone) and not before the account's first day — and then PROPOSED (attribute
 *   label, value, date) for one click to confirm, unless the user turned on "Apply links
 *   without asking" (Settings → General), when they are applied.
 * - Argv commands from the user's own terminal (a second launch without a link) are not
 *   links and keep applying at once.
 *
 * Pure apart from the ports it is given; plugs into `createLaunchHandler` as `decide`
 * (./apply.ts). Tests: test/core/launch/policy.test.ts.
 */
import { VALUE_TYPES, type IsoDate, type ValueTypeCode } from '../../shared/domain';
import { describeError } from '../errors';
import type { RemoteCommand } from '../remote/protocol';
import { formatDelta, formatValue, isTextType, parseValue, validateStoredDelta, validateStoredValue } from '../values';
import { PROTOCOL } from './args';
import { decideLaunch, describeCommand, type LaunchAction } from './apply';

/** The largest change one link may make to one day, per incrementable value type. */
export const LINK_INCREMENT_LIMITS: Partial<Record<ValueTypeCode, number>> = {
  [VALUE_TYPES.integer]: 10_000,
  [VALUE_TYPES.decimal]: 10_000,
  [VALUE_TYPES.duration]: 24 * 60,
};

/** Before this no Exist account existed: the floor when the account's own start is unknown. */
export const EXIST_EPOCH: IsoDate = '2014-01-01';

type WriteCommand = Extract<RemoteCommand, { command: 'increment' | 'set' }>;

/** A write a link asks for, checked, with its date filled in, as the popover shows it. */
export interface LinkProposal {
  command: WriteCommand;
  attribute: string;
  label: string;
  /** "+2", "7", "1h 30m" */
  valueText: string;
  date: IsoDate;
  /** "Pages read +2 on 2026-12-01" */
  summary: string;
}

export interface LinkContext {
  /** The user's today in their Exist timezone. */
  today: IsoDate;
  /** The account's first day, when known (else EXIST_EPOCH). */
  accountSince: IsoDate | null;
  attribute(name: string): { label: string; valueType: ValueTypeCode } | undefined;
}

export type LinkVerdict = { kind: 'refuse'; message: string } | { kind: 'checked'; proposal: LinkProposal };

const refuse = (message: string): LinkVerdict => ({ kind: 'refuse', message });

/** Checks a write a link asks for. Never applies anything. */
export function checkLinkWrite(cmd: WriteCommand, ctx: LinkContext): LinkVerdict {
  const name = cmd.args.name;
  const a = ctx.attribute(name);
  if (!a) return refuse(`The link names “${name}”, which is not an attribute Exist Tray tracks for you.`);
  const date = cmd.args.date ?? ctx.today;
  if (date > ctx.today) return refuse(`The link’s date ${date} is in the future (today is ${ctx.today}).`);
  const since = ctx.accountSince ?? EXIST_EPOCH;
  if (date < since) return refuse(`The link’s date ${date} is before your Exist account existed (${since}).`);

  if (cmd.command === 'increment') {
    const d = validateStoredDelta(a.valueType, cmd.args.delta);
    if (!d.ok) return refuse(`The link’s change for ${a.label}: ${d.message}.`);
    const delta = d.value as number;
    const limit = LINK_INCREMENT_LIMITS[a.valueType] ?? 0;
    if (delta === 0) return refuse(`The link adds nothing to ${a.label}.`);
    if (Math.abs(delta) > limit)
      return refuse(`The link changes ${a.label} by ${delta}; a link may change one day by at most ${limit}.`);
    const command: WriteCommand = { command: 'increment', args: { name, delta, date } };
    const valueText = formatDelta(a.valueType, delta);
    return { kind: 'checked', proposal: proposal(command, a.label, valueText, date) };
  }
  const raw = cmd.args.value;
  const v =
    typeof raw === 'string' && !isTextType(a.valueType)
      ? parseValue(a.valueType, raw)
      : validateStoredValue(a.valueType, raw, name);
  if (!v.ok) return refuse(`The link’s value for ${a.label}: ${v.message}.`);
  const command: WriteCommand = { command: 'set', args: { name, value: v.value, date } };
  const valueText = isTextType(a.valueType) ? `“${String(v.value)}”` : formatValue(a.valueType, v.value);
  return { kind: 'checked', proposal: proposal(command, a.label, valueText, date) };
}

function proposal(command: WriteCommand, label: string, valueText: string, date: IsoDate): LinkProposal {
  const verb = command.command === 'increment' ? valueText : `set to ${valueText}`;
  return { command, attribute: command.args.name, label, valueText, date, summary: `${label} ${verb} on ${date}` };
}

/** Whether a launch's argv carries an `exist-tray://` link (rather than words from a terminal). */
export const isLinkLaunch = (argv: readonly string[]): boolean =>
  argv.some((a) => a.toLowerCase().startsWith(`${PROTOCOL}:`));

export interface LinkPolicyDeps {
  /** The context for checking (owned attributes, today); null when not connected. */
  context(): Promise<LinkContext | null>;
  /** Settings → General → "Apply links without asking". */
  applyWithoutAsking(): Promise<boolean>;
  /** Shows the checked write in the popover for one click to confirm. */
  propose(p: LinkProposal): void;
  /** Applies a checked write (the user said links need not ask). */
  apply(cmd: RemoteCommand): Promise<unknown>;
  /** Tells the user something in a notification. */
  tell(title: string, body: string): void;
  decide?: typeof decideLaunch;
}

/**
 * `decide` for createLaunchHandler: read-only launches and terminal commands pass
 * through; a link's write becomes "show the popover" while it is checked and then
 * proposed (or applied when the user allowed it, or refused with the reason).
 * `settled` resolves when the background check of the last link is done (tests).
 */
export function createLinkPolicy(deps: LinkPolicyDeps): {
  decide(argv: readonly string[], second: boolean): LaunchAction;
  settled(): Promise<void>;
} {
  const base = deps.decide ?? decideLaunch;
  let last: Promise<void> = Promise.resolve();
  const judge = async (cmd: WriteCommand) => {
    const ctx = await deps.context();
    if (!ctx) return deps.tell('Exist Tray could not apply that', 'Connect to Exist first; the link was not applied.');
    const verdict = checkLinkWrite(cmd, ctx);
    if (verdict.kind === 'refuse') return deps.tell('Exist Tray did not apply that link', verdict.message);
    if (await deps.applyWithoutAsking()) {
      await deps.apply(verdict.proposal.command);
      return deps.tell('Exist Tray', `${describeCommand(verdict.proposal.command)}: queued (from a link)`);
    }
    deps.propose(verdict.proposal);
  };
  return {
    decide(argv, second) {
      const action = base(argv, second);
      if (action.kind !== 'apply' || !isLinkLaunch(argv)) return action;
      const cmd = action.command;
      if (cmd.command !== 'increment' && cmd.command !== 'set') return action; // sync, status: read-only
      // The one mapper's words (a bug's raw text stays in `detail`, which a notification never shows).
      last = judge(cmd).catch((e: unknown) => deps.tell('Exist Tray could not apply that', describeError(e).message));
      return { kind: 'show-popover' };
    },
    settled: () => last,
  };
}
