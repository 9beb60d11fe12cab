/**
 * Today's state on every popover row (issue 18): a ✓ when the day has a value, the last
 * value and when this app logged it, and — with a read scope — progress against Exist's
 * usual value for this weekday (`GET /api/2/averages/`, cached and refreshed at most once a
 * day per account), plus streaks for yes/no attributes. Added onto the tray view.
 */
import type { RowInsight } from '../../../shared/features';
import type { TrayAttributeView, TrayView } from '../../../shared/ipc-contract';
import { createAveragesCache, lastValue, progressFor, streakFor, type AveragesCache } from '../../averages';
import type { OutboxSnapshot } from '../../outbox';
import { controlKindFor, displayUnitFor, formatValue } from '../../values';
import type { AppContext } from '../context';

export interface InsightsService {
  /** The view with `insight` on every row. */
  decorate(view: TrayView, snapshot: OutboxSnapshot): TrayView;
}

/** When this app last logged each attribute (newest write of any day). */
function loggedAt(snapshot: OutboxSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const it of [...snapshot.recent, ...snapshot.sending, ...snapshot.pending]) {
    const at = it.updatedAt ?? it.createdAt;
    if (at > (out.get(it.op.name) ?? 0)) out.set(it.op.name, at);
  }
  return out;
}

function rowInsight(a: TrayAttributeView, view: TrayView, cache: AveragesCache, logged: number | null): RowInsight {
  const unit = displayUnitFor(
    { name: a.name, template: a.template, value_type: a.valueType, value_type_description: a.valueTypeDescription },
    view.profile,
  );
  const hasValue = a.value !== null && a.value !== '';
  const last = hasValue ? { date: view.date, value: a.value as number | string } : lastValue(a.history, view.date);
  const control = controlKindFor(a.valueType);
  const numeric = control !== 'text' && control !== 'toggle';
  const p = numeric && a.history !== null ? progressFor(a.value, cache.get(a.name), view.date) : null;
  return {
    hasValue,
    last: last ? { date: last.date, text: formatValue(a.valueType, last.value, unit) } : null,
    loggedAt: logged,
    usual: p ? { text: formatValue(a.valueType, p.usual, unit), weekday: p.weekday, fraction: p.fraction } : null,
    streak: control === 'toggle' ? streakFor(a.history, view.date) : null,
  };
}

export function createInsightsService(ctx: AppContext): InsightsService {
  const caches = new Map<string, AveragesCache>();
  const cacheFor = (key: string): AveragesCache => {
    let c = caches.get(key);
    if (!c) {
      c = createAveragesCache({
        now: () => ctx.deps.clock.now(),
        fetchAll: () => ctx.session().client().listAllAverages(),
      });
      caches.set(key, c);
    }
    return c;
  };
  return {
    decorate(view, snapshot) {
      const account = ctx.session().account();
      if (!account) return view;
      const cache = cacheFor(`${account.baseUrl}\u0000${account.clientId}`);
      const canRead = account.scope.some((x) => x.endsWith('_read'));
      if (canRead && account.status === 'connected') {
        const before = cache.fetchedAt();
        void cache.refresh().then(() => {
          if (cache.fetchedAt() !== before) ctx.push('values:changed', { names: [], dates: [view.date] });
        });
      }
      const logged = loggedAt(snapshot);
      return {
        ...view,
        groups: view.groups.map((g) => ({
          ...g,
          attributes: g.attributes.map((a) => ({
            ...a,
            insight: rowInsight(a, view, cache, logged.get(a.name) ?? null),
          })),
        })),
      };
    },
  };
}
