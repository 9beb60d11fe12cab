/** Keyboard moves in the popover list (pure DOM; no state). */
import type { KeyboardEvent } from 'react';

/** ArrowUp/ArrowDown move between rows, keeping the same control column where possible. */
export function moveBetweenRows(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const target = e.target as HTMLElement;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target as HTMLInputElement).type === 'date')
    return;
  const row = target.closest<HTMLElement>('[data-row]');
  if (!row) return;
  const rows = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[data-row]'));
  const next = rows[rows.indexOf(row) + (e.key === 'ArrowDown' ? 1 : -1)];
  if (!next) return;
  e.preventDefault();
  const focusables = (el: HTMLElement) =>
    Array.from(
      el.querySelectorAll<HTMLElement>('button:not(:disabled), input:not(:disabled), textarea:not(:disabled)'),
    );
  const column = Math.max(0, focusables(row).indexOf(target));
  const candidates = focusables(next);
  (candidates[Math.min(column, candidates.length - 1)] ?? next).focus();
}
