/** The sync state of an attribute's newest write, in words (the colour is only a hint). */
import type { ItemSyncState } from '../../../shared/ipc-contract';
import { assertNever } from '../../../shared/result';

export function stateText(state: ItemSyncState): string {
  switch (state) {
    case 'pending':
      return 'Pending';
    case 'sending':
      return 'Sending';
    case 'synced':
      return 'Synced';
    case 'failed':
      return 'Failed';
    case 'maybe-doubled':
      return 'Check total'; // short: the row's message below says why
    default:
      return assertNever(state, 'sync state');
  }
}

export function StateBadge({ state, message }: { state: ItemSyncState | null; message: string | null }) {
  if (state === null) return null;
  const title =
    state === 'maybe-doubled'
      ? (message ?? 'Exist did not confirm this +1 and it had to be sent again; Exist may have counted it twice.')
      : (message ?? undefined);
  return (
    <span className={`badge badge-${state}`} title={title} data-state={state}>
      {stateText(state)}
    </span>
  );
}
