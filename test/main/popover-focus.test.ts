/** Esc in the popover hands focus back (src/main/popover-focus.ts): app.hide() on macOS only when nothing else of ours shows. */
import { describe, expect, it } from 'vitest';
import { hidePopoverReturningFocus } from '../../src/main/popover-focus';

function run(platform: NodeJS.Platform, otherVisible: boolean): string[] {
  const calls: string[] = [];
  hidePopoverReturningFocus({
    platform,
    hidePopover: () => calls.push('hide-popover'),
    otherWindowVisible: () => otherVisible,
    hideApp: () => calls.push('app-hide'),
  });
  return calls;
}

describe('hidePopoverReturningFocus', () => {
  it('macOS: hides the popover, then the app, so the previous app is active again', () => {
    expect(run('darwin', false)).toEqual(['hide-popover', 'app-hide']);
  });
  it('macOS with Settings open: only the popover (app.hide would hide Settings too)', () => {
    expect(run('darwin', true)).toEqual(['hide-popover']);
  });
  it.each(['linux', 'win32'] as const)('%s: hiding the focused window is enough (no app.hide there)', (p) => {
    expect(run(p, false)).toEqual(['hide-popover']);
  });
});
