/** The queued, failed and "may have counted twice" lists of the Sync tab, each write in words. */
import type { FailedWriteView, QueuedWriteView } from '../../../../shared/ipc-contract';
import { StateBadge } from '../../components/StateBadge';
import type { OwnedByName as Owned } from '../../data/hooks';
import { formatDay } from '../../../../core/values/day-format';
import { formatDelta, formatValue } from '../../values';

/** "Pages read +5" or "Time reading = 1h 20m": a write's attribute (by label) and value in words. */
export function writeWords(w: Pick<QueuedWriteView, 'name' | 'kind' | 'value'>, owned: Owned): [string, string] {
  const a = owned.get(w.name);
  const value =
    a && typeof w.value === 'number'
      ? w.kind === 'increment'
        ? formatDelta(a.valueType, w.value)
        : `= ${formatValue(a.valueType, w.value)}`
      : w.kind === 'increment'
        ? `+${w.value}`
        : `= ${w.value}`;
  return [a?.label ?? w.name, value];
}

/** "Pages read +5 · Sun 1 Mar": one queued or failed write in words. */
export function WriteText({
  w,
  owned,
}: {
  w: Pick<QueuedWriteView, 'name' | 'kind' | 'value' | 'date'>;
  owned: Owned;
}) {
  const [label, value] = writeWords(w, owned);
  return (
    <>
      <strong title={w.name}>{label}</strong> {value} · {formatDay(w.date)}
    </>
  );
}

const QUEUED_SHOWN = 10;

export function QueuedList({ items, pending, owned }: { items: QueuedWriteView[]; pending: number; owned: Owned }) {
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

export function FailedList(props: {
  title: string;
  explain: string;
  items: FailedWriteView[];
  retryable: boolean;
  owned: Owned;
  onAction(kind: 'retry' | 'discard', ids: string[]): void;
}) {
  if (props.items.length === 0) return null;
  const all = props.items.map((i) => i.id);
  // Each button's accessible name says which write it acts on, by label: "Retry Pages read +5 on Mon 9 Mar";
  // two writes that read the same are numbered, so no two buttons share a name.
  const seen = new Map<string, number>();
  const names = props.items.map((i) => {
    const [label, value] = writeWords(i, props.owned);
    const base = `${label} ${value} on ${formatDay(i.date)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
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
        {props.items.map((i, index) => {
          const what = names[index] as string;
          return (
            <li key={i.id}>
              <span>
                <WriteText w={i} owned={props.owned} />
                <br />
                <span className="error">{i.message}</span>
                {i.detail && (
                  <details className="error-detail">
                    <summary>Details</summary>
                    <code>{i.detail}</code>
                  </details>
                )}
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
