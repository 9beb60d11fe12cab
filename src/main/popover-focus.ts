/**
 * Esc in the popover (the `window:close` channel, the only caller of `closePopover`): hide it
 * and hand focus back to where the person was before they opened it (issue 16).
 *
 * - macOS: hiding our window leaves Exist Tray the active app, so keystrokes go nowhere until
 *   the person clicks. `app.hide()` ("Hides all application windows without minimizing
 *   them", docs/api/app.md, macOS only) deactivates the app and macOS activates the app that
 *   was active before (the menubar pattern; electron/electron#4271 added it for this). It hides
 *   every window of ours, so it is called only when no other one (Settings) is visible;
 *   otherwise focus stays with that window, which is also where the person was.
 * - Windows and Linux: hiding the focused window makes the window manager activate the window
 *   below it, the one the person was in before clicking the tray; nothing more is done. (The
 *   Electron docs do not state this; it is the platforms' behaviour, checked only on desktops.)
 *
 * Electron-free on purpose (the app and the windows come in as functions), so it is tested
 * under plain Node and under the Electron model.
 */

export interface PopoverFocusDeps {
  platform: NodeJS.Platform;
  /** Hides the popover window. */
  hidePopover(): void;
  /** Whether a window of ours other than the popover is visible (Settings). */
  otherWindowVisible(): boolean;
  /** `app.hide()`; macOS only. */
  hideApp(): void;
}

export function hidePopoverReturningFocus(d: PopoverFocusDeps): void {
  d.hidePopover();
  if (d.platform === 'darwin' && !d.otherWindowVisible()) d.hideApp();
}
