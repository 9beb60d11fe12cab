/**
 * A tiny JSON path resolver for job sources: `data.steps`, `$.items[0].value`,
 * `results[-1]`, `days["2026-11-30"]`. Only property access and array indexing — no
 * filters, wildcards or expressions, and never `eval` — so a path from a settings file
 * can do nothing but read.
 */

export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export type PathResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Splits a path into segments, or explains what is wrong with it. A leading `$` is
 * optional. Dotted keys may contain anything but `.`, `[` and `]` (so `2026-11-30` works);
 * quoted keys (`["a.b"]`, `['x']`) may contain anything but their own quote.
 */
export function parseJsonPath(path: string): { ok: true; segments: PathSegment[] } | { ok: false; message: string } {
  const segments: PathSegment[] = [];
  const s = path.trim();
  let i = 0;
  if (s.startsWith('$')) i = 1;
  const bad = (why: string) => ({ ok: false as const, message: `JSON path “${path}”: ${why}` });
  let expectKey = i === 0; // a bare first key needs no dot
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      if (s[i + 1] === '.') return bad(`empty key at position ${i + 2}`);
      i++;
      expectKey = true;
      continue;
    }
    if (c === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) return bad(`“[” at position ${i + 1} is never closed`);
      const inner = s.slice(i + 1, close).trim();
      const q = inner[0];
      if ((q === '"' || q === "'") && inner.length >= 2 && inner.endsWith(q)) {
        const key = inner.slice(1, -1);
        if (key.includes(q)) return bad(`quoted key at position ${i + 1} contains its own quote`);
        segments.push({ kind: 'key', key });
      } else if (/^-?\d+$/.test(inner)) {
        segments.push({ kind: 'index', index: Number(inner) });
      } else {
        return bad(`“[${inner}]” is neither an index like [0] nor a quoted key like ["name"]`);
      }
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (!expectKey) return bad(`expected “.” or “[” at position ${i + 1}`);
    let j = i;
    while (j < s.length && s[j] !== '.' && s[j] !== '[' && s[j] !== ']') j++;
    const key = s.slice(i, j).trim();
    if (key === '') return bad(`empty key at position ${i + 1}`);
    segments.push({ kind: 'key', key });
    i = j;
    expectKey = false;
  }
  if (s.endsWith('.')) return bad('it ends with “.”');
  return { ok: true, segments };
}

const describePath = (segments: PathSegment[]): string =>
  segments.length === 0
    ? '$'
    : `$${segments.map((p) => (p.kind === 'index' ? `[${p.index}]` : /^[A-Za-z_][\w-]*$/.test(p.key) ? `.${p.key}` : `[${JSON.stringify(p.key)}]`)).join('')}`;

/**
 * Reads `path` in `data`. An empty path (or `$`) is the whole document. Negative indexes
 * count from the end (`[-1]` is the last item). Misses say where they happened.
 */
export function resolveJsonPath(data: unknown, path: string | undefined): PathResult {
  if (path === undefined || path.trim() === '' || path.trim() === '$') return { ok: true, value: data };
  const parsed = parseJsonPath(path);
  if (!parsed.ok) return parsed;
  let cur: unknown = data;
  const walked: PathSegment[] = [];
  for (const seg of parsed.segments) {
    if (seg.kind === 'index') {
      if (!Array.isArray(cur))
        return { ok: false, message: `${describePath(walked)} is not a list, so [${seg.index}] cannot be read` };
      const idx = seg.index < 0 ? cur.length + seg.index : seg.index;
      if (idx < 0 || idx >= cur.length)
        return {
          ok: false,
          message: `${describePath(walked)} has ${cur.length} item${cur.length === 1 ? '' : 's'}; there is no [${seg.index}]`,
        };
      cur = cur[idx];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur))
        return { ok: false, message: `${describePath(walked)} is not an object, so “${seg.key}” cannot be read` };
      if (!Object.prototype.hasOwnProperty.call(cur, seg.key))
        return { ok: false, message: `${describePath(walked)} has no “${seg.key}”` };
      cur = (cur as Record<string, unknown>)[seg.key];
    }
    walked.push(seg);
  }
  return { ok: true, value: cur };
}
