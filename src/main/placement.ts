/** Where the popover goes for the tray's bounds (null: unknown, e.g. Linux), from Electron's `screen`. */
import type { Screen } from 'electron';
import { popoverPosition, type Point, type Rect } from './tray-position';
import { POPOVER_SIZE } from './windows';

export function placePopover(screen: Screen, platform: NodeJS.Platform, bounds: Rect | null): Point {
  const c = screen.getCursorScreenPoint();
  // Wayland reports the pointer as 0,0: treat that as unknown.
  const cursor = c.x === 0 && c.y === 0 ? null : c;
  const display = bounds
    ? screen.getDisplayMatching(bounds)
    : cursor
      ? screen.getDisplayNearestPoint(cursor)
      : screen.getPrimaryDisplay();
  return popoverPosition({
    trayBounds: bounds,
    window: POPOVER_SIZE,
    workArea: display.workArea,
    displayBounds: display.bounds,
    platform,
    cursor,
  });
}
