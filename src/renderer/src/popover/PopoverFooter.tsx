/**
 * The popover's footer: the core's sync state in words (the same one the tray tooltip
 * and `exist-tray status` show), the last Sync now error on a line of its own (wrapped,
 * never cut off), Sync now and Settings.
 */
import type { SyncState } from '../../../shared/ipc-contract';

export function PopoverFooter(props: {
  state: SyncState | null;
  syncing: boolean;
  syncError: string | null;
  onSyncNow(): void;
  onOpenSettings(): void;
}) {
  const { state, syncing, syncError } = props;
  const cannotSync = state === null || state.kind === 'disconnected' || state.kind === 'connecting';
  return (
    <footer className="popover-footer">
      <span
        className={`sync-state tone-${state?.tone ?? 'busy'}`}
        data-testid="sync-state"
        data-kind={state?.kind}
        title={state?.sentence}
        aria-live="polite"
      >
        {syncing ? 'Syncing…' : (state?.label ?? '')}
      </span>
      <button type="button" onClick={props.onSyncNow} disabled={syncing || cannotSync}>
        Sync now
      </button>
      <button type="button" aria-label="Open settings" onClick={props.onOpenSettings}>
        Settings
      </button>
      {syncError && (
        <p className="footer-error error" role="alert">
          {syncError}
        </p>
      )}
    </footer>
  );
}
