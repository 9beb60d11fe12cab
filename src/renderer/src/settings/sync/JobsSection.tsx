/** Sync → Scheduled jobs: the list (run now, remove) and the add form. */
import { useId, useState, type FormEvent } from 'react';
import type { Result } from '../../../../shared/result';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { useJobs } from '../../data/hooks';
import { when } from './when';

export function JobsSection() {
  const { data: jobs, error: loadError, set: setJobs } = useJobs();
  const [form, setForm] = useState({ attribute: '', command: '', schedule: 'hourly', daysBack: '1' });
  const [error, setError] = useState<string | null>(null);
  const ids = { attr: useId(), cmd: useId(), sched: useId(), days: useId(), err: useId() };

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
      <ErrorText id={ids.err} message={error ?? loadError?.message ?? null} />
    </section>
  );
}
