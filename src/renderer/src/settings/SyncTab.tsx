/**
 * Sync: what is waiting, what failed (retry / discard), what may have counted twice,
 * the rate budget, a CSV history import and scheduled jobs.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type {
  FailedWriteView,
  ImportPreview,
  JobView,
  OwnedAttributeView,
  QueuedWriteView,
  SyncView,
} from '../../../shared/ipc-contract';
import type { Result } from '../../../shared/result';
import { getApi } from '../api';
import { StateBadge } from '../components/StateBadge';
import { useSubscriptions } from '../hooks/useSubscriptions';
import { formatDelta, formatValue } from '../values';
import { ErrorText } from '../components/ErrorText';

function when(ms: number | null): string {
  if (ms === null) return 'never';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Owned attributes by name, so writes read "Time reading +1h 20m", not "time_reading +80". */
type Owned = ReadonlyMap<string, OwnedAttributeView>;

function useOwned(): Owned {
  const [owned, setOwned] = useState<OwnedAttributeView[]>([]);
  useEffect(() => {
    void getApi()
      .attributes.listOwned({})
      .then((r) => r.ok && setOwned(r.value));
  }, []);
  useSubscriptions((api) => [api.attributes.onChanged(setOwned)]);
  return useMemo(() => new Map(owned.map((a) => [a.name, a])), [owned]);
}

/** "Pages read +5 · 2026-03-01" or "Time reading = 1h 20m · …": one queued or failed write in words. */
function WriteText({ w, owned }: { w: Pick<QueuedWriteView, 'name' | 'kind' | 'value' | 'date'>; owned: Owned }) {
  const a = owned.get(w.name);
  const value =
    a && typeof w.value === 'number'
      ? w.kind === 'increment'
        ? formatDelta(a.valueType, w.value)
        : `= ${formatValue(a.valueType, w.value)}`
      : w.kind === 'increment'
        ? `+${w.value}`
        : `= ${w.value}`;
  return (
    <>
      <strong title={w.name}>{a?.label ?? w.name}</strong> {value} · {w.date}
    </>
  );
}

const QUEUED_SHOWN = 10;

function QueuedList({ items, pending, owned }: { items: QueuedWriteView[]; pending: number; owned: Owned }) {
  if (items.length === 0) return null;
  return (
    <section aria-label="Waiting to be sent" className="failed queued">
      <ul>
        {items.slice(0, QUEUED_SHOWN).map((w) => (
          <li key={w.id}>
            <span>
              <WriteText w={w} owned={owned} />
            </span>
            <StateBadge state={w.state} message={null} />
          </li>
        ))}
      </ul>
      {pending > QUEUED_SHOWN && <p className="muted">{`and ${pending - QUEUED_SHOWN} more`}</p>}
    </section>
  );
}

function FailedList(props: {
  title: string;
  explain: string;
  items: FailedWriteView[];
  retryable: boolean;
  owned: Owned;
  onAction(kind: 'retry' | 'discard', ids: string[]): void;
}) {
  if (props.items.length === 0) return null;
  const all = props.items.map((i) => i.id);
  return (
    <section aria-label={props.title} className="failed">
      <div className="failed-head">
        <h3>{props.title}</h3>
        {/* Above the list, so a long list does not hide them. */}
        {props.retryable && props.items.length > 1 && (
          <div className="actions">
            <button type="button" onClick={() => props.onAction('retry', all)}>
              Retry all
            </button>
            <button type="button" onClick={() => props.onAction('discard', all)}>
              Discard all
            </button>
          </div>
        )}
      </div>
      <p className="muted">{props.explain}</p>
      <ul>
        {props.items.map((i) => {
          const what = `${i.name} on ${i.date}`;
          return (
            <li key={i.id}>
              <span>
                <WriteText w={i} owned={props.owned} />
                <br />
                <span className="error">{i.message}</span>
              </span>
              {props.retryable && (
                <button type="button" aria-label={`Retry ${what}`} onClick={() => props.onAction('retry', [i.id])}>
                  Retry
                </button>
              )}
              <button
                type="button"
                aria-label={`${props.retryable ? 'Discard' : 'Dismiss'} ${what}`}
                onClick={() => props.onAction('discard', [i.id])}
              >
                {props.retryable ? 'Discard' : 'Dismiss'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ImportSection() {
  const [csv, setCsv] = useState('');
  const [attribute, setAttribute] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const ids = { csv: useId(), file: useId(), attr: useId(), err: useId() };
  useSubscriptions((api) => [api.import.onProgress(setProgress)]);

  const request = () => {
    const a = attribute.trim();
    return a ? { csv, attribute: a } : { csv };
  };
  const check = (): boolean => {
    if (csv.trim() === '') {
      setError('Paste CSV rows or choose a file first');
      return false;
    }
    if (attribute.trim() && !/^[a-z0-9_]+$/.test(attribute.trim())) {
      setError('An attribute name uses only a–z, 0–9 and _');
      return false;
    }
    return true;
  };
  const doPreview = async (e?: FormEvent) => {
    e?.preventDefault();
    setDone(null);
    if (!check()) return;
    const r = await getApi().import.preview(request());
    if (r.ok) {
      setPreview(r.value);
      setError(null);
    } else setError(r.error.message);
  };
  const run = async () => {
    if (!check()) return;
    const r = await getApi().import.run(request());
    if (r.ok) {
      const n = r.value.queued;
      setDone(`Queued ${n} ${n === 1 ? 'value' : 'values'} to send to Exist — see above for progress`);
      setPreview(null);
      setError(null);
    } else setError(r.error.message);
  };
  const readFile = (file: File) => {
    const reader = new FileReader();
    reader.onload = () => {
      setCsv(String(reader.result ?? ''));
      setPreview(null);
    };
    reader.onerror = () => setError(`Couldn't read ${file.name}`);
    reader.readAsText(file);
  };

  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">Import history from CSV</h2>
      <p className="muted">
        Columns <code>date,attribute,value</code> (or <code>date,value</code> with an attribute named below). Dates are
        YYYY-MM-DD; values are read like the popover's fields.
      </p>
      <form onSubmit={(e) => void doPreview(e)} noValidate className="import-form">
        <label htmlFor={ids.csv}>CSV to import</label>
        <textarea
          id={ids.csv}
          rows={5}
          value={csv}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? ids.err : undefined}
          onChange={(e) => {
            setCsv(e.target.value);
            setPreview(null);
            setError(null);
          }}
        />
        <label htmlFor={ids.file}>Or choose a CSV file</label>
        <input
          id={ids.file}
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(e) => e.target.files?.[0] && readFile(e.target.files[0])}
        />
        <label htmlFor={ids.attr}>Attribute (when the CSV has no attribute column)</label>
        <input
          id={ids.attr}
          type="text"
          value={attribute}
          spellCheck={false}
          onChange={(e) => setAttribute(e.target.value)}
        />
        <div className="actions">
          <button type="submit">Preview</button>
          <button
            type="button"
            className="primary"
            disabled={!preview || preview.rows.length === 0}
            onClick={() => void run()}
          >
            Import
          </button>
        </div>
      </form>
      <ErrorText id={ids.err} message={error} />
      {preview && (
        <div className="preview" aria-label="Import preview" role="region">
          <p>
            {preview.rows.length} {preview.rows.length === 1 ? 'value' : 'values'} in {preview.calls}{' '}
            {preview.calls === 1 ? 'call' : 'calls'}
            {preview.errors.length > 0
              ? `; ${preview.errors.length} ${preview.errors.length === 1 ? 'line' : 'lines'} can't be imported`
              : ''}
          </p>
          {preview.errors.length > 0 && (
            <ul className="errors">
              {preview.errors.slice(0, 50).map((e) => (
                <li key={e.line} className="error">{`Line ${e.line}: ${e.message}`}</li>
              ))}
            </ul>
          )}
          {preview.rows.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Date</th>
                  <th scope="col">Attribute</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, 20).map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.date}</td>
                    <td>{r.attribute}</td>
                    <td>{String(r.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {progress && progress.total > 0 && progress.sent < progress.total && (
        <progress aria-label="Import progress" max={progress.total} value={progress.sent} />
      )}
      {done && <p role="status">{done}</p>}
    </section>
  );
}

function JobsSection() {
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  const [form, setForm] = useState({ attribute: '', command: '', schedule: 'hourly', daysBack: '1' });
  const [error, setError] = useState<string | null>(null);
  const ids = { attr: useId(), cmd: useId(), sched: useId(), days: useId(), err: useId() };
  useEffect(() => {
    void getApi()
      .jobs.list({})
      .then((r) => (r.ok ? setJobs(r.value) : setError(r.error.message)));
  }, []);
  useSubscriptions((api) => [api.jobs.onChanged(setJobs)]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const attribute = form.attribute.trim();
    const days = Number(form.daysBack);
    if (!/^[a-z0-9_]+$/.test(attribute)) return setError('Enter the attribute name, like steps (a–z, 0–9 and _)');
    if (form.command.trim() === '') return setError('Enter the command that prints the value');
    if (!Number.isInteger(days) || days < 1 || days > 31) return setError('Days back is a whole number from 1 to 31');
    const r = await getApi().jobs.add({
      attribute,
      source: { kind: 'command', command: form.command.trim() },
      schedule: form.schedule.trim() || 'hourly',
      daysBack: days,
    });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    // The jobs push may already have brought it: replace, don't list it twice.
    setJobs((j) => [...(j ?? []).filter((x) => x.id !== r.value.id), r.value]);
    setForm({ attribute: '', command: '', schedule: 'hourly', daysBack: '1' });
  };
  const report = (r: Result<unknown>) => setError(r.ok ? null : r.error.message);

  return (
    <section className="card" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Scheduled jobs</h2>
      <p className="muted">Run a command at most hourly and send what it prints for today and the days before.</p>
      {jobs && jobs.length > 0 && (
        <ul className="jobs">
          {jobs.map((j) => {
            const last = j.runs.at(-1);
            return (
              <li key={j.id}>
                <span>
                  <strong>{j.attribute}</strong> · {j.schedule} · next {when(j.nextRunAt)}
                  {last && (
                    <span
                      className={last.ok ? 'muted' : 'error'}
                    >{` · last run ${last.ok ? 'ok' : `failed: ${last.error ?? ''}`}`}</span>
                  )}
                </span>
                <button
                  type="button"
                  aria-label={`Run job for ${j.attribute} now`}
                  onClick={() => void getApi().jobs.run({ id: j.id }).then(report)}
                >
                  Run now
                </button>
                <button
                  type="button"
                  aria-label={`Remove job for ${j.attribute}`}
                  onClick={() => void getApi().jobs.remove({ id: j.id }).then(report)}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form className="grid-form" onSubmit={(e) => void add(e)} noValidate>
        <label htmlFor={ids.attr}>Job attribute</label>
        <input
          id={ids.attr}
          type="text"
          value={form.attribute}
          onChange={(e) => setForm({ ...form, attribute: e.target.value })}
        />
        <label htmlFor={ids.cmd}>Command</label>
        <input
          id={ids.cmd}
          type="text"
          spellCheck={false}
          value={form.command}
          onChange={(e) => setForm({ ...form, command: e.target.value })}
        />
        <label htmlFor={ids.sched}>Schedule</label>
        <input
          id={ids.sched}
          type="text"
          value={form.schedule}
          onChange={(e) => setForm({ ...form, schedule: e.target.value })}
        />
        <label htmlFor={ids.days}>Days back</label>
        <input
          id={ids.days}
          type="text"
          inputMode="numeric"
          value={form.daysBack}
          onChange={(e) => setForm({ ...form, daysBack: e.target.value })}
        />
        <button type="submit" className="span">
          Add job
        </button>
      </form>
      <ErrorText id={ids.err} message={error} />
    </section>
  );
}

export function SyncTab() {
  const [sync, setSync] = useState<SyncView | null>(null);
  const owned = useOwned();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void getApi()
      .sync.get({})
      .then((r) => (r.ok ? setSync(r.value) : setError(r.error.message)));
  }, []);
  useSubscriptions((api) => [api.sync.onChanged(setSync)]);

  const apply = async (p: Promise<Result<SyncView>>) => {
    const r = await p;
    if (r.ok) {
      setSync(r.value);
      setError(null);
    } else setError(r.error.message);
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
            <p data-testid="sync-pending">
              {sync.pending === 0
                ? 'Everything is sent.'
                : `${sync.pending} ${sync.pending === 1 ? 'value' : 'values'} waiting to be sent.`}
            </p>
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
            {sync.lastError && sync.pending > 0 && (
              <p className="error" role="alert">
                {sync.lastError.message}
              </p>
            )}
            <div className="actions">
              <button
                type="button"
                className="primary"
                disabled={sync.sending}
                onClick={() => void apply(getApi().sync.now({}))}
              >
                Sync now
              </button>
            </div>
            <FailedList
              title="Failed"
              explain="Exist refused these. Retry after fixing the cause (for example reconnecting with the right permission), or discard them."
              items={sync.failed}
              owned={owned}
              retryable
              onAction={onAction}
            />
            <FailedList
              title="May have counted twice"
              explain="The network lost Exist's answer to these increments and no known total was available, so they were sent again. Check the day's total in Exist and set it if it is too high."
              items={sync.maybeDoubled}
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
