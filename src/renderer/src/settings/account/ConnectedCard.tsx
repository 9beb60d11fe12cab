/** Account when connected: profile, permissions, token expiry, Refresh now, Disconnect (confirmed). */
import { useState } from 'react';
import type { AccountView } from '../../../../shared/ipc-contract';
import { ErrorText } from '../../components/ErrorText';
import type { Problem } from './problem';
import { describeScopes, formatExpiry } from './format';

export function ConnectedCard(props: {
  account: AccountView;
  /** How many attributes the tray shows: none yet means the next step is Attributes. */
  ownedCount: number | null;
  busy: boolean;
  /** What went wrong, in words; its raw detail behind "Details". */
  problem: Problem | null;
  onRefresh(): void;
  onDisconnect(): void;
}) {
  const { account, busy, problem } = props;
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const p = account.profile;
  return (
    <section className="card" aria-labelledby="connected-title">
      <h2 id="connected-title">Connected{account.server.kind === 'sandbox' ? ' to the local sandbox' : ' to Exist'}</h2>
      <dl className="profile">
        {p && (
          <>
            <dt>Name</dt>
            <dd data-testid="profile-name">{`${p.first_name} ${p.last_name}`.trim() || p.username}</dd>
            <dt>Username</dt>
            <dd data-testid="profile-username">{p.username}</dd>
            <dt>Timezone</dt>
            <dd data-testid="profile-timezone">{p.timezone}</dd>
          </>
        )}
        <dt>Permissions</dt>
        <dd data-testid="profile-scopes">{describeScopes(account.scopes)}</dd>
      </dl>
      <p className="muted" data-testid="token-expiry">
        {account.expiresAt
          ? `Token renews automatically; expires ${formatExpiry(account.expiresAt)}`
          : 'Token renews automatically'}
      </p>
      {props.ownedCount === 0 && (
        <p className="notice next-step" role="status">
          Next, choose what to log: <a href="#attributes">add attributes in the Attributes tab</a>.
        </p>
      )}
      <p className="muted">To change permissions, disconnect, then connect again with them ticked.</p>
      <div className="actions">
        <button type="button" onClick={props.onRefresh} disabled={busy}>
          Refresh now
        </button>
        {!confirmDisconnect ? (
          <button type="button" className="danger" onClick={() => setConfirmDisconnect(true)} disabled={busy}>
            Disconnect
          </button>
        ) : (
          <div className="confirm" role="group" aria-label="Confirm disconnect">
            <span>Disconnect this computer from Exist? Entries not yet sent stay queued here.</span>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirmDisconnect(false);
                props.onDisconnect();
              }}
            >
              Yes, disconnect
            </button>
            <button type="button" onClick={() => setConfirmDisconnect(false)}>
              Keep connected
            </button>
          </div>
        )}
      </div>
      <ErrorText message={problem?.message} detail={problem?.detail} />
    </section>
  );
}
