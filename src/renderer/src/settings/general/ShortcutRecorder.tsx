/**
 * The global shortcut, recorded: focus the field and press the keys. No free text in
 * Electron's accelerator syntax; reserved combinations (Alt+F4, Cmd+Q, Ctrl+C…) are
 * refused where they were pressed. Esc while recording cancels; Backspace clears.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { ErrorText } from '../../components/ErrorText';
import { acceleratorFor, refuseShortcut } from './shortcut-keys';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "CommandOrControl+Shift+E" as the person's keyboard says it: "Ctrl+Shift+E" or "⌘+Shift+E". */
export function shortcutWords(accel: string, mac = isMac()): string {
  return accel.replace(/CommandOrControl/g, mac ? '⌘' : 'Ctrl');
}

export function ShortcutRecorder(props: {
  value: string | null;
  error: string | null;
  onRecord(accel: string | null): void;
  onRefuse(message: string): void;
}) {
  const [recording, setRecording] = useState(false);
  const ids = { field: useId(), err: useId(), help: useId() };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (!recording) {
      if (e.key === 'Backspace' || e.key === 'Delete') {
        e.preventDefault();
        props.onRecord(null);
      }
      return;
    }
    if (e.key === 'Tab') return; // leaving the field stays possible
    e.preventDefault();
    if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) {
      setRecording(false);
      return;
    }
    const r = acceleratorFor(e, isMac());
    if (r === null) return props.onRefuse('That key can’t be part of a global shortcut. Try a letter, digit or F-key.');
    if (r.kind === 'pending') return;
    setRecording(false);
    const refusal = refuseShortcut(r.value);
    if (refusal) return props.onRefuse(refusal);
    props.onRecord(r.value);
  };

  return (
    <div className="shortcut">
      <label htmlFor={ids.field}>Global shortcut</label>
      <button
        id={ids.field}
        type="button"
        className={`shortcut-field${recording ? ' recording' : ''}`}
        aria-describedby={`${ids.help}${props.error ? ` ${ids.err}` : ''}`}
        aria-invalid={props.error ? true : undefined}
        onClick={() => setRecording(true)}
        onBlur={() => setRecording(false)}
        onKeyDown={onKeyDown}
      >
        {recording ? 'Press the keys…' : props.value ? shortcutWords(props.value) : 'None — click to record'}
      </button>
      {props.value && (
        <button type="button" className="link" onClick={() => props.onRecord(null)}>
          Remove shortcut
        </button>
      )}
      <p id={ids.help} className="muted">
        Opens the popover from anywhere. Click the field, then press the keys together.
      </p>
      <ErrorText id={ids.err} message={props.error} />
    </div>
  );
}
