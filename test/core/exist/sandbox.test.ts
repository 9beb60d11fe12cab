/** The typed client against the sandbox over real loopback HTTP, including injected faults. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index';
import type { Sandbox } from '../../../src/sandbox/index';
import { createExistClient, paginate, staticTokenProvider } from '../../../src/core/exist/client';
import type { ExistClient } from '../../../src/core/exist/client';
import { ExistError } from '../../../src/core/exist/errors';

let sbx: Sandbox;
let c: ExistClient;

beforeAll(async () => {
  sbx = await startSandbox({ timezone: 'Europe/London' });
  c = createExistClient({ baseUrl: sbx.url, auth: staticTokenProvider(sbx.personalToken), timeoutMs: 2_000 });
});
afterAll(async () => {
  await sbx.close();
});
beforeEach(() => sbx.admin.clearFaults());

async function caught(p: Promise<unknown>): Promise<ExistError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ExistError);
    return e as ExistError;
  }
  throw new Error('expected a rejection');
}

const incrementCalls = () => sbx.admin.getState().calls.filter((x) => x.path.startsWith('/api/2/attributes/increment'));
const pagesRead = (): Record<string, number | string> =>
  sbx.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values ?? {};
const total = (v: Record<string, number | string>) =>
  Object.values(v).reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0);

describe('client against the sandbox', () => {
  it('reads the profile and every template page', async () => {
    const p = await c.getProfile();
    expect(p.username).toBe('demo');
    expect(p.timezone).toBe('Europe/London');
    const all = await c.listAllTemplates({ includeLowPriority: true });
    const first = await c.getTemplates({ includeLowPriority: true, limit: 10 });
    expect(first.hasNext).toBe(true);
    expect(all).toHaveLength(first.count);
    // Small pages walked with the paging helper give the same list.
    const paged = await paginate((page) => c.getTemplates({ includeLowPriority: true, limit: 10, page }));
    expect(paged.map((t) => t.name)).toEqual(all.map((t) => t.name));
    expect(new Set(all.map((t) => t.name)).size).toBe(all.length);
    expect(all.find((t) => t.name === 'pages_read')).toMatchObject({ group: 'media', value_type: 0 });
    const media = await c.listAllTemplates({ groups: ['media'] });
    expect(media.length).toBeGreaterThan(0);
    expect(media.every((t) => t.group === 'media')).toBe(true);
  });

  it('acquires, increments (with current), updates and reads back', async () => {
    const acq = await c.acquire([{ template: 'pages_read' }]);
    expect(acq.failed).toEqual([]);
    const owned = await c.listAllOwned();
    expect(owned.map((a) => a.name)).toContain('pages_read');
    const inc1 = await c.increment([{ name: 'pages_read', value: 3, date: '2024-05-01' }]);
    const inc2 = await c.increment([{ name: 'pages_read', value: 4, date: '2024-05-01' }]);
    expect(inc2.status).toBe(200);
    expect(inc2.success[0]!.current).toBe((inc1.success[0]!.current ?? 0) + 4);
    await c.update([{ name: 'pages_read', date: '2024-05-02', value: 10 }]);
    const v = await c.getValues('pages_read', { dateMax: '2024-05-02', limit: 2 });
    expect(v.results[0]).toEqual({ date: '2024-05-02', value: 10 });
  });

  it('a batch with a bad object is a 202 with a per-item failure', async () => {
    await c.acquire([{ template: 'pages_read' }]);
    const r = await c.update([
      { name: 'pages_read', date: '2024-05-03', value: 5 },
      { name: 'pages_read', date: '2024-05-04', value: 'many' },
    ]);
    expect(r.status).toBe(202);
    expect(r.success).toHaveLength(1);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.error_code).toEqual(expect.any(String));
    expect(r.failed[0]!.date).toBe('2024-05-04');
  });

  it('a 500 on a POST is a server error that may have been applied', async () => {
    sbx.admin.failNext(1, { kind: 'status', status: 500 }, { pathPrefix: '/api/2/attributes/increment' });
    const e = await caught(c.increment([{ name: 'pages_read', value: 1 }]));
    expect(e.kind).toBe('server');
    expect(e.maybeApplied).toBe(true);
  });

  it('429 gives rate-limited with the Retry-After wait', async () => {
    sbx.admin.failNext(1, { kind: 'status', status: 429, retryAfterSeconds: 42 });
    const e = await caught(c.getProfile());
    expect(e.kind).toBe('rate-limited');
    expect(e.details.retryAfterMs).toBe(42_000);
  });

  it('a hung call times out; the write may have been applied', async () => {
    sbx.admin.failNext(1, { kind: 'hang' }, { pathPrefix: '/api/2/attributes/increment' });
    const quick = createExistClient({ baseUrl: sbx.url, auth: staticTokenProvider(sbx.personalToken), timeoutMs: 200 });
    const e = await caught(quick.increment([{ name: 'pages_read', value: 1 }]));
    expect(e.kind).toBe('timeout');
    expect(e.maybeApplied).toBe(true);
  });

  it('a connection dropped after the call was applied is a network error that may have been applied', async () => {
    await c.acquire([{ template: 'pages_read' }]);
    const before = total(pagesRead());
    sbx.admin.failNext(1, { kind: 'drop-after' }, { pathPrefix: '/api/2/attributes/increment' });
    const e = await caught(c.increment([{ name: 'pages_read', value: 2, date: '2024-06-01' }]));
    expect(e.kind).toBe('network');
    expect(e.maybeApplied).toBe(true);
    expect(total(pagesRead())).toBe(before + 2); // it really was applied
  });

  it('a connection dropped before applying cannot be told apart: still "maybe applied"', async () => {
    const n = incrementCalls().length;
    sbx.admin.failNext(1, { kind: 'drop-before' }, { pathPrefix: '/api/2/attributes/increment' });
    const e = await caught(c.increment([{ name: 'pages_read', value: 2 }]));
    expect(e.kind).toBe('network');
    expect(e.maybeApplied).toBe(true);
    expect(incrementCalls().length).toBe(n + 1);
  });

  it('a refused connection was certainly not applied', async () => {
    const gone = await startSandbox({});
    const url = gone.url;
    await gone.close();
    const dead = createExistClient({ baseUrl: url, auth: staticTokenProvider('x'), timeoutMs: 2_000 });
    const e = await caught(dead.increment([{ name: 'pages_read', value: 1 }]));
    expect(e.kind).toBe('network');
    expect(e.maybeApplied).toBe(false);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('a write-only token is forbidden from reading values', async () => {
    const t = sbx.issueToken(['media_write']);
    const w = createExistClient({ baseUrl: sbx.url, auth: staticTokenProvider(t.access_token) });
    const e = await caught(w.getValues('pages_read'));
    expect(['forbidden', 'not-found']).toContain(e.kind);
    expect(e.message).not.toContain(t.access_token);
  });
});
