/** Sync → Import history from CSV: paste or choose a file, preview, then queue. */
import { useId, useState, type FormEvent } from 'react';
import type { ImportPreview } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { useSubscriptions } from '../../hooks/useSubscriptions';

export function ImportSection() {
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
