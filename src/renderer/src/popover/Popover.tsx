/**
 * The tray popover: the owned attributes for a chosen date, with quick writes, undo,
 * sync state and a footer. State comes only from the API: `tray:get-view` (through
 * `useChannel`) after every write and on every push (values, sync, account,
 * attributes), so what is shown is the core's view of known totals plus pending writes.
 * The body, footer, grouping and keyboard moves are in their own files.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IsoDate } from '../../../shared/domain';
import type { SettingsTab, TrayAttributeView, TrayView, WriteReceipt } from '../../../shared/ipc-contract';
import { getApi } from '../api';
import { DateChoice, resolveDateChoice, type DateChoiceValue } from '../components/DateChoice';
import { Snackbar } from '../components/Snackbar';
import { useJobs, useSyncState } from '../data/hooks';
import { ChannelProvider, useChannel } from '../data/useChannel';
import { useLatest } from '../hooks/useSubscriptions';
import { formatDay, visibleGroups } from './groups';
import { PopoverBody } from './PopoverBody';
import { clockTime } from '../../../core/values/day-format';
import { PopoverFooter } from './PopoverFooter';
import { LinkProposal } from './LinkProposal';
import { QuickAdd } from './QuickAdd';
import { focusFirstControl, useOpenings } from './useOpenings';

export { visibleGroups } from './groups';

type Notice = { message: string; receipt: WriteReceipt | null };

const TRAY_PUSHES = ['values:changed', 'sync:changed', 'account:changed', 'attributes:changed'] as const;

/** The last non-null value: a new date's view loads behind the old one instead of blanking the popover. */
function useKept<T>(value: T | null): T | null {
  const [kept, setKept] = useState<T | null>(value);
  if (value !== null && value !== kept) setKept(value);
  return value ?? kept;
}

export function Popover() {
  return (
    <ChannelProvider>
      <PopoverWindow />
    </ChannelProvider>
  );
}

function PopoverWindow() {
  const [choice, setChoice] = useState<DateChoiceValue>('today');
  const [today, setToday] = useState<IsoDate | null>(null);
  // The `date` to send: none for today, so the core uses the user's own today.
  const request = useMemo(
    () => (choice === 'today' || today === null ? {} : { date: resolveDateChoice(choice, today) }),
    [choice, today],
  );
  const tray = useChannel('tray:get-view', request, null, TRAY_PUSHES);
  const view = useKept<TrayView>(tray.data);
  const loadError = tray.data === null && tray.error ? tray.error.message : null;
  if (view && view.today !== today) setToday(view.today);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<string | null>(null);
  const requestRef = useLatest(request);
  const syncState = useSyncState();
  const jobs = useJobs().data;
  const jobFor = useCallback((name: string) => jobs?.find((j) => j.attribute === name), [jobs]);
  /** A write by hand to a job-fed attribute: said in the receipt, since the job's next run replaces the total. */
  const receiptText = useCallback(
    (attr: TrayAttributeView, description: string) => {
      const job = jobFor(attr.name);
      if (!job) return description;
      const at = job.nextRunAt ? ` at ${clockTime(job.nextRunAt)}` : '';
      return `${description}. A scheduled job fills ${attr.label}: its next run${at} replaces this total`;
    },
    [jobFor],
  );
  const refreshTray = tray.refresh;
  const refreshState = syncState.refresh;
  const refresh = useCallback(async () => {
    await Promise.all([refreshTray(), refreshState()]);
  }, [refreshTray, refreshState]);

  // Everything sent since Sync now failed: its message no longer applies.
  const pending = view?.pending ?? null;
  useEffect(() => {
    if (pending === 0) setSyncError(null);
  }, [pending]);

  const [opening, setOpening] = useState(0);
  const groupsRef = useRef<HTMLElement | null>(null);
  useOpenings({
    root: groupsRef,
    onOpen: () => {
      setChoice('today');
      setOpening((n) => n + 1);
      void refresh();
    },
    onUndo: () => {
      const r = notice?.receipt;
      if (!r || r.undoUntil < Date.now()) return false;
      void undo(r);
      return true;
    },
  });
  // The undo bar takes room at the bottom: keep the row just written to in view, not behind it.
  useEffect(() => {
    if (notice) (document.activeElement as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
  }, [notice]);
  // The first time the attributes are drawn, focus goes to the first one's first control.
  const drawn = view !== null && view.groups.length > 0;
  useEffect(() => {
    if (drawn) focusFirstControl(groupsRef.current);
  }, [drawn]);

  const increment = useCallback(
    async (attr: TrayAttributeView, delta: number): Promise<string | null> => {
      const r = await getApi().values.increment({ name: attr.name, delta, ...requestRef.current });
      void refresh();
      if (!r.ok) return r.error.message;
      setNotice({ message: receiptText(attr, r.value.description), receipt: r.value });
      return null;
    },
    [refresh, requestRef, receiptText],
  );

  const set = useCallback(
    async (attr: TrayAttributeView, value: number | string): Promise<string | null> => {
      const r = await getApi().values.set({ name: attr.name, value, ...requestRef.current });
      void refresh();
      if (!r.ok) return r.error.message;
      setNotice({ message: receiptText(attr, r.value.description), receipt: r.value });
      return null;
    },
    [refresh, requestRef, receiptText],
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
  const openSettings = (tab?: SettingsTab) => getApi().window.openSettings(tab ? { tab } : {});

  const showDate = view !== null && view.account !== 'disconnected' && view.account !== 'connecting';
  return (
    <div className="popover">
      <header className={`popover-header${showDate ? '' : ' bare'}`}>
        <h1 className="visually-hidden">Exist Tray</h1>
        {view && showDate && (
          <>
            <DateChoice
              key={opening}
              choice={choice}
              today={view.today}
              timeZone={view.timezone}
              onChange={setChoice}
            />
            <p className="date-label muted" aria-live="polite">
              {formatDay(view.date, view.today)}
            </p>
          </>
        )}
      </header>
      {view && view.account !== 'disconnected' && view.account !== 'connecting' && (
        <QuickAdd
          enabled={groups.length > 0}
          onWritten={(receipt) => {
            setNotice({ message: receipt.description, receipt });
            void refresh();
          }}
        />
      )}
      <main className="popover-body" ref={groupsRef}>
        <LinkProposal onAdded={(r) => setNotice({ message: r.description, receipt: r })} />
        <PopoverBody
          view={view}
          loadError={loadError}
          groups={groups}
          onRetry={() => void refresh()}
          openSettings={openSettings}
          increment={increment}
          set={set}
          jobFor={jobFor}
        />
      </main>
      {notice && (
        <Snackbar
          message={notice.message}
          until={notice.receipt?.undoUntil ?? null}
          onUndo={notice.receipt ? () => void undo(notice.receipt as WriteReceipt) : undefined}
          onDismiss={dismiss}
        />
      )}
      <PopoverFooter
        state={syncState.data}
        syncing={syncing}
        syncError={syncError}
        onSyncNow={() => void syncNow()}
        onOpenSettings={() => openSettings()}
      />
    </div>
  );
}
