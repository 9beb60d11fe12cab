/**
 * The popover's main area, one of: loading / load error, not connected or finishing the
 * connect in the browser, reconnect needed, the first read of the attributes, connected
 * with nothing chosen yet (who, and what to do next), or the attribute groups.
 */
import type { ReactNode } from 'react';
import type { SettingsTab, TrayAttributeView, TrayView } from '../../../shared/ipc-contract';
import { AttributeRow } from './AttributeRow';
import { moveBetweenRows } from './keyboard';

export function PopoverBody(props: {
  view: TrayView | null;
  loadError: string | null;
  groups: TrayView['groups'];
  onRetry(): void;
  openSettings(tab?: SettingsTab): void;
  increment(attr: TrayAttributeView, delta: number): Promise<string | null>;
  jobFor(name: string): { schedule: string; nextRunAt: number | null } | undefined;
  set(attr: TrayAttributeView, value: number | string): Promise<string | null>;
}) {
  const { view, loadError, groups, openSettings, increment, set } = props;
  let body: ReactNode;
  if (view === null) {
    body = loadError ? (
      <div className="empty">
        <p role="alert" className="error">
          {loadError}
        </p>
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      </div>
    ) : (
      <p className="empty muted">Loading…</p>
    );
  } else if (view.account === 'disconnected' || view.account === 'connecting') {
    body = (
      <div className="empty">
        {/* While connecting, the app waits for the person (Allow in the browser), not for Exist. */}
        <h2>{view.account === 'connecting' ? 'Finish connecting in your browser' : 'Not connected'}</h2>
        <p className="muted">
          {view.account === 'connecting'
            ? 'Exist’s page is open in your browser: click Allow there to connect Exist Tray.'
            : 'Exist Tray writes to your own Exist account.'}
        </p>
        <button type="button" className="primary" onClick={() => openSettings('account')}>
          {view.account === 'connecting' ? 'Show in Settings' : 'Connect your Exist account'}
        </button>
      </div>
    );
  } else if (groups.length === 0 && view.account === 'needs-reconnect') {
    body = (
      <div className="empty">
        <h2>Reconnect needed</h2>
        <p className="muted">Exist needs you to sign in again. Your entries are kept until then.</p>
        <button type="button" className="primary" onClick={() => openSettings('account')}>
          Reconnect
        </button>
      </div>
    );
  } else if (groups.length === 0 && view.attributes === 'reading') {
    // The first read of the owned attributes is under way: say so, not "waiting".
    body = (
      <p className="empty muted" role="status" data-testid="popover-loading">
        Loading your attributes from Exist…
      </p>
    );
  } else if (groups.length === 0) {
    const who = view.profile?.first_name || view.profile?.username;
    body = (
      <div className="empty" data-testid="popover-next-step">
        <h2>{who ? `Connected as ${who}` : 'Connected to Exist'}</h2>
        <p className="muted">
          {view.attributes === 'unread'
            ? 'Exist Tray could not read your attributes yet. Choose what to track in Settings → Attributes.'
            : 'Choose what to track in Settings → Attributes, like pages read or time reading.'}
        </p>
        <button type="button" className="primary" onClick={() => openSettings('attributes')}>
          Choose attributes
        </button>
      </div>
    );
  } else {
    const readOnlyNote = view.account === 'needs-reconnect';
    body = (
      <>
        {readOnlyNote && (
          <div className="banner" role="alert">
            <span>Exist needs you to sign in again. Your entries are kept until then.</span>
            <button type="button" className="link" onClick={() => openSettings('account')}>
              Reconnect
            </button>
          </div>
        )}
        <div className="groups" onKeyDown={moveBetweenRows}>
          {groups.map((g) => (
            <section key={g.name} className="group" aria-labelledby={`group-${g.name}`}>
              <h2 id={`group-${g.name}`} className="group-title">
                {g.label}
              </h2>
              <ul className="rows" aria-label={g.label}>
                {g.attributes.map((a) => (
                  <AttributeRow
                    key={a.name}
                    attr={a}
                    job={props.jobFor(a.name)}
                    profile={view.profile}
                    timeZone={view.timezone}
                    onIncrement={(d) => increment(a, d)}
                    onSet={(v) => set(a, v)}
                  />
                ))}
              </ul>
            </section>
          ))}
        </div>
      </>
    );
  }

  return body;
}
