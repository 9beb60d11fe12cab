/**
 * Ownership before acquiring (issue 18): asks Exist (`GET /api/2/attributes/`) whether the
 * attribute exists, its type and which service owns it now, and says it in one sentence
 * (src/core/ownership). The interface asks the user to confirm only a takeover.
 */
import type { Attribute } from '../../../shared/domain';
import type { InvokeHandlers } from '../../../shared/ipc-contract';
import { describeOwnership } from '../../ownership';
import { readScopesFor } from '../../session';
import type { AppContext } from '../context';

export function ownershipHandlers(ctx: AppContext): Pick<InvokeHandlers, 'attributes:ownership'> {
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
      const ownedNames = new Set(session.owned.attributes().map((a) => a.name));
      const label = template ? ((template as { label?: string }).label ?? null) : null;
      return describeOwnership({ name, found: hit ?? (canRead ? undefined : null), ownedNames, templateLabel: label });
    },
  };
}
