/**
 * Today / Yesterday / a picked date, in the user's Exist timezone (`today` comes from
 * the core, which knows that timezone). An invalid or future date is refused in place:
 * the message says why and the field goes back to the date writes go to, so what is
 * shown is never a day nothing is written to. The picker's `max` only helps.
 */
import { useId, useState } from 'react';
import type { IsoDate } from '../../../shared/domain';
import { formatDay } from '../../../core/values/day-format';
import { addDays, isIsoDate } from '../values';
import { ErrorText } from './ErrorText';

export type DateChoiceValue = 'today' | 'yesterday' | IsoDate;

/** The date a choice names, given the user's today. */
export function resolveDateChoice(choice: DateChoiceValue, today: IsoDate): IsoDate {
  if (choice === 'today') return today;
  if (choice === 'yesterday') return addDays(today, -1);
  return choice;
}

/** Checks a picked date against the user's today; a message when it can't be used. */
export function checkPickedDate(
  value: string,
  today: IsoDate,
  timeZone: string,
): { ok: true; value: IsoDate } | { ok: false; message: string } {
  if (!isIsoDate(value)) return { ok: false, message: 'That is not a date: pick one from the calendar' };
  if (value > today) {
    return {
      ok: false,
      message: `${formatDay(value, today)} is in the future for you: in your Exist timezone (${timeZone}) today is ${formatDay(today, today)}`,
    };
  }
  return { ok: true, value };
}

export function DateChoice(props: {
  choice: DateChoiceValue;
  today: IsoDate;
  timeZone: string;
  onChange(choice: DateChoiceValue): void;
}) {
  const [error, setError] = useState<string | null>(null);
  // What is being typed; empty means "show the chosen date".
  const [picked, setPicked] = useState('');
  const errorId = useId();
  const date = resolveDateChoice(props.choice, props.today);
  const choose = (c: DateChoiceValue) => {
    setError(null);
    setPicked('');
    props.onChange(c);
  };
  return (
    <div className="date-choice">
      <div className="segmented" role="group" aria-label="Date">
        <button type="button" aria-pressed={props.choice === 'today'} onClick={() => choose('today')}>
          Today
        </button>
        <button type="button" aria-pressed={props.choice === 'yesterday'} onClick={() => choose('yesterday')}>
          Yesterday
        </button>
        <input
          type="date"
          aria-label="Pick a date"
          className={props.choice !== 'today' && props.choice !== 'yesterday' ? 'picked' : undefined}
          max={props.today}
          // Always a date (the one shown), never an empty "mm/dd/yyyy" placeholder.
          // Always a date (the one writes go to), never an empty "mm/dd/yyyy" placeholder.
          value={picked || date}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            const v = e.target.value;
            setPicked(v);
            if (v === '') return; // half-typed: wait for a whole date
            const r = checkPickedDate(v, props.today, props.timeZone);
            if (!r.ok) {
              setError(r.message);
              setPicked(''); // back to the date writes go to
              return;
            }
            setError(null);
            props.onChange(
              r.value === props.today ? 'today' : r.value === addDays(props.today, -1) ? 'yesterday' : r.value,
            );
            setPicked('');
          }}
        />
      </div>
      <ErrorText id={errorId} message={error} />
    </div>
  );
}
