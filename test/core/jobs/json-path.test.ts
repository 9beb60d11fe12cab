import { describe, expect, it } from 'vitest';
import { parseJsonPath, resolveJsonPath } from '../../../src/core/jobs/json-path';

const doc = {
  data: { steps: 8123, 'a.b': 1, '2026-11-30': 12 },
  items: [{ total: 3 }, { total: 5 }, { total: 9 }],
  nested: {
    list: [
      [1, 2],
      [3, 4],
    ],
  },
  nil: null,
};

const get = (p: string | undefined) => resolveJsonPath(doc, p);

describe('resolveJsonPath', () => {
  it('reads dotted keys, with or without a leading $', () => {
    expect(get('data.steps')).toEqual({ ok: true, value: 8123 });
    expect(get('$.data.steps')).toEqual({ ok: true, value: 8123 });
    expect(get('data.2026-11-30')).toEqual({ ok: true, value: 12 });
  });

  it('indexes lists, counting from the end with negative indexes', () => {
    expect(get('items[0].total')).toEqual({ ok: true, value: 3 });
    expect(get('$.items[2].total')).toEqual({ ok: true, value: 9 });
    expect(get('items[-1].total')).toEqual({ ok: true, value: 9 });
    expect(get('nested.list[1][0]')).toEqual({ ok: true, value: 3 });
  });

  it('reads quoted keys containing dots', () => {
    expect(get('data["a.b"]')).toEqual({ ok: true, value: 1 });
    expect(get("data['2026-11-30']")).toEqual({ ok: true, value: 12 });
  });

  it('returns the whole document for an empty path or $', () => {
    expect(get(undefined)).toEqual({ ok: true, value: doc });
    expect(get('')).toEqual({ ok: true, value: doc });
    expect(get('$')).toEqual({ ok: true, value: doc });
  });

  it('says where a path misses', () => {
    const r1 = get('data.stairs');
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.message).toContain('no “stairs”');
    const r2 = get('items[3]');
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.message).toContain('3 items');
    const r3 = get('data[0]');
    expect(r3.ok).toBe(false);
    if (!r3.ok) expect(r3.message).toContain('not a list');
    const r4 = get('nil.x');
    expect(r4.ok).toBe(false);
    if (!r4.ok) expect(r4.message).toContain('not an object');
  });

  it('does not read inherited properties (no prototype walking)', () => {
    expect(get('data.constructor').ok).toBe(false);
    expect(get('data.__proto__').ok).toBe(false);
    expect(get('items.length').ok).toBe(false);
  });

  it('refuses malformed paths with a reason instead of guessing', () => {
    for (const p of ['items[', 'items[x]', 'data..steps', 'data.', '$data', 'items[0]total', 'a[1.5]']) {
      const r = parseJsonPath(p);
      expect(r.ok, p).toBe(false);
    }
    expect(parseJsonPath('a.b[0]["c"]')).toEqual({
      ok: true,
      segments: [
        { kind: 'key', key: 'a' },
        { kind: 'key', key: 'b' },
        { kind: 'index', index: 0 },
        { kind: 'key', key: 'c' },
      ],
    });
  });
});
