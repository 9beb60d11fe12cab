/** One attribute in the popover: label, value in the user's units, sparkline, state and controls. */
import type { Profile } from '../../../shared/domain';
import type { TrayAttributeView } from '../../../shared/ipc-contract';
import { Sparkline } from '../components/Sparkline';
import { StateBadge } from '../components/StateBadge';
import { ValueControls } from '../components/ValueControls';
import { formatDelta, formatValue, isTextType, unitForView } from '../values';
import { RowToday } from './RowToday';
import { clockTime } from '../../../core/values/day-format';

export function AttributeRow(props: {
  attr: TrayAttributeView;
  /** The scheduled job that sends this attribute's totals, if one does. */
  job?: { schedule: string; nextRunAt: number | null } | undefined;
  profile: Profile | null;
  timeZone: string;
  onIncrement(delta: number): Promise<string | null>;
  onSet(value: number | string): Promise<string | null>;
}) {
  const { attr } = props;
  const unit = unitForView(attr, props.profile);
  // A write-only token cannot read the day's total: show what is queued instead of a blank.
  const shown =
    attr.value === null && attr.pendingDelta !== null && attr.pendingDelta !== 0
      ? `${formatDelta(attr.valueType, attr.pendingDelta, unit)} so far`
      : formatValue(attr.valueType, attr.value, unit);
  const labelId = `label-${attr.name}`;
  return (
    <li className={`row row-${attr.state ?? 'none'}`} data-row={attr.name} aria-labelledby={labelId}>
      <div className="row-head">
        {/* Long labels are cut to fit; the whole label is in the tooltip. */}
        <span id={labelId} className="row-label" title={attr.label}>
          {attr.label}
        </span>
        {attr.history && !isTextType(attr.valueType) && <Sparkline history={attr.history} label={attr.label} />}
        <span
          className="row-value"
          data-testid={`value-${attr.name}`}
          aria-label={`${attr.label}: ${shown}`}
          title={isTextType(attr.valueType) && typeof attr.value === 'string' ? attr.value : undefined}
        >
          {isTextType(attr.valueType) && typeof attr.value === 'string' && attr.value.length > 40
            ? `${attr.value.slice(0, 40)}…`
            : shown}
        </span>
        <StateBadge state={attr.state} message={attr.message} />
      </div>
      <RowToday insight={attr.insight} label={attr.label} />
      {props.job && (
        <p className="row-message job-note" data-testid={`job-${attr.name}`}>
          {`Filled by a scheduled job (${props.job.schedule}${props.job.nextRunAt ? `, next ${clockTime(props.job.nextRunAt)}` : ''}): its next run replaces this day’s total.`}
        </p>
      )}
      {attr.state === 'failed' && attr.message && <p className="row-message error">{attr.message}</p>}
      {attr.state === 'maybe-doubled' && (
        <p className="row-message warning">
          {attr.message ?? 'Exist did not confirm a write; it may have counted this twice. Check the total.'}
        </p>
      )}
      <ValueControls
        attr={attr}
        unit={unit}
        timeZone={props.timeZone}
        onIncrement={props.onIncrement}
        onSet={props.onSet}
      />
    </li>
  );
}
