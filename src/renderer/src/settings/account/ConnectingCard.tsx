/** Account while connecting: "Click Allow in your browser", open the page again, Cancel. */
import type { AccountView } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import type { Problem } from './problem';

export function ConnectingCard(props: {
  account: AccountView;
  busy: boolean;
  /** What went wrong, in words; its raw detail behind "Details". */
  problem: Problem | null;
  onCancel(): void;
}) {
  const { account, busy, problem } = props;
  return (
    <section className="card" aria-labelledby="connecting-title">
      <h2 id="connecting-title">Waiting for Exist…</h2>
      <p>
        Your browser shows an Exist page asking to allow Exist Tray. Click <strong>Allow</strong> there; this window
        updates by itself.
      </p>
      <div className="actions">
        {account.authorizeUrl && (
          <button
            type="button"
            className="link"
            onClick={() => getApi().shell.openExternal({ url: account.authorizeUrl as string })}
          >
            Open the Exist page again
          </button>
        )}
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      <ErrorText message={problem?.message} detail={problem?.detail} />
    </section>
  );
}
