/**
 * The undo bar: says what was just written and offers Undo until the receipt's
 * `undoUntil`. Announced politely; the Undo button is reachable from the keyboard.
 */
import { useEffect } from 'react';

export interface SnackbarProps {
  message: string;
  /** When to hide (ms since the epoch); null for a message without an action that hides after a few seconds. */
  until: number | null;
  onUndo?: (() => void) | undefined;
  onDismiss(): void;
}

const FALLBACK_MS = 6000;

export function Snackbar({ message, until, onUndo, onDismiss }: SnackbarProps) {
  useEffect(() => {
    const left = until === null ? FALLBACK_MS / 2 : until - Date.now();
    const ms = Number.isFinite(left) && left > 0 ? Math.min(left, 60_000) : FALLBACK_MS;
    const t = setTimeout(onDismiss, ms);
    return () => clearTimeout(t);
  }, [until, message, onDismiss]);
  return (
    <div className="snackbar" role="status" aria-live="polite">
      <span className="snackbar-text">{message}</span>
      {onUndo && (
        <button type="button" className="link snackbar-undo" onClick={onUndo}>
          Undo
        </button>
      )}
    </div>
  );
}
