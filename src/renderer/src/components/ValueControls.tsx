/**
 * The controls for one attribute, fitted to its value type: quick increments, a
 * total-entry form, a yes/no switch or 1–9 buttons. Input is checked with the core's
 * own parsers as the person types, so the popover refuses exactly what the core would.
 * Writes go through the `onIncrement` / `onSet` callbacks, which resolve to an error
 * message (shown inline) or null.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TrayAttributeView } from '../../../shared/ipc-contract';
import {
  controlKindFor,
  formatDelta,
  isIncrementable,
  maxTextLength,
  parseValue,
  textLength,
  type ControlKind,
  type DisplayUnit,
} from '../values';
import { ErrorText } from './ErrorText';

export interface ValueControlProps {
  attr: Pick<TrayAttributeView, 'name' | 'label' | 'valueType' | 'value' | 'prefs'>;
  unit?: DisplayUnit | undefined;
  /** The user's Exist timezone, so a time field can accept "now". */
  timeZone?: string;
  disabled?: boolean;
  onIncrement(delta: number): Promise<string | null>;
  onSet(value: number | string): Promise<string | null>;
}

/** The quick increments of an attribute: +1 and its configured steps, deduplicated, smallest first (+0.5 kg, +1 kg). */
export function stepsFor(prefs: { steps: number[] }): number[] {
  const out: number[] = [1];
  for (const s of prefs.steps) if (Number.isFinite(s) && s > 0 && !out.includes(s)) out.push(s);
  return out.sort((a, b) => a - b);
}

/** "5" → "5", duration 15 → "15 minutes", 60 → "1 hour", km 1 → "1 km": the spoken form of a step. */
export function spokenStep(kind: ControlKind, step: number, unit?: DisplayUnit): string {
  if (kind === 'duration') {
    const h = Math.floor(step / 60);
    const m = step % 60;
    const parts: string[] = [];
    if (h > 0) parts.push(`${h} ${h === 1 ? 'hour' : 'hours'}`);
    if (m > 0 || h === 0) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
    return parts.join(' ');
  }
  return unit ? `${step} ${unit.metricLabel}` : String(step);
}

/** What the total field is called: "Total for Pages read", "Text for Mood note"… */
export function fieldNoun(kind: ControlKind): string {
  switch (kind) {
    case 'quantity':
    case 'duration':
    case 'percentage':
      return 'total';
    case 'text':
      return 'text';
    case 'time':
      return 'time';
    case 'scale':
      return 'rating';
    case 'toggle':
      return 'value';
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

function placeholderFor(kind: ControlKind): string {
  switch (kind) {
    case 'quantity':
      return 'Total'; // the unit, if any, is shown inside the field's right edge
    case 'duration':
      return '1h 20m';
    case 'percentage':
      return '0–100'; // the % is shown inside the field's right edge
    case 'time':
      return 'HH:MM';
    case 'scale':
      return '1–9';
    case 'text':
      return 'Write a note';
    case 'toggle':
      return '';
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

/** Everything a row shows below its label: quick buttons, then the total-entry form. */
export function ValueControls(props: ValueControlProps) {
  const kind = controlKindFor(props.attr.valueType);
  const [quickError, setQuickError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const quickErrorId = useId();

  // While a write is on its way the buttons say so (aria-disabled) and ignore presses, but
  // stay enabled: a disabled button drops keyboard focus, so Enter could not be pressed again.
  const run = async (action: () => Promise<string | null>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      setQuickError(await action());
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const quick = (() => {
    if (kind === 'toggle') {
      const on = props.attr.value === 1;
      return (
        <button
          type="button"
          role="switch"
          className={`switch${on ? ' on' : ''}`}
          aria-checked={on}
          aria-label={props.attr.label}
          aria-describedby={quickError ? quickErrorId : undefined}
          disabled={props.disabled}
          aria-disabled={busy || undefined}
          onClick={() => void run(() => props.onSet(on ? 0 : 1))}
        >
          <span className="switch-knob" aria-hidden="true" />
          <span className="switch-text" aria-hidden="true">
            {on ? 'Yes' : 'No'}
          </span>
        </button>
      );
    }
    if (kind === 'scale') {
      return (
        <div className="scale" role="group" aria-label={`Rate ${props.attr.label}`}>
          {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
            <button
              key={n}
              type="button"
              className="scale-step"
              aria-label={`Set ${props.attr.label} to ${n}`}
              aria-pressed={props.attr.value === n}
              disabled={props.disabled}
              aria-disabled={busy || undefined}
              onClick={() => void run(() => props.onSet(n))}
            >
              {n}
            </button>
          ))}
        </div>
      );
    }
    if (isIncrementable(props.attr.valueType)) {
      return (
        <div className="steps" role="group" aria-label={`Quick add to ${props.attr.label}`}>
          {stepsFor(props.attr.prefs).map((step) => (
            <button
              key={step}
              type="button"
              className="step"
              aria-label={`Add ${spokenStep(kind, step, props.unit)} to ${props.attr.label}`}
              aria-describedby={quickError ? quickErrorId : undefined}
              disabled={props.disabled}
              aria-disabled={busy || undefined}
              onClick={() => void run(() => props.onIncrement(step))}
            >
              {formatDelta(props.attr.valueType, step)}
              {props.unit && kind === 'quantity' ? ` ${props.unit.metricLabel}` : ''}
            </button>
          ))}
        </div>
      );
    }
    return null;
  })();

  return (
    <div className="controls">
      {quick}
      {/* A toggle and the 1–9 buttons are the whole control: no second field for the same value. */}
      {kind !== 'toggle' && kind !== 'scale' && (
        <TotalForm
          kind={kind}
          attr={props.attr}
          unit={props.unit}
          timeZone={props.timeZone}
          disabled={props.disabled}
          onSet={props.onSet}
        />
      )}
      <ErrorText id={quickErrorId} message={quickError} className="control-error" />
    </div>
  );
}

interface TotalFormProps {
  kind: ControlKind;
  attr: ValueControlProps['attr'];
  unit?: DisplayUnit | undefined;
  timeZone?: string | undefined;
  disabled?: boolean | undefined;
  onSet(value: number | string): Promise<string | null>;
}

/** A field and a Save button that set the day's total; Enter submits (Shift+Enter is a new line in notes). */
export function TotalForm({ kind, attr, unit, timeZone, disabled, onSet }: TotalFormProps) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const errorId = useId();
  const counterId = useId();
  const noun = fieldNoun(kind);
  const max = maxTextLength(attr.name);
  const length = kind === 'text' ? textLength(input) : 0;

  // Once the value changes some other way (a quick button, another window), a refused
  // draft and its message are out of date: clear them rather than leave a stale error.
  const shownValue = attr.value;
  const lastValue = useRef(shownValue);
  useEffect(() => {
    if (lastValue.current === shownValue) return;
    lastValue.current = shownValue;
    if (error !== null && !busyRef.current) {
      setError(null);
      setInput('');
    }
  }, [shownValue, error]);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const parsed = parseValue(attr.valueType, input, {
      attributeName: attr.name,
      ...(unit ? { unit } : {}),
      ...(timeZone ? { now: { nowMs: Date.now(), timeZone } } : {}),
    });
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      const failure = await onSet(parsed.value);
      setError(failure);
      if (failure === null) setInput('');
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  const describedBy =
    [error ? errorId : null, kind === 'text' ? counterId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    value: input,
    'aria-label': `${noun.charAt(0).toUpperCase()}${noun.slice(1)} for ${attr.label}`,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    placeholder: placeholderFor(kind),
    disabled,
    // Read-only, not disabled, while saving: the field keeps keyboard focus after Enter.
    readOnly: busy,
  } as const;

  const save = (
    <button
      type="submit"
      aria-label={`Save ${noun} for ${attr.label}`}
      disabled={disabled}
      aria-disabled={busy || undefined}
    >
      Save
    </button>
  );

  return (
    <form className={`total total-${kind}`} onSubmit={(e) => void submit(e)} noValidate>
      {kind === 'text' ? (
        <>
          <textarea
            {...common}
            rows={2}
            onKeyDown={onKeyDown}
            onChange={(e) => {
              setInput(e.target.value);
              if (error) setError(null);
            }}
          />
          <span id={counterId} className={`counter${length > max ? ' over' : ''}`}>
            {`${length} / ${max}`}
          </span>
        </>
      ) : (
        <span className="entry">
          <span className="field">
            <input
              {...common}
              type="text"
              inputMode={kind === 'quantity' || kind === 'percentage' || kind === 'scale' ? 'decimal' : 'text'}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => {
                setInput(e.target.value);
                if (error) setError(null);
              }}
            />
            {kind === 'percentage' && (
              <span className="suffix" aria-hidden="true">
                %
              </span>
            )}
            {kind === 'quantity' && unit && (
              <span className="suffix" aria-hidden="true">
                {unit.label}
              </span>
            )}
          </span>
          {save}
        </span>
      )}
      {kind === 'text' && save}
      <ErrorText id={errorId} message={error} />
    </form>
  );
}
