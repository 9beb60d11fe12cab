/**
 * Sync: what is waiting, what failed (retry / discard), what may have counted twice,
 * the rate budget, a CSV history import and scheduled jobs (each section its own file).
 */
import { useState } from 'react';
import type { SyncView } from '../../../../shared/ipc-contract';
import type { Result } from '../../../../shared/result';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { useOwnedByName, useSyncState, useSyncView } from '../../data/hooks';
import { ImportSection } from './ImportSection';
import { JobsSection } from './JobsSection';
import { when } from './when';
import { FailedList, QueuedList } from './WriteLists';
import { NOT_OWNER } from '../../../../shared/domain';
import { TakenOverList } from './TakenOver';

export function SyncTab() {
  const { data: sync, error: loadError, set: setSync } = useSyncView();
  const { data: state, refresh: refreshState } = useSyncState();
  const offline = state?.kind === 'disconnected' || state?.kind === 'connecting';
  const owned = useOwnedByName();
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? loadError?.message ?? null;

  const apply = async (p: Promise<Result<SyncView>>) => {
    const r = await p;
    if (r.ok) {
      setSync(r.value);
      setError(null);
    } else setError(r.error.message);
    void refreshState();
  };
  const onAction = (kind: 'retry' | 'discard', ids: string[]) =>
    void apply(kind === 'retry' ? getApi().sync.retry({ ids }) : getApi().sync.discard({ ids }));

  return (
    <>
      <section className="card" aria-labelledby="sync-title">
        <h2 id="sync-title">Sync</h2>
        {sync === null ? (
          !error && <p className="muted">Loading…</p>
        ) : (
          <>
            {/* The core's one sync state: the same words as the popover footer, the tray and the CLI. */}
            <p
              data-testid="sync-pending"
              data-kind={state?.kind}
              className={`sync-state tone-${state?.tone ?? 'busy'}`}
            >
              {state?.label ?? ''}
            </p>
            {state && <p data-testid="sync-sentence">{state.sentence}</p>}
            <QueuedList items={sync.queued} pending={sync.pending} owned={owned} />
            {sync.sending && (
              <progress
                aria-label="Sending to Exist"
                max={sync.progress?.total ?? undefined}
                value={sync.progress?.sent ?? undefined}
              />
            )}
            <p className="muted" data-testid="sync-last">
              Last sync: {when(sync.lastSyncAt)}
            </p>
            <p className="muted">
              {`${sync.rate.used} of ${sync.rate.limit} calls used this hour`}
              {sync.rate.pausedUntil ? ` · paused by Exist until ${when(sync.rate.pausedUntil)}` : ''}
            </p>
            {/* With nothing waiting, an old error is history (failed writes are listed below). */}
            {/* After a deliberate Disconnect the last stop reason (e.g. a refused token) no longer applies. */}
            {sync.lastError && sync.pending > 0 && !offline && (
              <p className="error" role="alert">
                {sync.lastError.message}
              </p>
            )}
            <div className="actions">
              <button
                type="button"
                className="primary"
                disabled={sync.sending || offline}
                title={offline ? 'Connect in Settings → Account first' : undefined}
                onClick={() => void apply(getApi().sync.now({}))}
              >
                Sync now
              </button>
            </div>
            {/* Issue 18: another service took the attribute over — take it back (confirmed) or stop tracking. */}
            <TakenOverList
              items={sync.failed.filter((f) => f.errorCode === NOT_OWNER)}
              owned={owned}
              onDone={() => void apply(getApi().sync.get({}))}
            />
            <FailedList
              title="Failed"
              explain="Exist refused these. Retry after fixing the cause (for example reconnecting with the right permission), or discard them."
              items={sync.failed.filter((f) => f.errorCode !== NOT_OWNER)}
              owned={owned}
              retryable
              onAction={onAction}
            />
            <FailedList
              title="May have counted twice"
              explain="Exist Tray could not tell whether Exist counted these increments and had no total to check against, so it sent them again. Each says why. Check the day's total in Exist and set it if it is too high."
              items={sync.maybeDoubled.filter((m) => !sync.failed.some((f) => f.id === m.id))}
              owned={owned}
              retryable={false}
              onAction={onAction}
            />
          </>
        )}
        <ErrorText message={error} />
      </section>
      <ImportSection />
      <JobsSection />
    </>
  );
}
