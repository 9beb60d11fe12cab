import type { InputHTMLAttributes } from 'react';
import { ErrorText } from './ErrorText';

/**
 * A labelled text input with its error below it, wired for screen readers
 * (`aria-invalid`, `aria-describedby`), as the settings forms use them.
 */
export function TextField({
  id,
  errorId,
  label,
  error,
  onValue,
  ...input
}: {
  id: string;
  errorId: string;
  label: string;
  error: string | undefined;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'>) {
  return (
    <div className="field-row">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        autoComplete="off"
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onValue(e.target.value)}
      />
      <ErrorText id={errorId} message={error} />
    </div>
  );
}
