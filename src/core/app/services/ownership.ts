/**
 * Ownership made visible (issue 18). Before acquiring: asks Exist (`GET /api/2/attributes/`)
 * whether the attribute exists, its type and which service owns it now, and says it in one
 * sentence (src/core/ownership); the interface asks the user to confirm only a takeover.
 *
 * After Exist refuses a write because another service took the attribute over (the
 * outbox's `not-owner` failure: the session's write port never takes it back on its own,
 * see askBeforeTakingBack in src/core/outbox/exist-write-api.ts), the failed row offers:
 * - **Take it back** (`attributes:take-back`), after the same confirmation as acquiring:
 *   acquire it again and re-queue its refused writes, which then land.
 * - **Stop tracking** (`attributes:stop-tracking`): leave it to the other service; its
 *   refused writes are discarded and the owned list is fetched again, so it leaves the
 *   popover.
 *
 * Decisions: while Exist has refused a write as "not yours", the ownership check does not
 * count the attribute as this app's (the cached owned list may still say so), so taking it
 * back is confirmed like any takeover.
 */
import type { Attribute } from '../../../shared/domain';
import { NOT_OWNER } from '../../../shared/domain';
import type { InvokeHandlers } from '../../../shared/ipc-contract';
import { UserError } from '../../errors';
import { describeOwnership } from '../../ownership';
import type { AccountSession } from '../../session';
import { readScopesFor } from '../../session';
import type { AppContext } from '../context';

type OwnershipChannels = 'attributes:ownership' | 'attributes:take-back' | 'attributes:stop-tracking';

/** Ids of the writes Exist refused because `name` is not this app's any more. */
function refusedIds(session: AccountSession, name?: string): { ids: string[]; names: Set<string> } {
  const refused = (session.outbox.current()?.failed() ?? []).filter(
    (i) => i.error?.code === NOT_OWNER && (name === undefined || i.op.name === name),
  );
  return { ids: refused.map((i) => i.id), names: new Set(refused.map((i) => i.op.name)) };
}

const writes = (n: number) => `${n} refused write${n === 1 ? '' : 's'}`;

export function ownershipHandlers(ctx: AppContext): Pick<InvokeHandlers, OwnershipChannels> {
  const labelOf = (session: AccountSession, name: string) =>
    session.owned.attributes().find((a) => a.name === name)?.label ?? name;

  return {
    'attributes:ownership': async ({ by, name }) => {
      const session = ctx.session();
      session.requireAccount();
      const client = session.client();
      const template = by === 'template' ? (await client.listAllTemplates()).find((t) => t.name === name) : undefined;
      const list = await client.listAllAttributes({ attributes: [name], includeInactive: true });
      const hit: Attribute | undefined = list.find((a) => a.name === name);
      const canRead = template
        ? session.hasScope(readScopesFor(template.group, false))
        : session.hasScope(session.account()?.scope.filter((x) => x.endsWith('_read')) ?? []);
      const notOurs = refusedIds(session).names;
      const ownedNames = new Set(
        session.owned
          .attributes()
          .map((a) => a.name)
          .filter((n) => !notOurs.has(n)),
      );
      const label = template ? ((template as { label?: string }).label ?? null) : null;
      return describeOwnership({ name, found: hit ?? (canRead ? undefined : null), ownedNames, templateLabel: label });
    },

    'attributes:take-back': async ({ name }) => {
      const session = ctx.session();
      session.requireAccount();
      const label = labelOf(session, name);
      const template = session.owned.attributes().find((a) => a.name === name)?.template;
      const r = await session.client().acquire([template ? { template } : { name }]);
      const f = r.failed[0];
      if (f) throw new UserError('acquire-failed', `Exist did not give “${label}” back to Exist Tray: ${f.error}`);
      await session.owned.refresh().catch(() => {}); // the writes go on; the list catches up at its next refresh
      const box = session.outbox.require();
      const again = await box.retry(refusedIds(session, name).ids);
      if (ctx.autoFlush) void box.flush({ interactive: true }).catch(() => {});
      return {
        message: `Exist Tray writes “${label}” again${again.length > 0 ? `; ${writes(again.length)} sent again` : ''}.`,
      };
    },

    'attributes:stop-tracking': async ({ name }) => {
      const session = ctx.session();
      session.requireAccount();
      const label = labelOf(session, name);
      const gone = await session.outbox.require().discard(refusedIds(session, name).ids);
      await session.owned.refresh().catch(() => {});
      return {
        message: `Exist Tray no longer writes “${label}”${gone.length > 0 ? `; ${writes(gone.length)} discarded` : ''}.`,
      };
    },
  };
}
