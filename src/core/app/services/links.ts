/**
 * The links service: what the app does with an `exist-tray://` write after the policy
 * (../../launch/policy.ts) checked it. One proposal at a time (a newer link replaces
 * it); the popover shows it (`links:get-proposal`, push `links:proposal`) and one click
 * confirms (`links:confirm`, applied as the user's own write) or dismisses it. With
 * Settings → General → "Apply links without asking" a checked write is applied at once.
 * The proposal id is random, so a page cannot confirm a proposal it has not seen.
 */
import { randomUUID } from 'node:crypto';
import type { InvokeHandlers, LinkProposalView, WriteReceipt } from '../../../shared/ipc-contract';
import { UserError } from '../../errors';
import type { LaunchAction } from '../../launch/apply';
import { createLinkPolicy, type LinkContext, type LinkProposal } from '../../launch/policy';
import type { RemoteCommand } from '../../remote/protocol';
import { ownedViews, type AppContext } from '../context';
import type { WritesService } from './writes';

type WriteCommand = LinkProposal['command'];

export interface LinksDeps {
  context(): Promise<LinkContext | null>;
  applyWithoutAsking(): boolean;
  write(cmd: WriteCommand): Promise<WriteReceipt>;
  /** Sync, status: links that only read or send what is queued. */
  other(cmd: RemoteCommand): Promise<unknown>;
  push(p: LinkProposalView | null): void;
  tell(title: string, body: string): void;
  newId?(): string;
}

export interface LinksService {
  decide(argv: readonly string[], second: boolean): LaunchAction;
  handlers: Pick<InvokeHandlers, 'links:get-proposal' | 'links:confirm' | 'links:dismiss'>;
  /** The background check of the last link (tests). */
  settled(): Promise<void>;
}

export function createLinksService(deps: LinksDeps): LinksService {
  let current: { view: LinkProposalView; command: WriteCommand } | null = null;
  const newId = deps.newId ?? randomUUID;
  const isWrite = (c: RemoteCommand): c is WriteCommand => c.command === 'increment' || c.command === 'set';
  const policy = createLinkPolicy({
    context: deps.context,
    applyWithoutAsking: async () => deps.applyWithoutAsking(),
    propose: (p) => {
      const { command, ...shown } = p;
      current = { view: { id: newId(), ...shown }, command };
      deps.push(current.view);
    },
    apply: (cmd) => (isWrite(cmd) ? deps.write(cmd) : deps.other(cmd)),
    tell: deps.tell,
  });
  const take = (id: string) => {
    if (!current || current.view.id !== id)
      throw new UserError('proposal-gone', 'That link’s write is no longer waiting (a newer link replaced it).');
    const c = current;
    current = null;
    deps.push(null);
    return c;
  };
  return {
    decide: policy.decide,
    settled: policy.settled,
    handlers: {
      'links:get-proposal': async () => current?.view ?? null,
      'links:confirm': async ({ id }) => deps.write(take(id).command),
      'links:dismiss': async ({ id }) => {
        take(id);
        return { id };
      },
    },
  };
}

/** The links service's ports over the app core. */
export function linksDepsFrom(
  ctx: AppContext,
  writes: WritesService,
  other: (cmd: RemoteCommand) => Promise<unknown>,
): LinksDeps {
  return {
    async context() {
      const s = ctx.session();
      if (!s.connected()) return null;
      const owned = new Map(ownedViews(ctx).map((a) => [a.name, a]));
      return {
        today: s.resolveDate(undefined),
        accountSince: null, // Exist's profile does not say when the account began
        attribute: (name) => {
          const a = owned.get(name);
          return a ? { label: a.label, valueType: a.valueType } : undefined;
        },
      };
    },
    applyWithoutAsking: () => ctx.prefs.get().settings.applyLinksWithoutAsking === true,
    write: (cmd) =>
      cmd.command === 'increment'
        ? writes.increment(cmd.args.name, cmd.args.delta, cmd.args.date)
        : writes.set(cmd.args.name, cmd.args.value, cmd.args.date),
    other,
    push: (p) => ctx.push('links:proposal', p),
    tell: (title, body) => ctx.deps.notifier.notify({ kind: 'info', title, body }),
  };
}
