import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './helpers';

const templatesFile = JSON.parse(
  readFileSync(new URL('../../src/sandbox/exist-templates.json', import.meta.url), 'utf8'),
) as {
  templates: Array<{ name: string; group: string; value_type: number }>;
};

let ts: TestSandbox;
beforeAll(async () => {
  ts = await startTestSandbox();
});
afterAll(async () => {
  await ts.sb.close();
});

const names = (r: { json: { results: Array<{ name: string }> } }): string[] => r.json.results.map((a) => a.name);

describe('authentication', () => {
  it('401 with a JSON error for a missing, unknown or non-Bearer token', async () => {
    const missing = await ts.get('/api/2/accounts/profile/', null);
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const unknown = await ts.get('/api/2/accounts/profile/', 'f'.repeat(40));
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ detail: 'Invalid token.' });
    const basic = await fetch(`${ts.sb.url}/api/2/accounts/profile/`, {
      headers: { Authorization: `Token ${ts.sb.personalToken}` },
    });
    expect(basic.status).toBe(401);
  });

  it('404 for unknown API paths, 405 for the wrong method', async () => {
    expect((await ts.get('/api/2/nothing/')).status).toBe(404);
    expect((await ts.get('/api/1/attributes/')).status).toBe(404);
    const r = await ts.post('/api/2/accounts/profile/', []);
    expect(r.status).toBe(405);
    expect(r.json.detail).toMatch(/POST/);
    expect((await ts.get('/api/2/attributes/update/')).status).toBe(405);
  });
});

describe('GET accounts/profile', () => {
  it('answers the documented fields with a token that has no scope, with or without the trailing slash', async () => {
    const t = ts.sb.issueToken([]);
    for (const path of ['/api/2/accounts/profile/', '/api/2/accounts/profile']) {
      const r = await ts.get(path, t.access_token);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        username: 'demo',
        first_name: 'Demo',
        last_name: 'User',
        avatar: expect.stringMatching(/^http:\/\//),
        timezone: 'Pacific/Kiritimati',
        local_time: '2024-03-11T00:00:00+14:00',
        imperial_distance: false,
        imperial_weight: false,
        imperial_energy: false,
        imperial_liquid: false,
        imperial_temperature: false,
        trial: false,
        delinquent: false,
      });
    }
  });
});

describe('GET attributes/templates', () => {
  it('lists every template in the file with a readable label, paged', async () => {
    const first = await ts.get('/api/2/attributes/templates/?limit=100');
    expect(first.status).toBe(200);
    expect(first.json.count).toBe(templatesFile.templates.length);
    const all = first.json.results as Array<{
      name: string;
      label: string;
      group: { name: string };
      value_type: number;
    }>;
    const pages = all.find((t) => t.name === 'pages_read');
    expect(pages).toMatchObject({ label: 'Pages read', group: { name: 'media', label: 'Media' }, value_type: 0 });
    expect(all.find((t) => t.name === 'tv_min')?.label).toBe('TV minutes');
    expect(new Set(all.map((t) => t.name))).toEqual(new Set(templatesFile.templates.map((t) => t.name)));
  });

  it('filters by groups', async () => {
    const r = await ts.get('/api/2/attributes/templates/?groups=media,mood');
    const expected = templatesFile.templates.filter((t) => t.group === 'media' || t.group === 'mood').length;
    expect(r.json.count).toBe(expected);
    expect(new Set(r.json.results.map((t: { group: { name: string } }) => t.group.name))).toEqual(
      new Set(['mood', 'media']),
    );
  });
});

describe('paging (DRF style)', () => {
  it('count/next/previous with absolute URLs; page 1 links drop the page parameter', async () => {
    const p1 = await ts.get('/api/2/attributes/templates/?limit=10');
    expect(p1.json.results).toHaveLength(10);
    expect(p1.json.previous).toBeNull();
    expect(p1.json.next).toBe(`${ts.sb.url}/api/2/attributes/templates/?limit=10&page=2`);
    const p2 = await ts.get(new URL(p1.json.next).pathname + new URL(p1.json.next).search);
    expect(p2.json.previous).toBe(`${ts.sb.url}/api/2/attributes/templates/?limit=10`);
    expect(p2.json.results[0].name).not.toBe(p1.json.results[0].name);
    const lastPage = Math.ceil(p1.json.count / 10);
    const last = await ts.get(`/api/2/attributes/templates/?limit=10&page=${lastPage}`);
    expect(last.json.next).toBeNull();
    expect(last.json.results.length).toBe(p1.json.count - (lastPage - 1) * 10);
  });

  it('404 "Invalid page." past the end or for a non-number; limit is clamped to 100', async () => {
    expect((await ts.get('/api/2/attributes/templates/?page=999')).json).toEqual({ detail: 'Invalid page.' });
    expect((await ts.get('/api/2/attributes/templates/?page=0')).status).toBe(404);
    expect((await ts.get('/api/2/attributes/templates/?page=x')).status).toBe(404);
    const big = await ts.get('/api/2/attributes/values/?attribute=steps&limit=500&date_max=2024-12-31');
    expect(big.json.results).toHaveLength(100);
  });
});

describe('GET attributes/', () => {
  it('shows only attributes the token may read (group read scope, or manual_read for manual ones)', async () => {
    const mood = ts.sb.issueToken(['mood_read']);
    expect(names(await ts.get('/api/2/attributes/', mood.access_token))).toEqual(['mood', 'mood_note']);
    const manual = ts.sb.issueToken(['manual_read']);
    expect(names(await ts.get('/api/2/attributes/', manual.access_token)).sort()).toEqual([
      'coffees',
      'meditation_min',
      'tired',
    ]);
    const writeOnly = ts.sb.issueToken(['mood_write', 'media_write']);
    expect((await ts.get('/api/2/attributes/', writeOnly.access_token)).json.count).toBe(0);
  });

  it('has the documented attribute shape, sorted by group then attribute priority', async () => {
    const r = await ts.get('/api/2/attributes/?limit=100');
    const list = r.json.results as Array<
      Record<string, unknown> & { name: string; priority: number; group: { priority: number } }
    >;
    const mood = list.find((a) => a.name === 'mood');
    expect(mood).toEqual({
      template: 'mood',
      name: 'mood',
      label: 'Mood',
      group: { name: 'mood', label: 'Mood', priority: 3 },
      service: { name: 'exist_android', label: 'Exist for Android' },
      active: true,
      priority: expect.any(Number),
      manual: false,
      value_type: 8,
      value_type_description: 'Integer scale (between 1 and 9)',
      available_services: [{ name: 'exist_android', label: 'Exist for Android' }],
    });
    const prios = list.map((a) => [a.group.priority, a.priority] as [number, number]);
    const sorted = [...prios].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(prios).toEqual(sorted);
    expect(list.find((a) => a.name === 'meditation_min')).toMatchObject({
      template: null,
      manual: true,
      value_type: 5,
      service: null,
    });
  });

  it('filters: groups, attributes, manual, exclude_custom, include_inactive', async () => {
    expect(names(await ts.get('/api/2/attributes/?groups=activity,sleep'))).toEqual(['steps', 'sleep']);
    expect(names(await ts.get('/api/2/attributes/?attributes=mood,tired'))).toEqual(['mood', 'tired']);
    expect(names(await ts.get('/api/2/attributes/?manual=true')).sort()).toEqual([
      'coffees',
      'meditation_min',
      'tired',
    ]);
    expect(names(await ts.get('/api/2/attributes/?manual=false'))).not.toContain('coffees');
    const noCustom = names(await ts.get('/api/2/attributes/?exclude_custom=true'));
    expect(noCustom).not.toContain('tired');
    expect(noCustom).not.toContain('meditation_min');
    expect(noCustom).toContain('mood');
    expect(names(await ts.get('/api/2/attributes/?limit=100'))).not.toContain('floors');
    expect(names(await ts.get('/api/2/attributes/?include_inactive=true&limit=100'))).toContain('floors');
    expect((await ts.get('/api/2/attributes/?manual=maybe')).status).toBe(400);
  });

  it('owned=true keeps the attributes this client owns', async () => {
    const own = await startTestSandbox();
    try {
      expect((await own.get('/api/2/attributes/?owned=true')).json.count).toBe(0);
      await own.post('/api/2/attributes/acquire/', [{ name: 'mood' }]);
      expect(names(await own.get('/api/2/attributes/?owned=true'))).toEqual(['mood']);
    } finally {
      await own.sb.close();
    }
  });
});

describe('GET attributes/owned/', () => {
  it("lists this client's attributes without values, even for a write-only token", async () => {
    const own = await startTestSandbox();
    try {
      const w = own.sb.issueToken(['media_write']);
      expect((await own.get('/api/2/attributes/owned/', w.access_token)).json.count).toBe(0);
      expect((await own.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }], w.access_token)).status).toBe(
        200,
      );
      const r = await own.get('/api/2/attributes/owned/', w.access_token);
      expect(names(r)).toEqual(['pages_read']);
      expect(r.json.results[0].values).toBeUndefined();
      expect(r.json.results[0].service).toEqual({ name: 'exist_tray_sandbox', label: 'Exist Tray (sandbox)' });
      expect((await own.get('/api/2/attributes/owned/?groups=mood', w.access_token)).json.count).toBe(0);
    } finally {
      await own.sb.close();
    }
  });
});

describe('GET attributes/with-values/', () => {
  it("defaults to 1 day: the user's today in their timezone", async () => {
    const r = await ts.get('/api/2/attributes/with-values/?attributes=mood');
    expect(r.json.results[0].values).toEqual([{ date: '2024-03-11', value: 7 }]);
  });

  it('days (max 31) and date_max, newest first, null where there is no data', async () => {
    const r = await ts.get('/api/2/attributes/with-values/?attributes=sleep&days=9');
    const v = r.json.results[0].values as Array<{ date: string; value: number | null }>;
    expect(v).toHaveLength(9);
    expect(v[0]).toEqual({ date: '2024-03-11', value: 452 });
    expect(v[8]).toEqual({ date: '2024-03-03', value: null });
    const back = await ts.get('/api/2/attributes/with-values/?attributes=mood&days=2&date_max=2024-03-10');
    expect(back.json.results[0].values).toEqual([
      { date: '2024-03-10', value: 6 },
      { date: '2024-03-09', value: 8 },
    ]);
    expect((await ts.get('/api/2/attributes/with-values/?days=32')).status).toBe(400);
    expect((await ts.get('/api/2/attributes/with-values/?days=0')).status).toBe(400);
    expect((await ts.get('/api/2/attributes/with-values/?date_max=2024-02-30')).status).toBe(400);
  });

  it('is read-scope filtered and supports templates and manual filters', async () => {
    const t = ts.sb.issueToken(['sleep_read', 'manual_read']);
    expect(names(await ts.get('/api/2/attributes/with-values/', t.access_token)).sort()).toEqual([
      'coffees',
      'meditation_min',
      'sleep',
      'tired',
    ]);
    expect(
      names(await ts.get('/api/2/attributes/with-values/?templates=coffees,sleep', t.access_token)).sort(),
    ).toEqual(['coffees', 'sleep']);
    expect(names(await ts.get('/api/2/attributes/with-values/?manual=false', t.access_token))).toEqual(['sleep']);
  });
});

describe('GET attributes/values/', () => {
  it('one attribute, newest first, with limit, page and date_max', async () => {
    const r = await ts.get('/api/2/attributes/values/?attribute=steps&limit=3');
    expect(r.status).toBe(200);
    expect(r.json.results).toEqual([
      { date: '2024-03-11', value: 8234 },
      { date: '2024-03-10', value: 10412 },
      { date: '2024-03-09', value: 6120 },
    ]);
    expect(r.json.count).toBe(31);
    const p2 = await ts.get('/api/2/attributes/values/?attribute=steps&limit=3&page=2');
    expect(p2.json.results[0]).toEqual({ date: '2024-03-08', value: 12877 });
    const dm = await ts.get('/api/2/attributes/values/?attribute=steps&limit=1&date_max=2024-03-10');
    expect(dm.json.results).toEqual([{ date: '2024-03-10', value: 10412 }]);
    const old = await ts.get('/api/2/attributes/values/?attribute=steps&limit=100');
    expect(old.json.results.at(-1).value).toBeNull();
  });

  it('400 without attribute, 404 for an unknown one, 403 without a read scope', async () => {
    expect((await ts.get('/api/2/attributes/values/')).status).toBe(400);
    expect((await ts.get('/api/2/attributes/values/?attribute=nope')).status).toBe(404);
    const w = ts.sb.issueToken(['activity_write']);
    const r = await ts.get('/api/2/attributes/values/?attribute=steps', w.access_token);
    expect(r.status).toBe(403);
    expect(r.json.detail).toMatch(/activity_read/);
  });
});
