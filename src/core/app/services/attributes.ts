/**
 * The attributes service: which of the user's Exist attributes this app owns (list,
 * templates, acquire, create, release) and the user's per-attribute preferences (shown,
 * steps, order). The owned list itself is the session's; the preferences are the data
 * folder's (settings.json).
 */
import { VALUE_TYPES } from '../../../shared/domain';
import type { Attribute } from '../../../shared/domain';
import type { InvokeHandlers, TemplateView } from '../../../shared/ipc-contract';
import { UserError } from '../../errors';
import { writeScopesFor } from '../../session';
import type { AppContext } from '../context';
import { ownedViews, prefsFor } from '../context';
import { defaultSteps } from '../settings-store';
import { ownedView } from '../views';

export const OWNED_TTL_MS = 10 * 60_000;

type AttributeChannels =
  | 'attributes:list-owned'
  | 'attributes:list-templates'
  | 'attributes:acquire'
  | 'attributes:create'
  | 'attributes:release'
  | 'attributes:set-prefs'
  | 'attributes:reorder';

/** After each fetch of the owned list: preferences for new attributes, and the pushes. */
export function onOwnedRefreshed(ctx: AppContext) {
  return async (list: Attribute[]): Promise<void> => {
    const { prefs } = ctx;
    const missing = list.filter((x) => !prefs.get().attributes[x.name]);
    if (missing.length > 0) {
      const maxOrder = Math.max(0, ...Object.values(prefs.get().attributes).map((p) => p.order));
      await prefs.update((p) => {
        missing.forEach(
          (x, i) =>
            (p.attributes[x.name] = { visible: true, steps: defaultSteps(x.value_type), order: maxOrder + i + 1 }),
        );
        return p;
      });
    }
    ctx.push('attributes:changed', ownedViews(ctx));
    ctx.push('values:changed', { names: list.map((x) => x.name), dates: [] });
  };
}

/** Whether the owned list is older than its time to live (or was never fetched). */
export const ownedStale = (ctx: AppContext): boolean => {
  const at = ctx.session().owned.fetchedAt();
  return at === null || ctx.deps.clock.now() - at > OWNED_TTL_MS;
};

/** The one answer in `r.failed`, as the UserError the interface shows. */
function failure(r: { failed: { error: string; error_code: string }[] }) {
  return r.failed[0];
}

export function attributesHandlers(ctx: AppContext): Pick<InvokeHandlers, AttributeChannels> {
  const { prefs, push } = ctx;
  const s = ctx.session;
  const view = (a: Attribute) => ownedView(a, prefsFor(ctx, a));
  /** Refetch the owned list and find the attribute just added (or say it is not there). */
  const afterRefresh = async (find: (list: Attribute[]) => Attribute | undefined, code: string, notThere: string) => {
    await s().owned.refresh();
    const a = find(s().owned.attributes());
    if (!a) throw new UserError(code, notThere);
    return view(a);
  };

  return {
    'attributes:list-owned': async ({ refresh }) => {
      const session = s();
      if (refresh && session.connected()) await session.owned.refresh();
      else if (session.account() && ownedStale(ctx)) void session.owned.refresh().catch(() => {});
      return ownedViews(ctx);
    },
    'attributes:list-templates': async ({ group }) => {
      const session = s();
      session.requireAccount();
      const list = await session.client().listAllTemplates(group ? { groups: [group] } : {});
      const mine = new Set(session.owned.attributes().map((a) => a.template ?? a.name));
      return list.map((t): TemplateView => ({
        ...t,
        label: (t as { label?: string }).label ?? t.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        owned: mine.has(t.name),
      }));
    },
    'attributes:acquire': async ({ by, name, manual }) => {
      const session = s();
      session.requireAccount();
      if (by === 'template') {
        const template = (await session.client().listAllTemplates()).find((t) => t.name === name);
        if (!template)
          throw new UserError(
            'no-such-template',
            `Exist has no template called “${name}”. Add it by name instead if it is your own attribute.`,
            'name',
          );
        if (!session.hasScope(writeScopesFor(template.group, Boolean(manual))))
          throw new UserError(
            'missing-scope',
            `Adding “${name}” needs the ${template.group}_write permission, which this connection did not grant. Reconnect in Settings → Account with it ticked.`,
          );
      }
      const r = await session
        .client()
        .acquire([
          by === 'template'
            ? { template: name, ...(manual === undefined ? {} : { manual }) }
            : { name, ...(manual === undefined ? {} : { manual }) },
        ]);
      const f = failure(r);
      if (f)
        throw new UserError(
          f.error_code === 'not_found' ? 'no-such-attribute' : 'acquire-failed',
          `Exist did not let Exist Tray take “${name}”: ${f.error}`,
          'name',
        );
      return afterRefresh(
        (list) => list.find((x) => x.name === name),
        'acquire-failed',
        `Exist accepted “${name}”, but it is not among the attributes this app owns.`,
      );
    },
    'attributes:create': async ({ label, group, valueType, manual }) => {
      const session = s();
      session.requireAccount();
      if (!session.hasScope(writeScopesFor(group, manual)))
        throw new UserError(
          'missing-scope',
          `Creating an attribute in ${group} needs the ${group}_write permission${manual ? ' (or manual_write)' : ''}. Reconnect in Settings → Account with it ticked.`,
        );
      const r = await session
        .client()
        .create([{ label, group, value_type: VALUE_TYPES[valueType], manual }], { successObjects: true });
      const f = failure(r);
      if (f)
        throw new UserError(
          ['exists', 'already_exists'].includes(f.error_code) ? 'already-exists' : 'create-failed',
          `Exist did not create “${label}”: ${f.error}`,
          'label',
        );
      const created = r.success[0] as { name?: unknown } | undefined;
      return afterRefresh(
        (list) => list.find((x) => x.name === created?.name) ?? list.find((x) => x.label === label),
        'create-failed',
        `Exist created “${label}”, but it is not among the attributes this app owns.`,
      );
    },
    'attributes:release': async ({ name }) => {
      const session = s();
      session.owned.require(name);
      const waiting = (session.outbox.current()?.pending() ?? []).filter((i) => i.op.name === name).length;
      if (waiting > 0)
        throw new UserError(
          'pending-writes',
          `${waiting} write${waiting === 1 ? '' : 's'} for “${name}” ${waiting === 1 ? 'is' : 'are'} still waiting. Sync or discard ${waiting === 1 ? 'it' : 'them'} first, so nothing is lost.`,
        );
      const r = await session.client().release([{ name }]);
      const f = failure(r);
      if (f) throw new UserError('release-failed', `Exist did not release “${name}”: ${f.error}`);
      await session.owned.refresh();
      return { name };
    },
    'attributes:set-prefs': async ({ name, visible, steps, reminder }) => {
      const a = s().owned.require(name);
      const current = prefsFor(ctx, a);
      await prefs.update((p) => {
        p.attributes[name] = {
          ...current,
          ...(visible === undefined ? {} : { visible }),
          ...(steps === undefined ? {} : { steps: [...new Set(steps)].sort((x, y) => x - y) }),
          ...(reminder === undefined ? {} : { reminder }),
        };
        return p;
      });
      push('attributes:changed', ownedViews(ctx));
      push('values:changed', { names: [name], dates: [] });
      return view(a);
    },
    'attributes:reorder': async ({ names }) => {
      const owned = s().owned;
      for (const n of names) owned.require(n);
      await prefs.update((p) => {
        names.forEach((n, i) => {
          const a = owned.require(n);
          p.attributes[n] = { ...prefsFor(ctx, a), order: i };
        });
        return p;
      });
      const views = ownedViews(ctx);
      push('attributes:changed', views);
      push('values:changed', { names, dates: [] });
      return views;
    },
  };
}
