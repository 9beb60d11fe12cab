/**
 * Account: the client ID/secret form with a short guide, scopes, Connect (system
 * browser) with a waiting state, the profile and token expiry when connected, and the
 * local sandbox for people without an Exist account.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../components/TextField';
import { REDIRECT_URI } from '../../../shared/domain';
import type { AccountView, OwnedAttributeView, ServerKind } from '../../../shared/ipc-contract';
import { getApi } from '../api';
import { useSubscriptions } from '../hooks/useSubscriptions';
import { groupLabel, neededScopes, SCOPE_GROUPS, validateConnectForm, type ConnectErrors } from './scopes';
import { ErrorText } from '../components/ErrorText';

/** "30 Nov 2027" — day month year, unambiguous in every locale. */
export function formatExpiry(ms: number): string {
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** ["media_read", "media_write", "mood_write"] → "Media (read, write), Mood (write)": scopes in words. */
export function describeScopes(scopes: readonly string[]): string {
  const byGroup = new Map<string, string[]>();
  for (const s of scopes) {
    const m = /^(.+)_(read|write)$/.exec(s);
    const group = m ? groupLabel(m[1] as string) : s;
    const list = byGroup.get(group) ?? [];
    if (m) list.push(m[2] as string);
    byGroup.set(group, list);
  }
  if (byGroup.size === 0) return 'None';
  return [...byGroup.entries()]
    .map(([g, kinds]) => (kinds.length ? `${g} (${kinds.sort().join(', ')})` : g))
    .join(', ');
}

export function AccountTab() {
  const [account, setAccount] = useState<AccountView | null>(null);
  const [owned, setOwned] = useState<OwnedAttributeView[] | null>(null);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<ConnectErrors>({});
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const initialised = useRef(false);
  const ids = { id: useId(), secret: useId(), idErr: useId(), secretErr: useId(), scopesErr: useId() };

  useEffect(() => {
    const api = getApi();
    void api.account.get({}).then((r) => (r.ok ? setAccount(r.value) : setActionError(r.error.message)));
    void api.attributes.listOwned({}).then((r) => setOwned(r.ok ? r.value : []));
  }, []);
  useSubscriptions((api) => [api.account.onChanged(setAccount), api.attributes.onChanged(setOwned)]);

  // Fill the form once, from what is saved and what the owned attributes need.
  useEffect(() => {
    if (initialised.current || account === null || owned === null) return;
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

  const act = async (
    fn: () => Promise<{ ok: true; value: AccountView } | { ok: false; error: { message: string } }>,
  ) => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await fn();
      if (r.ok) setAccount(r.value);
      else setActionError(r.error.message);
    } finally {
      setBusy(false);
    }
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
      await act(() =>
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
      await act(() => getApi().account.connect({ clientId: '', clientSecret: '', scopes: sandboxScopes, server }));
    }
    setClientSecret('');
  };

  if (account === null) {
    return actionError ? (
      <p role="alert" className="error">
        {actionError}
      </p>
    ) : (
      <p className="muted">Loading…</p>
    );
  }

  const problem = actionError ?? account.error?.message ?? null;

  if (account.status === 'connecting') {
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
          <button type="button" onClick={() => void act(() => getApi().account.cancelConnect({}))} disabled={busy}>
            Cancel
          </button>
        </div>
        <ErrorText message={problem} />
      </section>
    );
  }

  if (account.status === 'connected') {
    const p = account.profile;
    return (
      <section className="card" aria-labelledby="connected-title">
        <h2 id="connected-title">
          Connected{account.server.kind === 'sandbox' ? ' to the local sandbox' : ' to Exist'}
        </h2>
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
        <p className="muted">To change permissions, disconnect, then connect again with them ticked.</p>
        <div className="actions">
          <button type="button" onClick={() => void act(() => getApi().account.refresh({}))} disabled={busy}>
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
                  void act(() => getApi().account.disconnect({}));
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
        <ErrorText message={problem} />
      </section>
    );
  }

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
        <ErrorText message={problem} />
      </form>
    </>
  );
}
