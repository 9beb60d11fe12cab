/**
 * Today's state on a popover row (issue 18): ✓ when the day has a value, the last value
 * and when this app logged it, progress against the usual value for this weekday (with a
 * read scope: Exist's averages) in a bar and in words, and streaks of yes/no attributes.
 */
import type { RowInsight } from '../../../shared/features';

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const day = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString([], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

export function RowToday(props: { insight: RowInsight | undefined; label: string }) {
  const i = props.insight;
  if (!i) return null;
  const last = i.last
    ? i.hasValue
      ? `${i.last.text}${i.loggedAt ? ` · logged ${clock(i.loggedAt)}` : ''}`
      : `last: ${i.last.text} on ${day(i.last.date)}`
    : 'nothing logged yet';
  return (
    <div className="row-today" data-testid={`today-${props.label}`}>
      <span className={`row-check${i.hasValue ? ' done' : ''}`} aria-label={i.hasValue ? 'Logged' : 'Not logged yet'}>
        {i.hasValue ? '✓' : '○'}
      </span>
      <span className="row-last muted">{last}</span>
      {i.streak !== null && i.streak > 0 && (
        <span className="row-streak">{i.streak === 1 ? '1 day' : `${i.streak} days in a row`}</span>
      )}
      {i.usual && (
        <span className="row-usual">
          <progress
            max={100}
            value={Math.round(i.usual.fraction * 100)}
            aria-label={`${props.label}: ${Math.round(i.usual.fraction * 100)}% of usual`}
          />
          <span className="muted">
            usual for a {i.usual.weekday}: {i.usual.text}
          </span>
        </span>
      )}
    </div>
  );
}
