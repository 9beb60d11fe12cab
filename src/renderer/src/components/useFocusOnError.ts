/**
 * Shows an error where the eye is: when `message` appears, the element `id` (the error
 * beside the control that failed) is scrolled into view and focused, so a screen reader
 * reads it and a redrawn, scrolled-away form does not hide it.
 */
import { useEffect } from 'react';

export function useFocusOnError(id: string, message: string | null | undefined): void {
  useEffect(() => {
    if (!message) return;
    const el = document.getElementById(id);
    el?.scrollIntoView?.({ block: 'center' });
    el?.focus({ preventScroll: true });
  }, [id, message]);
}
