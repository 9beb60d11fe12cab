/** What the popover lists, in which order, and the day it is for in words. */
import type { TrayView } from '../../../shared/ipc-contract';

/**
 * Attributes by the user's order (Settings → Attributes), grouped under their Exist group;
 * a group comes where its first attribute does, so moving an attribute up in Settings
 * moves it up here too. Hidden attributes left out.
 */
export function visibleGroups(view: TrayView): TrayView['groups'] {
  const first = (g: TrayView['groups'][number]) => Math.min(...g.attributes.map((a) => a.prefs.order));
  return view.groups
    .map((g) => ({
      ...g,
      attributes: g.attributes
        .filter((a) => a.prefs.visible)
        .sort((a, b) => a.prefs.order - b.prefs.order || a.priority - b.priority || a.label.localeCompare(b.label)),
    }))
    .filter((g) => g.attributes.length > 0)
    .sort((a, b) => first(a) - first(b) || a.priority - b.priority || a.label.localeCompare(b.label));
}

export { formatDay } from '../../../core/values/day-format';
