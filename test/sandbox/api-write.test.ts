import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './helpers';

let ts: TestSandbox;
beforeEach(async () => {
  ts = await startTestSandbox();
});
afterEach(async () => {
  await ts.sb.close();
});

const attr = (name: string) => ts.sb.admin.getState().attributes.find((a) => a.name === name);

describe('whole-call errors of the write endpoints', () => {
  const endpoints = ['acquire', 'release', 'create', 'update', 'increment'];

  it('400 for a body that is not a JSON array, has a non-object element, or has more than 35 objects', async () => {
    for (const ep of endpoints) {
      const path = `/api/2/attributes/${ep}/`;
      expect((await ts.post(path, { name: 'x' })).status, ep).toBe(400);
      expect((await ts.post(path, [1, 2])).status, ep).toBe(400);
      expect((await ts.post(path, '[{"name":')).status, ep).toBe(400);
      const big = await ts.post(
        path,
        Array.from({ length: 36 }, (_, i) => ({ name: `a${i}` })),
      );
      expect(big.status, ep).toBe(400);
      expect(big.json.detail).toMatch(/35/);
    }
  });

  it('35 objects are accepted in one call', async () => {
    await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }]);
    const valid = Array.from({ length: 35 }, (_, i) => ({
      name: 'pages_read',
      date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
      value: i,
    }));
    const r = await ts.post('/api/2/attributes/update/', valid);
    expect(r.status).toBe(200);
    expect(r.json.success).toHaveLength(35);
    expect(attr('pages_read')?.values['2024-02-04']).toBe(34);
  });

  it('415 for a body not sent as application/json', async () => {
    const r = await ts.post('/api/2/attributes/update/', '[]', undefined, { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(415);
  });

  it('401 for missing, expired and revoked tokens; 403 when the token has no write scope at all', async () => {
    expect((await ts.post('/api/2/attributes/update/', [], null)).status).toBe(401);
    const t = ts.sb.issueToken(['media_write']);
    ts.sb.admin.expireAllTokens();
    expect((await ts.post('/api/2/attributes/update/', [], t.access_token)).status).toBe(401);
    const r = ts.sb.issueToken(['media_read']);
    const w = await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }], r.access_token);
    expect(w.status).toBe(403);
    expect(attr('pages_read')).toBeUndefined();
  });
});

describe('POST attributes/acquire/', () => {
  it('by template creates a missing attribute with the template type, owned by this client (the seed flow)', async () => {
    const w = ts.sb.issueToken(['media_write']);
    expect(attr('pages_read')).toBeUndefined();
    const r = await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }], w.access_token);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ success: [{ name: 'pages_read', active: true, template: 'pages_read' }], failed: [] });
    expect(attr('pages_read')).toMatchObject({
      value_type: 0,
      template: 'pages_read',
      group: 'media',
      owner: ts.sb.clientId,
      manual: false,
    });
    // acquiring again is fine
    expect((await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }], w.access_token)).status).toBe(
      200,
    );
  });

  it('success_objects=1 answers full attribute objects', async () => {
    const r = await ts.post('/api/2/attributes/acquire/?success_objects=1', [{ template: 'pages_read', manual: true }]);
    expect(r.json.success[0]).toMatchObject({
      name: 'pages_read',
      label: 'Pages read',
      template: 'pages_read',
      group: { name: 'media', label: 'Media' },
      service: { label: 'Exist Tray (sandbox)' },
      manual: true,
      value_type: 0,
      value_type_description: 'Integer',
    });
  });

  it('by template refuses a same-named attribute of another type; by name takes it whatever its type', async () => {
    const w = ts.sb.issueToken(['health_write']);
    const byTemplate = await ts.post('/api/2/attributes/acquire/', [{ template: 'meditation_min' }], w.access_token);
    expect(byTemplate.status).toBe(202);
    expect(byTemplate.json.success).toEqual([]);
    expect(byTemplate.json.failed).toEqual([
      { template: 'meditation_min', error_code: 'conflict', error: expect.stringMatching(/acquire it by name/) },
    ]);
    expect(attr('meditation_min')?.owner).toBeNull();

    const byName = await ts.post('/api/2/attributes/acquire/', [{ name: 'meditation_min' }], w.access_token);
    expect(byName.status).toBe(200);
    expect(attr('meditation_min')).toMatchObject({ owner: ts.sb.clientId, value_type: 5, template: null });
    // It is a percentage: an integer count is refused.
    const u = await ts.post(
      '/api/2/attributes/update/',
      [{ name: 'meditation_min', date: '2024-03-11', value: 20 }],
      w.access_token,
    );
    expect(u.json.failed[0].error_code).toBe('validation');
  });

  it('takes an attribute from the service that owned it', async () => {
    const r = await ts.post('/api/2/attributes/acquire/', [{ name: 'mood' }]);
    expect(r.status).toBe(200);
    expect(attr('mood')?.owner).toBe(ts.sb.clientId);
  });

  it('failed items: missing field, unknown template or name, missing write scope', async () => {
    const w = ts.sb.issueToken(['media_write']);
    const r = await ts.post(
      '/api/2/attributes/acquire/',
      [
        { template: 'pages_read' },
        {},
        { template: 'no_such' },
        { name: 'no_such' },
        { name: 'mood' },
        { template: 'mood' },
      ],
      w.access_token,
    );
    expect(r.status).toBe(202);
    expect(r.json.success).toHaveLength(1);
    expect(r.json.failed.map((f: { error_code: string }) => f.error_code)).toEqual([
      'missing_field',
      'not_found',
      'not_found',
      'unauthorised',
      'unauthorised',
    ]);
    expect(r.json.failed[2]).toMatchObject({ name: 'no_such', error: expect.any(String) });
    expect(attr('mood')?.owner).toBe('exist_android');
  });

  it('manual_write lets a client acquire a manual attribute of any group', async () => {
    const m = ts.sb.issueToken(['manual_write']);
    const r = await ts.post(
      '/api/2/attributes/acquire/',
      [{ name: 'coffees' }, { name: 'tired' }, { name: 'steps' }],
      m.access_token,
    );
    expect(r.status).toBe(202);
    expect(r.json.success.map((s: { name: string }) => s.name)).toEqual(['coffees', 'tired']);
    expect(r.json.failed[0]).toMatchObject({ name: 'steps', error_code: 'unauthorised' });
  });
});

describe('POST attributes/release/', () => {
  it('releases an owned attribute; releasing one it does not own fails for that item', async () => {
    await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }]);
    const r = await ts.post('/api/2/attributes/release/', [
      { name: 'pages_read' },
      { name: 'mood' },
      { name: 'nope' },
      {},
    ]);
    expect(r.status).toBe(202);
    expect(r.json.success).toEqual([{ name: 'pages_read' }]);
    expect(r.json.failed).toEqual([
      { name: 'mood', error_code: 'unauthorised', error: "Attribute 'mood' does not belong to this service" },
      { name: 'nope', error_code: 'not_found', error: expect.any(String) },
      { error_code: 'missing_field', error: expect.any(String) },
    ]);
    expect(attr('pages_read')?.owner).toBeNull();
    const u = await ts.post('/api/2/attributes/update/', [{ name: 'pages_read', date: '2024-03-11', value: 3 }]);
    expect(u.json.failed[0].error_code).toBe('unauthorised');
  });
});

describe('POST attributes/create/', () => {
  it('custom attribute: name slugified from the label, manual by default, owned by the client', async () => {
    const w = ts.sb.issueToken(['media_write']);
    const r = await ts.post(
      '/api/2/attributes/create/',
      [{ label: 'Time reading', group: 'media', value_type: 3 }],
      w.access_token,
    );
    expect(r.status).toBe(200);
    expect(r.json.success[0]).toMatchObject({ name: 'time_reading', label: 'Time reading', value_type: 3 });
    expect(attr('time_reading')).toMatchObject({ template: null, manual: true, owner: ts.sb.clientId, group: 'media' });
    const sync = await ts.post('/api/2/attributes/create/?success_objects=1', [
      { label: 'Café visits!', group: 'food', value_type: 0, manual: false },
    ]);
    expect(sync.json.success[0]).toMatchObject({
      name: 'cafe_visits',
      manual: false,
      value_type_description: 'Integer',
      group: { name: 'food' },
    });
  });

  it('a duplicate create fails; value type 6 cannot be created; missing and invalid fields fail per item', async () => {
    await ts.post('/api/2/attributes/create/', [{ label: 'Time reading', group: 'media', value_type: 3 }]);
    const r = await ts.post('/api/2/attributes/create/', [
      { label: 'Time  reading', group: 'media', value_type: 3 },
      { label: 'Nap start', group: 'sleep', value_type: 6 },
      { group: 'media', value_type: 0 },
      { label: 'X', value_type: 0 },
      { label: 'Y', group: 'media' },
      { label: 'Z', group: 'nope', value_type: 0 },
      { label: 'W', group: 'media', value_type: 9 },
      { label: '🙂', group: 'media', value_type: 0 },
      { template: 'mood' },
      { template: 'not_a_template' },
    ]);
    expect(r.status).toBe(202);
    expect(r.json.success).toEqual([]);
    expect(r.json.failed.map((f: { error_code: string }) => f.error_code)).toEqual([
      'exists',
      'validation',
      'missing_field',
      'missing_field',
      'missing_field',
      'validation',
      'validation',
      'validation',
      'exists',
      'not_found',
    ]);
    expect(r.json.failed[1]).toMatchObject({ label: 'Nap start', value_type: 6 });
  });

  it('create by template uses the template type; needs the group write scope', async () => {
    const w = ts.sb.issueToken(['sleep_write']);
    const r = await ts.post(
      '/api/2/attributes/create/',
      [{ template: 'sleep_end' }, { label: 'Books', group: 'media', value_type: 0 }],
      w.access_token,
    );
    expect(r.status).toBe(202);
    expect(attr('sleep_end')).toMatchObject({ value_type: 4, template: 'sleep_end' });
    expect(r.json.failed[0]).toMatchObject({ label: 'Books', error_code: 'unauthorised' });
    expect(attr('books')).toBeUndefined();
  });
});

describe('POST attributes/update/', () => {
  beforeEach(async () => {
    await ts.post('/api/2/attributes/acquire/', [
      { template: 'pages_read' },
      { name: 'mood' },
      { name: 'mood_note' },
      { name: 'tired' },
      { name: 'meditation_min' },
      { name: 'coffees' },
    ]);
    await ts.post('/api/2/attributes/create/', [
      { template: 'sleep_end' },
      { template: 'sleep_start' },
      { template: 'money_spent' },
    ]);
  });

  it('sets the day total (overwriting) and answers 200 with the objects sent', async () => {
    const body = [{ name: 'pages_read', date: '2024-03-11', value: 12 }];
    const r = await ts.post('/api/2/attributes/update/', body);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ success: body, failed: [] });
    await ts.post('/api/2/attributes/update/', [{ name: 'pages_read', date: '2024-03-11', value: 5 }]);
    expect(attr('pages_read')?.values['2024-03-11']).toBe(5);
  });

  it('validates values by type', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['pages_read', 2.5, /^Cannot apply a float to an integer type$/],
      ['pages_read', '3', /string/],
      ['mood', 10, /1 and 9/],
      ['mood', 0, /1 and 9/],
      ['tired', 2, /0 or 1/],
      ['meditation_min', 1.5, /0\.0 and 1\.0/],
      ['sleep_end', 1440, /0 to 1439/],
      ['sleep_end', -1, /0 to 1439/],
      ['sleep_start', 2000, /midday/],
      ['mood_note', 'x'.repeat(1001), /1000/],
      ['mood_note', 5, /string type/],
      ['money_spent', 'ten', /float/],
      ['coffees', true, /boolean/],
    ];
    for (const [name, value, error] of cases) {
      const r = await ts.post('/api/2/attributes/update/', [{ name, date: '2024-03-11', value }]);
      expect(r.status, `${name}=${String(value)}`).toBe(202);
      expect(r.json.failed[0]).toMatchObject({ name, value, error_code: 'validation' });
      expect(r.json.failed[0].error, name).toMatch(error);
    }
    const ok = await ts.post('/api/2/attributes/update/', [
      { name: 'mood', date: '2024-03-11', value: 9 },
      { name: 'tired', date: '2024-03-11', value: 1 },
      { name: 'meditation_min', date: '2024-03-11', value: 0.25 },
      { name: 'sleep_end', date: '2024-03-11', value: 1439 },
      { name: 'mood_note', date: '2024-03-11', value: 'x'.repeat(1000) },
      { name: 'money_spent', date: '2024-03-11', value: 12 },
    ]);
    expect(ok.status).toBe(200);
  });

  it('a non-null value cannot be set back to null (an empty day can stay empty)', async () => {
    await ts.post('/api/2/attributes/update/', [{ name: 'pages_read', date: '2024-03-11', value: 4 }]);
    const r = await ts.post('/api/2/attributes/update/', [
      { name: 'pages_read', date: '2024-03-11', value: null },
      { name: 'pages_read', date: '2024-03-01', value: null },
    ]);
    expect(r.status).toBe(202);
    expect(r.json.failed).toEqual([
      {
        name: 'pages_read',
        date: '2024-03-11',
        value: null,
        error_code: 'validation',
        error: expect.stringMatching(/null/),
      },
    ]);
    expect(attr('pages_read')?.values['2024-03-11']).toBe(4);
  });

  it('missing fields, bad dates, unknown and unowned attributes fail per item; the rest succeed (202)', async () => {
    const r = await ts.post('/api/2/attributes/update/', [
      { name: 'pages_read', date: '2024-03-11', value: 1 },
      { date: '2024-03-11', value: 1 },
      { name: 'pages_read', value: 1 },
      { name: 'pages_read', date: '2024-03-11' },
      { name: 'pages_read', date: '11/03/2024', value: 1 },
      { name: 'pages_read', date: '2024-02-30', value: 1 },
      { name: 'nope', date: '2024-03-11', value: 1 },
      { name: 'steps', date: '2024-03-11', value: 1 },
    ]);
    expect(r.status).toBe(202);
    expect(r.json.success).toEqual([{ name: 'pages_read', date: '2024-03-11', value: 1 }]);
    expect(r.json.failed.map((f: { error_code: string }) => f.error_code)).toEqual([
      'missing_field',
      'missing_field',
      'missing_field',
      'validation',
      'validation',
      'not_found',
      'unauthorised',
    ]);
    expect(r.json.failed[6]).toEqual({
      name: 'steps',
      date: '2024-03-11',
      value: 1,
      error_code: 'unauthorised',
      error: "Attribute 'steps' does not belong to this service",
    });
    expect(attr('steps')?.values['2024-03-11']).toBe(8234);
  });

  it("an owned attribute outside the token's write scopes fails with unauthorised", async () => {
    const w = ts.sb.issueToken(['media_write']);
    const r = await ts.post(
      '/api/2/attributes/update/',
      [{ name: 'mood', date: '2024-03-11', value: 5 }],
      w.access_token,
    );
    expect(r.json.failed[0]).toMatchObject({ error_code: 'unauthorised', error: expect.stringMatching(/mood_write/) });
  });
});

describe('POST attributes/increment/', () => {
  beforeEach(async () => {
    await ts.post('/api/2/attributes/acquire/', [
      { template: 'pages_read' },
      { name: 'mood' },
      { name: 'mood_note' },
      { name: 'coffees' },
      { name: 'tired' },
      { name: 'meditation_min' },
    ]);
    await ts.post('/api/2/attributes/create/', [{ template: 'sleep_end' }, { template: 'money_spent' }]);
  });

  it("adds to the day's total and answers current; date defaults to the user's today in their timezone", async () => {
    // UTC date is 2024-03-10; in Pacific/Kiritimati it is already 2024-03-11.
    const r1 = await ts.post('/api/2/attributes/increment/', [{ name: 'pages_read', value: 3 }]);
    expect(r1.status).toBe(200);
    expect(r1.json.success).toEqual([{ name: 'pages_read', value: 3, date: '2024-03-11', current: 3 }]);
    const r2 = await ts.post('/api/2/attributes/increment/', [
      { name: 'pages_read', value: 2 },
      { name: 'pages_read', value: -1, date: '2024-03-11' },
      { name: 'coffees', value: 1 },
    ]);
    expect(r2.json.success.map((s: { current: number }) => s.current)).toEqual([5, 4, 3]);
    expect(attr('pages_read')?.values).toEqual({ '2024-03-11': 4 });
    const m = await ts.post('/api/2/attributes/increment/', [{ name: 'money_spent', value: 2.5 }]);
    expect(m.json.success[0].current).toBe(2.5);
  });

  it('the default date follows the clock across midnight in the user timezone', async () => {
    ts.clock.t = Date.parse('2024-03-11T09:59:59Z'); // 23:59:59 in Kiritimati
    await ts.post('/api/2/attributes/increment/', [{ name: 'pages_read', value: 1 }]);
    ts.clock.t = Date.parse('2024-03-11T10:00:00Z'); // 00:00 on the 12th
    await ts.post('/api/2/attributes/increment/', [{ name: 'pages_read', value: 1 }]);
    expect(attr('pages_read')?.values).toEqual({ '2024-03-11': 1, '2024-03-12': 1 });
  });

  it('is refused for string, scale, time of day (and other non-quantity) types; values are type-checked', async () => {
    const r = await ts.post('/api/2/attributes/increment/', [
      { name: 'mood_note', value: 1 },
      { name: 'mood', value: 1 },
      { name: 'sleep_end', value: 1 },
      { name: 'tired', value: 1 },
      { name: 'meditation_min', value: 1 },
      { name: 'pages_read', value: 1.5 },
      { name: 'pages_read' },
      { value: 1 },
      { name: 'steps', value: 1 },
      { name: 'pages_read', value: 1, date: 'today' },
    ]);
    expect(r.status).toBe(202);
    expect(r.json.success).toEqual([]);
    expect(r.json.failed.map((f: { error_code: string }) => f.error_code)).toEqual([
      'validation',
      'validation',
      'validation',
      'validation',
      'validation',
      'validation',
      'missing_field',
      'missing_field',
      'unauthorised',
      'validation',
    ]);
    expect(r.json.failed[5].error).toBe('Cannot apply a float to an integer type');
    expect(attr('pages_read')?.values).toEqual({});
    expect(attr('mood')?.values['2024-03-11']).toBe(7);
  });
});
