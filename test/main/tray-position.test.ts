import { describe, expect, it } from 'vitest';
import { GAP, popoverPosition, trayEdge, type PositionInput, type Rect } from '../../src/main/tray-position';

const W = { width: 360, height: 480 };
const display: Rect = { x: 0, y: 0, width: 1920, height: 1080 };

const inside = (p: { x: number; y: number }, area: Rect) =>
  p.x >= area.x && p.y >= area.y && p.x + W.width <= area.x + area.width && p.y + W.height <= area.y + area.height;

function place(partial: Partial<PositionInput> & Pick<PositionInput, 'workArea' | 'platform'>) {
  const input: PositionInput = { trayBounds: null, window: W, displayBounds: display, cursor: null, ...partial };
  const p = popoverPosition(input);
  expect(inside(p, input.workArea)).toBe(true);
  return p;
}

describe('popoverPosition', () => {
  it('macOS: centred under the menu-bar icon', () => {
    const workArea = { x: 0, y: 25, width: 1920, height: 1055 };
    const p = place({ platform: 'darwin', workArea, trayBounds: { x: 1500, y: 0, width: 22, height: 24 } });
    expect(p).toEqual({ x: Math.round(1511 - 180), y: 25 + GAP });
  });

  it('macOS: an icon near the right edge keeps the popover on screen', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    const p = place({
      platform: 'darwin',
      workArea,
      displayBounds: { x: 0, y: 0, width: 1440, height: 900 },
      trayBounds: { x: 1420, y: 0, width: 20, height: 24 },
    });
    expect(p.x).toBe(1440 - 360);
  });

  it('Windows, taskbar at the bottom: above the icon', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const p = place({ platform: 'win32', workArea, trayBounds: { x: 1700, y: 1044, width: 24, height: 32 } });
    // against the taskbar's top edge (the work area's bottom)
    expect(p).toEqual({ x: 1712 - 180, y: 1040 - 480 - GAP });
  });

  it('Windows, taskbar at the top: below the icon', () => {
    const workArea = { x: 0, y: 40, width: 1920, height: 1040 };
    const p = place({ platform: 'win32', workArea, trayBounds: { x: 1700, y: 4, width: 24, height: 32 } });
    expect(p).toEqual({ x: 1712 - 180, y: 40 + GAP });
  });

  it('Windows, taskbar on the left: to the right of the icon', () => {
    const workArea = { x: 60, y: 0, width: 1860, height: 1080 };
    const p = place({ platform: 'win32', workArea, trayBounds: { x: 14, y: 900, width: 32, height: 24 } });
    expect(p.x).toBe(60 + GAP);
    expect(p.y).toBe(1080 - 480); // centred on the icon, clamped to the bottom
  });

  it('Windows, taskbar on the right: to the left of the icon', () => {
    const workArea = { x: 0, y: 0, width: 1860, height: 1080 };
    const p = place({ platform: 'win32', workArea, trayBounds: { x: 1874, y: 500, width: 32, height: 24 } });
    expect(p).toEqual({ x: 1860 - 360 - GAP, y: 512 - 240 });
  });

  it('Windows, auto-hidden bottom taskbar: edge from the nearest display side', () => {
    const workArea = { ...display };
    expect(trayEdge({ x: 1700, y: 1050, width: 24, height: 24 }, workArea, display, 'win32')).toBe('bottom');
    const p = place({ platform: 'win32', workArea, trayBounds: { x: 1700, y: 1050, width: 24, height: 24 } });
    expect(p.y).toBe(1050 - 480 - GAP);
  });

  it('Linux top panel with bounds: below the icon', () => {
    const workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    const p = place({ platform: 'linux', workArea, trayBounds: { x: 1500, y: 4, width: 24, height: 24 } });
    expect(p).toEqual({ x: 1512 - 180, y: 32 + GAP });
    // an icon at the far right: clamped to the screen edge
    expect(place({ platform: 'linux', workArea, trayBounds: { x: 1890, y: 4, width: 24, height: 24 } }).x).toBe(
      1920 - 360,
    );
  });

  it('Linux bottom panel with bounds: above the icon', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const p = place({ platform: 'linux', workArea, trayBounds: { x: 100, y: 1050, width: 24, height: 24 } });
    expect(p).toEqual({ x: 0, y: 1040 - 480 - GAP });
  });

  it('Linux, zero bounds and no pointer: top-right of the work area', () => {
    const workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    const p = place({ platform: 'linux', workArea, trayBounds: { x: 0, y: 0, width: 0, height: 0 } });
    expect(p).toEqual({ x: 1920 - 360 - GAP, y: 32 + GAP });
  });

  it('Linux, unknown bounds: below the pointer near a top panel, above it near a bottom panel', () => {
    const workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    const top = place({ platform: 'linux', workArea, cursor: { x: 1000, y: 40 } });
    expect(top).toEqual({ x: 1000 - 180, y: 40 + GAP });
    const bottom = place({ platform: 'linux', workArea, cursor: { x: 1000, y: 1070 } });
    expect(bottom).toEqual({ x: 1000 - 180, y: 1070 - 480 - GAP });
  });

  it('works on a secondary display with negative coordinates', () => {
    const d2 = { x: -1280, y: 0, width: 1280, height: 1024 };
    const workArea = { x: -1280, y: 0, width: 1280, height: 984 };
    const p = place({
      platform: 'win32',
      workArea,
      displayBounds: d2,
      trayBounds: { x: -40, y: 990, width: 24, height: 32 },
    });
    expect(p).toEqual({ x: -360, y: 984 - 480 - GAP });
  });
});
