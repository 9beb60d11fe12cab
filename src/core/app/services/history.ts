/**
 * The history service: the tray's view of a day — each owned attribute's value as the
 * outbox knows it, its recent history (the sparkline, loaded on demand by the session),
 * the user's date and timezone.
 */
import type { InvokeHandlers } from '../../../shared/ipc-contract';
import type { AppContext } from '../context';
import { ownedViews } from '../context';
import { trayView } from '../views';
import { EMPTY_SNAPSHOT } from './sync';
import type { InsightsService } from './insights';

export function historyHandlers(ctx: AppContext, insights?: InsightsService): Pick<InvokeHandlers, 'tray:get-view'> {
  return {
    'tray:get-view': async ({ date: dateIn }) => {
      const session = ctx.session();
      const date = session.resolveDate(dateIn);
      const box = session.outbox.current();
      const a = session.account();
      if (a?.status === 'connected') session.history.load(date);
      const snapshot = box?.snapshot() ?? EMPTY_SNAPSHOT;
      const view = trayView({
        account: ctx.accountView().status,
        date,
        today: session.today(),
        timezone: session.timezone(),
        profile: a?.profile ?? null,
        owned: ownedViews(ctx),
        attributes: session.owned.readState(),
        snapshot,
        expected: (n, d) => box?.expected(n, d),
        knownTotal: (n, d) => box?.knownTotal(n, d),
        history: (n) => session.history.get(date, n),
      });
      return insights ? insights.decorate(view, snapshot) : view;
    },
  };
}
