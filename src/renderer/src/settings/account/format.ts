/** Account facts in words: token expiry and granted scopes. */
import { groupLabel } from '../scopes';

/** "30 Nov 2027" — day month year, unambiguous in every locale. */
export function formatExpiry(ms: number): string {
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** ["media_read", "media_write", "mood_write"] → "Media (read, write), Mood (write)": scopes in words. */
export function describeScopes(scopes: readonly string[]): string {
  const byGroup = new Map<string, string[]>();
  for (const s of scopes) {
    const m = /^(.+)_(read|write)$/.exec(s);
    const group = m ? groupLabel(m[1] as string) : s;
    const list = byGroup.get(group) ?? [];
    if (m) list.push(m[2] as string);
    byGroup.set(group, list);
  }
  if (byGroup.size === 0) return 'None';
  return [...byGroup.entries()]
    .map(([g, kinds]) => (kinds.length ? `${g} (${kinds.sort().join(', ')})` : g))
    .join(', ');
}
