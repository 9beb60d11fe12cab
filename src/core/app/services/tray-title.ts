/**
 * The macOS tray title's text for the tray state (src/core/traystate/title.ts): today's
 * value of the one attribute chosen in Settings → General ("Show in the menu bar"), as the
 * popover shows it — Exist's total plus the writes still waiting, so a +1 shows at once,
 * offline too. '' when none is chosen, or the chosen one is no longer owned. The shell
 * decides where a title exists (tray.setTitle is macOS only); the core computes it for all.
 */
import { trayTitleText } from '../../traystate/title';
import { displayUnitFor } from '../../values';
import type { AppContext } from '../context';
import { expectedValue } from './reminders';

export function trayTitleFor(ctx: AppContext): string | null {
  const name = ctx.prefs.get().settings.trayTitleAttribute;
  if (!name) return null;
  const session = ctx.session();
  const a = session.owned.attributes().find((x) => x.name === name);
  if (!a) return null;
  const unit = displayUnitFor(a, session.account()?.profile ?? null);
  return trayTitleText({ valueType: a.value_type, value: expectedValue(ctx, name, session.today()), unit });
}
