/**
 * What became of the global shortcut, as the Electron shell reports it (Settings.shortcutStatus):
 * active, or unavailable on this desktop with the reason in words (taken, or on Wayland not
 * confirmed). Nothing where no shell reports it (the browser host).
 */
import type { ShortcutStatus } from '../../../../shared/ipc-contract';

export function ShortcutStatusLine({ status }: { status: ShortcutStatus | undefined }) {
  if (!status || status.state === 'off') return null;
  if (status.state === 'active')
    return (
      <p className="muted" data-testid="shortcut-status">
        Active: {status.accelerator} opens the popover.
      </p>
    );
  return (
    <p className="notice" data-testid="shortcut-status">
      Shortcut unavailable on this desktop. {status.reason}
    </p>
  );
}
