/**
 * Account: which card shows (connecting, connected, or the connect form) and the one
 * busy/error state their actions share. The cards are in their own files.
 */
import { useState } from 'react';
import type { AccountView } from '../../../../shared/ipc-contract';
import type { Result } from '../../../../shared/result';
import { getApi } from '../../api';
import { useAccount, useOwnedList } from '../../data/hooks';
import { ConnectedCard } from './ConnectedCard';
import { ConnectForm } from './ConnectForm';
import { ConnectingCard } from './ConnectingCard';
import type { Problem } from './problem';

export { describeScopes, formatExpiry } from './format';

export function AccountTab() {
  const { data: account, error: loadError, set: setAccount } = useAccount();
  const { data: owned, error: ownedError } = useOwnedList();
  const [actionError, setActionError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<Result<AccountView>>) => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await fn();
      if (r.ok) setAccount(r.value);
      else setActionError({ message: r.error.message, detail: r.error.detail });
    } finally {
      setBusy(false);
    }
  };

  if (account === null) {
    const failed = actionError?.message ?? loadError?.message ?? null;
    return failed ? (
      <p role="alert" className="error">
        {failed}
      </p>
    ) : (
      <p className="muted">Loading…</p>
    );
  }

  const problem: Problem | null =
    actionError ?? (account.error ? { message: account.error.message, detail: account.error.detail } : null);
  if (account.status === 'connecting') {
    return (
      <ConnectingCard
        account={account}
        busy={busy}
        problem={problem}
        onCancel={() => void act(() => getApi().account.cancelConnect({}))}
      />
    );
  }
  if (account.status === 'connected') {
    return (
      <ConnectedCard
        account={account}
        ownedCount={owned ? owned.length : null}
        busy={busy}
        problem={problem}
        onRefresh={() => void act(() => getApi().account.refresh({}))}
        onDisconnect={() => void act(() => getApi().account.disconnect({}))}
      />
    );
  }
  // The owned list only guides the scopes; a failure to read it leaves them to the user.
  return (
    <ConnectForm account={account} owned={owned ?? (ownedError ? [] : null)} busy={busy} problem={problem} act={act} />
  );
}
