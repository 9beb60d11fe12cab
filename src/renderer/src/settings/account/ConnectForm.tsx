/**
 * Account when not connected: the local sandbox offer and the Exist connect form (client
 * ID/secret with a short guide, permissions), validated before anything is sent.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useFocusOnError } from '../../components/useFocusOnError';
import { REDIRECT_URI } from '../../../../shared/domain';
import type { AccountView, OwnedAttributeView, ServerKind } from '../../../../shared/ipc-contract';
import type { Result } from '../../../../shared/result';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import type { Problem } from './problem';
import { TextField } from '../../components/TextField';
import { groupLabel, neededScopes, SCOPE_GROUPS, validateConnectForm, type ConnectErrors } from '../scopes';

export function ConnectForm(props: {
  account: AccountView;
  owned: OwnedAttributeView[] | null;
  busy: boolean;
  /** What went wrong, in words; its raw detail behind "Details". */
  problem: Problem | null;
  act(fn: () => Promise<Result<AccountView>>): Promise<void>;
}) {
  const { account, owned, busy, problem } = props;
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<ConnectErrors>({});
  const initialised = useRef(false);
  const ids = {
    id: useId(),
    secret: useId(),
    idErr: useId(),
    secretErr: useId(),
    scopesErr: useId(),
    problem: useId(),
  };
  // A failed connect redraws this form from the top: bring its error, beside Connect, into view and focus it.
  useFocusOnError(ids.problem, problem?.message ?? null);

  // Fill the form once, from what is saved and what the owned attributes need.
  useEffect(() => {
    if (initialised.current || owned === null) return;
    initialised.current = true;
    // What the local sandbox used (its own client, every write scope) is no guide for a real Exist app.
    const fromExist = account.server.kind === 'exist';
    setClientId(fromExist ? (account.clientId ?? '') : '');
    setScopes(new Set([...neededScopes(owned), ...(fromExist ? account.scopes : [])]));
  }, [account, owned]);

  const toggleScope = (scope: string, on: boolean) => {
    setScopes((prev) => {
      const next = new Set(prev);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });
    setErrors((e) => ({ ...e, scopes: undefined }));
  };

  const connect = async (server: ServerKind, e?: FormEvent) => {
    e?.preventDefault();
    const list = [...scopes].sort();
    if (server === 'exist') {
      const found = validateConnectForm(
        { clientId, clientSecret, scopes: list },
        account?.hasClientSecret && account.server.kind === 'exist' ? (account.clientId ?? null) : null,
      );
      setErrors(found);
      if (Object.keys(found).length > 0) {
        const first = found.clientId ? ids.id : found.clientSecret ? ids.secret : null;
        if (first) document.getElementById(first)?.focus();
        return;
      }
      await props.act(() =>
        getApi().account.connect({
          clientId: clientId.trim(),
          clientSecret: clientSecret.trim(),
          scopes: list,
          server,
        }),
      );
    } else {
      // Nothing leaves this computer with the sandbox, so let it read and write every group: a
      // person "just looking" can add any template without reconnecting, sees the 7-day
      // sparklines, and gets exact totals even when an answer is lost.
      const sandboxScopes = [...new Set([...list, ...SCOPE_GROUPS.flatMap((g) => [`${g}_read`, `${g}_write`])])].sort();
      await props.act(() =>
        getApi().account.connect({ clientId: '', clientSecret: '', scopes: sandboxScopes, server }),
      );
    }
    setClientSecret('');
  };

  const savedSecret =
    account.server.kind === 'exist' &&
    account.hasClientSecret &&
    account.clientId !== null &&
    account.clientId === clientId.trim();
  return (
    <>
      {account.status === 'needs-reconnect' && (
        <p className="banner" role="status">
          Exist no longer accepts this computer's token. Connect again to keep syncing — nothing you logged is lost.
        </p>
      )}
      <section className="card sandbox-card" aria-labelledby="sandbox-title">
        <h2 id="sandbox-title">No Exist account, or just looking?</h2>
        <p className="muted">
          A local stand-in for Exist runs inside the app, with no sign-up and nothing sent anywhere.
        </p>
        <button type="button" className="primary" onClick={() => void connect('sandbox')} disabled={busy}>
          Try it with the local sandbox
        </button>
      </section>
      <form className="card" aria-labelledby="connect-title" onSubmit={(e) => void connect('exist', e)} noValidate>
        <h2 id="connect-title">Connect your Exist account</h2>
        <ol className="guide">
          <li>
            Sign in at exist.io and open <strong>Developer apps</strong> (Account → Developer).
          </li>
          <li>
            Create an app: client type <strong>Confidential</strong>, redirect URI <code>{REDIRECT_URI}</code>.
          </li>
          <li>Paste its client ID and client secret below, then Connect and click Allow in your browser.</li>
        </ol>
        <TextField
          id={ids.id}
          errorId={ids.idErr}
          label="Client ID"
          type="text"
          spellCheck={false}
          value={clientId}
          error={errors.clientId}
          onValue={(v) => {
            setClientId(v);
            setErrors((x) => ({ ...x, clientId: undefined }));
          }}
        />
        <TextField
          id={ids.secret}
          errorId={ids.secretErr}
          label="Client secret"
          type="password"
          value={clientSecret}
          placeholder={savedSecret ? 'Saved — leave empty to keep it' : ''}
          error={errors.clientSecret}
          onValue={(v) => {
            setClientSecret(v);
            setErrors((x) => ({ ...x, clientSecret: undefined }));
          }}
        />
        <fieldset className="scopes" aria-describedby={errors.scopes ? ids.scopesErr : undefined}>
          <legend>Permissions</legend>
          <p className="muted">
            Ask only for what you log. Write lets Exist Tray add values; read lets it show them back (the popover's
            totals and sparklines).
          </p>
          <ul className="scope-list">
            {SCOPE_GROUPS.map((g) => (
              <li key={g}>
                <span className="scope-group">{groupLabel(g)}</span>
                {(['read', 'write'] as const).map((kind) => {
                  const scope = `${g}_${kind}`;
                  return (
                    <label key={kind} className="check" title={scope}>
                      <input
                        type="checkbox"
                        aria-label={`${groupLabel(g)} ${kind}`}
                        checked={scopes.has(scope)}
                        onChange={(e) => toggleScope(scope, e.target.checked)}
                      />
                      <span aria-hidden="true">{kind}</span>
                    </label>
                  );
                })}
              </li>
            ))}
          </ul>
          <ErrorText id={ids.scopesErr} message={errors.scopes} />
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Connect to Exist
          </button>
        </div>
        <ErrorText id={ids.problem} message={problem?.message} detail={problem?.detail} focusable />
      </form>
    </>
  );
}
