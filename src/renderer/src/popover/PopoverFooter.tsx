/** The popover's footer: sync state in words, the last sync error, Sync now, Settings. */
import type { TrayView } from '../../../shared/ipc-contract';

export function PopoverFooter(props: {
  view: TrayView | null;
  syncing: boolean;
  syncError: string | null;
  onSyncNow(): void;
  onOpenSettings(): void;
}) {
  const { view, syncing, syncError } = props;
  return (
    <footer className="popover-footer">
      <span className="pending" aria-live="polite">
        {view === null
          ? ''
          : syncing
            ? 'Syncing…'
            : view.pending > 0
              ? `${view.pending} pending`
              : view.account === 'disconnected' || view.account === 'connecting'
                ? '' // nothing to sync yet; the body says why
                : 'All synced'}
      </span>
      {syncError && (
        <span className="error" role="alert" title={syncError}>
          {syncError}
        </span>
      )}
      <span className="spacer" />
      <button
        type="button"
        onClick={props.onSyncNow}
        disabled={syncing || view === null || view.account === 'disconnected'}
      >
        Sync now
      </button>
      <button type="button" aria-label="Open settings" onClick={props.onOpenSettings}>
        Settings
      </button>
    </footer>
  );
}
