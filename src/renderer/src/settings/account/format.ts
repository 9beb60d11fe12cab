/** Account facts in words: token expiry and granted scopes. */
import { formatDay } from '../../../../core/values/day-format';
import { groupLabel } from '../scopes';

/** "Tue 30 Nov 2027": the one date format (the year when it is not this one), in the machine's zone. */
export function formatExpiry(ms: number): string {
  const d = new Date(ms);
  const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return formatDay(iso);
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
