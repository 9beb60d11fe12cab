/**
 * What one opening of the popover means, for the keyboard and the date:
 * - an opening starts when the window gets focus after having lost it (Electron hides
 *   the popover on blur; the desk closes it on a click elsewhere), so each opening starts
 *   on Today — a date chosen in this opening stays until the popover closes;
 * - on open, focus goes to the first control of the first attribute (not the body,
 *   seven Tabs away from +1);
 * - Esc hides the popover (the tray gets focus back: main's and the desk's job);
 * - Ctrl+Z / Cmd+Z undoes the last write while its Undo is offered, except in a text
 *   field, where it undoes typing as usual.
 */
import { useEffect, type RefObject } from 'react';
import { getApi } from '../api';
import { useLatest } from '../hooks/useSubscriptions';

const FIRST_CONTROL = '[data-row] button:not(:disabled), [data-row] input:not(:disabled), [data-row] textarea';

/** Focus the first control of the first attribute, if focus is nowhere (the body). */
export function focusFirstControl(root: HTMLElement | null): void {
  const active = document.activeElement;
  if (active && active !== document.body && root?.contains(active)) return;
  root?.querySelector<HTMLElement>(FIRST_CONTROL)?.focus();
}

const isTextEntry = (el: EventTarget | null) =>
  el instanceof HTMLTextAreaElement ||
  (el instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'date'].includes(el.type));

export function useOpenings(opts: {
  root: RefObject<HTMLElement | null>;
  /** A new opening: back to Today, values re-read. */
  onOpen(): void;
  /** Ctrl/Cmd+Z: true when there was something to undo. */
  onUndo(): boolean;
}): void {
  const latest = useLatest(opts);
  useEffect(() => {
    let closed = false;
    const onBlur = () => {
      closed = true;
    };
    const onFocus = () => {
      if (closed) {
        closed = false;
        (document.activeElement as HTMLElement | null)?.blur?.();
      }
      latest.current.onOpen();
      // After the view is drawn for this opening.
      requestAnimationFrame(() => focusFirstControl(latest.current.root.current));
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        closed = true;
        getApi().window.close({});
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') {
        if (isTextEntry(e.target)) return;
        if (latest.current.onUndo()) e.preventDefault();
      }
    };
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    document.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('keydown', onKey);
    };
  }, [latest]);
}
