/**
 * The popover's main area, one of: loading / load error, not connected or waiting for
 * Exist, nothing to track, or the attribute groups (with the reconnect banner).
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
        <h2>{view.account === 'connecting' ? 'Waiting for Exist…' : 'Not connected'}</h2>
        <p className="muted">
          {view.account === 'connecting'
            ? 'Allow access on the Exist page in your browser to finish connecting.'
            : 'Exist Tray writes to your own Exist account.'}
        </p>
        <button type="button" className="primary" onClick={() => openSettings('account')}>
          {view.account === 'connecting' ? 'Open Settings' : 'Connect your Exist account'}
        </button>
      </div>
    );
  } else if (groups.length === 0) {
    body = (
      <div className="empty">
        <h2>Nothing to track yet</h2>
        <p className="muted">Choose what to log, like pages read or time reading.</p>
        <button type="button" className="primary" onClick={() => openSettings('attributes')}>
          Add attributes in Settings
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
