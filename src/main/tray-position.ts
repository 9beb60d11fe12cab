/**
 * Where the popover goes, as pure math so every platform's tray placement is tested
 * without Electron: under the macOS menu bar, above/beside a Windows taskbar on any
 * edge, by a Linux panel, and, where the tray reports no bounds (Linux AppIndicator),
 * near the pointer or in the top-right corner of the work area.
 */
import { assertNever } from '../shared/result';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export type TrayEdge = 'top' | 'bottom' | 'left' | 'right';

export interface PositionInput {
  /** `tray.getBounds()`; null or all-zero when the platform does not say (Linux). */
  trayBounds: Rect | null;
  window: { width: number; height: number };
  /** The display's work area (without menu bar, taskbar, panels). */
  workArea: Rect;
  /** The display's full bounds; used to tell which edge the taskbar is on. */
  displayBounds: Rect;
  platform: NodeJS.Platform;
  /** The pointer, used when the tray bounds are unknown. */
  cursor?: Point | null;
}

/** Gap between the tray/panel and the popover. */
export const GAP = 4;

const valid = (r: Rect | null): r is Rect => !!r && r.width > 0 && r.height > 0;
const inside = (p: Point, r: Rect) => p.x >= r.x && p.x < r.x + r.width && p.y >= r.y && p.y < r.y + r.height;

/**
 * Which screen edge the tray sits on. macOS: always the menu bar at the top.
 * Elsewhere: the side of the work area the tray icon lies outside of (the taskbar or
 * panel is cut out of the work area); when the taskbar auto-hides and the work area
 * is the whole display, the display edge nearest the icon.
 */
export function trayEdge(tray: Rect, workArea: Rect, display: Rect, platform: NodeJS.Platform): TrayEdge {
  if (platform === 'darwin') return 'top';
  const c = { x: tray.x + tray.width / 2, y: tray.y + tray.height / 2 };
  if (c.y >= workArea.y + workArea.height) return 'bottom';
  if (c.y < workArea.y) return 'top';
  if (c.x < workArea.x) return 'left';
  if (c.x >= workArea.x + workArea.width) return 'right';
  const distances: [TrayEdge, number][] = [
    ['bottom', display.y + display.height - c.y],
    ['top', c.y - display.y],
    ['left', c.x - display.x],
    ['right', display.x + display.width - c.x],
  ];
  distances.sort((a, b) => a[1] - b[1]);
  return distances[0]![0];
}

/** Keep a window of `size` inside `area` (top-left wins when the window is larger). */
export function clampToArea(p: Point, size: { width: number; height: number }, area: Rect): Point {
  const x = Math.min(Math.max(p.x, area.x), area.x + area.width - size.width);
  const y = Math.min(Math.max(p.y, area.y), area.y + area.height - size.height);
  return { x: Math.round(Math.max(x, area.x)), y: Math.round(Math.max(y, area.y)) };
}

/** The popover's top-left corner, always inside the work area. */
export function popoverPosition(input: PositionInput): Point {
  const { window: size, workArea } = input;
  const tray = input.trayBounds;

  if (!valid(tray)) {
    const cursor = input.cursor;
    if (cursor && inside(cursor, workArea)) {
      // Below the pointer in the upper half of the screen (a top panel), above it in the lower half.
      const upper = cursor.y < workArea.y + workArea.height / 2;
      return clampToArea(
        { x: cursor.x - size.width / 2, y: upper ? cursor.y + GAP : cursor.y - size.height - GAP },
        size,
        workArea,
      );
    }
    return clampToArea({ x: workArea.x + workArea.width - size.width - GAP, y: workArea.y + GAP }, size, workArea);
  }

  const cx = tray.x + tray.width / 2;
  const cy = tray.y + tray.height / 2;
  const edge = trayEdge(tray, workArea, input.displayBounds, input.platform);
  switch (edge) {
    case 'top':
      return clampToArea(
        { x: cx - size.width / 2, y: Math.max(tray.y + tray.height, workArea.y) + GAP },
        size,
        workArea,
      );
    case 'bottom':
      return clampToArea(
        { x: cx - size.width / 2, y: Math.min(tray.y, workArea.y + workArea.height) - size.height - GAP },
        size,
        workArea,
      );
    case 'left':
      return clampToArea(
        { x: Math.max(tray.x + tray.width, workArea.x) + GAP, y: cy - size.height / 2 },
        size,
        workArea,
      );
    case 'right':
      return clampToArea(
        { x: Math.min(tray.x, workArea.x + workArea.width) - size.width - GAP, y: cy - size.height / 2 },
        size,
        workArea,
      );
    default:
      return assertNever(edge, 'tray edge');
  }
}
