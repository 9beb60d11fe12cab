/**
 * The tray popover: the owned attributes for a chosen date, with quick writes, undo,
 * sync state and a footer. State comes only from the API: `tray.getView` after every
 * write and on every push (values, sync, account, attributes), so what is shown is the
 * core's view of known totals plus pending writes.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { IsoDate } from '../../../shared/domain';
import type { TrayAttributeView, TrayView, WriteReceipt } from '../../../shared/ipc-contract';
import { getApi } from '../api';
import { DateChoice, resolveDateChoice, type DateChoiceValue } from '../components/DateChoice';
import { Snackbar } from '../components/Snackbar';
import { useLatest, useSubscriptions } from '../hooks/useSubscriptions';
import { AttributeRow } from './AttributeRow';

type Notice = { message: string; receipt: WriteReceipt | null };

/**
 * Attributes by the user's order (Settings → Attributes), grouped under their Exist group;
 * a group comes where its first attribute does, so moving an attribute up in Settings
 * moves it up here too. Hidden attributes left out.
 */
export function visibleGroups(view: TrayView): TrayView['groups'] {
  const first = (g: TrayView['groups'][number]) => Math.min(...g.attributes.map((a) => a.prefs.order));
  return view.groups
    .map((g) => ({
      ...g,
      attributes: g.attributes
        .filter((a) => a.prefs.visible)
        .sort((a, b) => a.prefs.order - b.prefs.order || a.priority - b.priority || a.label.localeCompare(b.label)),
    }))
    .filter((g) => g.attributes.length > 0)
    .sort((a, b) => first(a) - first(b) || a.priority - b.priority || a.label.localeCompare(b.label));
}

function formatDay(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

export function Popover() {
  const [view, setView] = useState<TrayView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState<DateChoiceValue>('today');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<string | null>(null);
  const seq = useRef(0);
  const choiceRef = useLatest(choice);
  const viewRef = useLatest(view);

  /** The `date` to send: none for today, so the core uses the user's own today. */
  const requestDate = useCallback((): { date?: IsoDate } => {
    const c = choiceRef.current;
    const v = viewRef.current;
    if (c === 'today' || v === null) return {};
    return { date: resolveDateChoice(c, v.today) };
  }, [choiceRef, viewRef]);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    const r = await getApi().tray.getView(requestDate());
    if (mine !== seq.current) return; // a newer request is on its way
    if (r.ok) {
      setView(r.value);
      setLoadError(null);
      // Everything sent since Sync now failed: its message no longer applies.
      if (r.value.pending === 0) setSyncError(null);
    } else {
      setLoadError(r.error.message);
    }
  }, [requestDate]);

  useEffect(() => {
    void refresh();
  }, [choice, refresh]);

  useSubscriptions((api) => [
    api.values.onChanged(() => void refresh()),
    api.sync.onChanged(() => void refresh()),
    api.account.onChanged(() => void refresh()),
    api.attributes.onChanged(() => void refresh()),
  ]);

  useEffect(() => {
    const onFocus = () => void refresh();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        getApi().window.close({});
      }
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('keydown', onKey);
    };
  }, [refresh]);

  const increment = useCallback(
    async (attr: TrayAttributeView, delta: number): Promise<string | null> => {
      const r = await getApi().values.increment({ name: attr.name, delta, ...requestDate() });
      void refresh();
      if (!r.ok) return r.error.message;
      setNotice({ message: r.value.description, receipt: r.value });
      return null;
    },
    [refresh, requestDate],
  );

  const set = useCallback(
    async (attr: TrayAttributeView, value: number | string): Promise<string | null> => {
      const r = await getApi().values.set({ name: attr.name, value, ...requestDate() });
      void refresh();
      if (!r.ok) return r.error.message;
      setNotice({ message: r.value.description, receipt: r.value });
      return null;
    },
    [refresh, requestDate],
  );

  const undo = async (receipt: WriteReceipt) => {
    const r = await getApi().values.undo({ id: receipt.id });
    setNotice({ message: r.ok ? r.value.message : r.error.message, receipt: null });
    void refresh();
  };

  const syncNow = async () => {
    setSyncing(true);
    setSyncError(null);
    const r = await getApi().sync.now({});
    setSyncing(false);
    if (!r.ok) setSyncError(r.error.message);
    else if (r.value.lastError) setSyncError(r.value.lastError.message);
    void refresh();
  };

  const dismiss = useCallback(() => setNotice(null), []);
  const groups = useMemo(() => (view ? visibleGroups(view) : []), [view]);

  /** ArrowUp/ArrowDown move between rows, keeping the same control column where possible. */
  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target as HTMLInputElement).type === 'date')
      return;
    const row = target.closest<HTMLElement>('[data-row]');
    if (!row) return;
    const rows = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[data-row]'));
    const next = rows[rows.indexOf(row) + (e.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    e.preventDefault();
    const focusables = (el: HTMLElement) =>
      Array.from(
        el.querySelectorAll<HTMLElement>('button:not(:disabled), input:not(:disabled), textarea:not(:disabled)'),
      );
    const column = Math.max(0, focusables(row).indexOf(target));
    const candidates = focusables(next);
    (candidates[Math.min(column, candidates.length - 1)] ?? next).focus();
  };

  const openSettings = (tab?: 'account' | 'attributes') => getApi().window.openSettings(tab ? { tab } : {});

  let body: ReactNode;
  if (view === null) {
    body = loadError ? (
      <div className="empty">
        <p role="alert" className="error">
          {loadError}
        </p>
        <button type="button" onClick={() => void refresh()}>
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
        <div className="groups" onKeyDown={onListKey}>
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

  const showDate = view !== null && view.account !== 'disconnected' && view.account !== 'connecting';
  return (
    <div className="popover">
      <header className={`popover-header${showDate ? '' : ' bare'}`}>
        <h1 className="visually-hidden">Exist Tray</h1>
        {view && showDate && (
          <>
            <DateChoice choice={choice} today={view.today} timeZone={view.timezone} onChange={setChoice} />
            <p className="date-label muted" aria-live="polite">
              {formatDay(view.date)}
            </p>
          </>
        )}
      </header>
      <main className="popover-body">{body}</main>
      {notice && (
        <Snackbar
          message={notice.message}
          until={notice.receipt?.undoUntil ?? null}
          onUndo={notice.receipt ? () => void undo(notice.receipt as WriteReceipt) : undefined}
          onDismiss={dismiss}
        />
      )}
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
          onClick={() => void syncNow()}
          disabled={syncing || view === null || view.account === 'disconnected'}
        >
          Sync now
        </button>
        <button type="button" aria-label="Open settings" onClick={() => openSettings()}>
          Settings
        </button>
      </footer>
    </div>
  );
}
