/** A moment in the user's locale ("1 Dec 2026, 21:14"), or "never". */
export function when(ms: number | null): string {
  if (ms === null) return 'never';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
