/**
 * Issue 13's "done when" scenarios, each against the real sandbox over loopback with the
 * real client, token manager, budget and outbox, on one virtual clock. Two installations
 * (separate data folders, same OAuth client, same account) write the same attribute and
 * day where the scenario needs another writer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { readScopes, virtualClock, writeScopes, type VirtualClock } from './harness';
import { drain, openInstallation, type Installation } from './installation';

const D = '2025-06-01';
const MEDIA = writeScopes(['media']);
const MEDIA_RW = [...MEDIA, ...readScopes(['media'])];
const inc = (delta: number, date = D) => ({ kind: 'increment' as const, name: 'pages_read', date, delta });

let open: { sandbox: Sandbox; installs: Installation[] }[] = [];
afterEach(async () => {
  for (const o of open) {
    for (const i of o.installs) await i.close();
    await o.sandbox.close();
  }
  open = [];
});

async function world(scopes: string[], n = 2, opts: Parameters<typeof startSandbox>[0] = {}) {
  const clock = virtualClock(Date.UTC(2025, 5, 1, 12, 0, 0));
  const sandbox = await startSandbox({ now: clock.now, timezone: 'UTC', ...opts });
  const installs: Installation[] = [];
  open.push({ sandbox, installs });
  for (let i = 0; i < n; i++) {
    installs.push(await openInstallation({ name: String.fromCharCode(65 + i), sandbox, clock, scopes }));
  }
  await installs[0]!.setupClient.acquire([{ template: 'pages_read' }]);
  return { clock, sandbox, installs };
}

const dayValue = (sandbox: Sandbox, date = D): number | string | undefined => {
  sandbox.admin.runLateApplies();
  return sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[date];
};

/** Lets every grace period and late apply pass, draining each installation. */
async function settle(clock: VirtualClock, installs: Installation[]): Promise<void> {
  for (const i of installs) await drain(i, clock);
  clock.advance(120_000);
  for (const i of installs) await drain(i, clock);
}

describe('several writers, late answers (issue 13)', () => {
  for (const [label, scopes] of [
    ['read scope', MEDIA_RW],
    ['write-only', MEDIA],
  ] as const) {
    it(`A +5, B +3, A +2 with A's answer lost ends at 10, flagged with the reason (${label})`, async () => {
      const { clock, sandbox, installs } = await world(scopes);
      const [a, b] = installs as [Installation, Installation];
      await a.outbox.enqueue(inc(5));
      await drain(a, clock);
      await b.outbox.enqueue(inc(3));
      await drain(b, clock);
      expect(dayValue(sandbox)).toBe(8);
      const lost = await a.outbox.enqueue(inc(2));
      sandbox.admin.failNext(1, { kind: 'drop-after' }, { pathPrefix: '/api/2/attributes/increment' });
      await settle(clock, installs);
      // The old recovery sent update(5 + 2) = 7 and erased B's +3.
      expect(dayValue(sandbox)).toBe(10);
      const flagged = a.outbox.snapshot().maybeDoubled;
      expect(flagged.map((i) => [i.id, i.flag?.code])).toEqual([[lost.id, 'other-writer']]);
      expect(flagged[0]!.flag!.message).toMatch(/showed 10 — neither 5 \(without it\) nor 7 \(with it\)/);
      const calls = sandbox.admin.getState().calls.filter((c) => c.path.startsWith('/api/2/attributes/update'));
      expect(calls).toHaveLength(0);
    });
  }

  it('a call Exist applies 30 s after the client gave up ends at 15, not 20 (late apply within the grace)', async () => {
    const { clock, sandbox, installs } = await world(MEDIA_RW, 1);
    const [a] = installs as [Installation];
    await a.outbox.enqueue(inc(10));
    await drain(a, clock);
    sandbox.admin.failNext(
      1,
      { kind: 'late-apply', delayMs: 30_000, answer: 'hang' },
      { pathPrefix: '/api/2/attributes/increment' },
    );
    await a.outbox.enqueue(inc(5));
    const r = await a.outbox.flush(); // the client times out; Exist applies it 30 s later
    expect(r.stopped?.reason).toBe('network');
    expect(dayValue(sandbox)).toBe(10);
    await settle(clock, installs);
    expect(dayValue(sandbox)).toBe(15);
    expect(a.outbox.snapshot().maybeDoubled).toHaveLength(0);
    expect(a.outbox.pending()).toHaveLength(0);
  });

  it('a late apply that lands while another writer writes is flagged with the numbers, never doubled silently', async () => {
    const { clock, sandbox, installs } = await world(MEDIA_RW);
    const [a, b] = installs as [Installation, Installation];
    await a.outbox.enqueue(inc(10));
    await drain(a, clock);
    sandbox.admin.failNext(1, { kind: 'late-apply', delayMs: 20_000 }, { pathPrefix: '/api/2/attributes/increment' });
    await a.outbox.enqueue(inc(5));
    await a.outbox.flush();
    await b.outbox.enqueue(inc(1));
    await drain(b, clock);
    await settle(clock, installs);
    expect(dayValue(sandbox)).toBe(16);
    expect(a.outbox.snapshot().maybeDoubled.map((i) => i.flag?.code)).toEqual(['other-writer']);
  });

  it('a refused object in a batch is failed and the applied one is not resent, when answers carry no date', async () => {
    const { clock, sandbox, installs } = await world(MEDIA_RW, 1);
    const [a] = installs as [Installation];
    await a.outbox.enqueue(inc(5, '2025-05-31'));
    await a.outbox.enqueue(inc(5, D));
    await drain(a, clock); // learns both days' totals (5 and 5)
    // One call, two objects of one attribute: a float on an integer is refused, +5 applies.
    await a.outbox.enqueue(inc(2.5, '2025-05-31'));
    await a.outbox.enqueue(inc(5, D));
    sandbox.admin.failNext(
      1,
      { kind: 'reshape', omitDates: true, reverse: true },
      { pathPrefix: '/api/2/attributes/increment' },
    );
    await settle(clock, installs);
    expect(dayValue(sandbox, D)).toBe(10); // applied once, checked, not resent (the old code ended at 15)
    expect(dayValue(sandbox, '2025-05-31')).toBe(5);
    const failed = a.outbox.failed();
    expect(failed.map((f) => [f.op.date, f.error?.code])).toEqual([['2025-05-31', 'validation']]);
    expect(a.outbox.snapshot().maybeDoubled).toHaveLength(0);
    const updates = sandbox.admin.getState().calls.filter((c) => c.path.startsWith('/api/2/attributes/update'));
    expect(updates).toHaveLength(0); // and not repaired by an overwrite either
  });

  it('a 429 without Retry-After resumes within minutes when the server allows it, and says when', async () => {
    const { clock, sandbox, installs } = await world(MEDIA_RW, 1);
    const [a] = installs as [Installation];
    await a.outbox.enqueue(inc(1));
    await drain(a, clock);
    const t0 = clock.now();
    sandbox.admin.failNext(2, { kind: 'status', status: 429, body: { detail: 'Rate limited until the next hour.' } });
    await a.outbox.enqueue(inc(1));
    const first = await a.outbox.flush();
    expect(first.stopped?.reason).toBe('rate-limited');
    expect(first.stopped?.retryAt).toBe(t0 + 60_000);
    expect(first.stopped?.message).toMatch(/tries again at \d\d:\d\d/);
    await drain(a, clock);
    expect(dayValue(sandbox)).toBe(2);
    expect(clock.now() - t0).toBeLessThanOrEqual(3 * 60_000); // 1 + 2 minutes of probing, not an hour
  });

  it('a real rate limit without Retry-After probes, then resumes at the next hour when the window resets', async () => {
    const { clock, sandbox, installs } = await world(MEDIA_RW, 1, {
      rateLimit: 6,
      rateWindow: 'clock-hour',
      rateLimitRetryAfter: false,
    });
    const [a] = installs as [Installation];
    clock.advanceTo(Date.UTC(2025, 5, 1, 12, 50));
    // Nine days a year apart: each needs its own read (one with-values read spans ≤ 31 days),
    // so the ten calls cannot fit in the hour's six.
    for (let d = 1; d <= 9; d++) await a.outbox.enqueue(inc(1, `${2015 + d}-05-01`));
    await drain(a, clock);
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2025, 5, 1, 13, 0));
    expect(clock.now()).toBeLessThan(Date.UTC(2025, 5, 1, 13, 5));
    expect(a.outbox.pending()).toHaveLength(0);
    // Probed at 12:5x (1, 2, 4 minutes, then capped at 13:00): a few refused calls, not one an hour.
    const refused = sandbox.admin.getState().calls.filter((c) => c.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeLessThanOrEqual(5);
  });

  it('the budget counts exactly what the server counts: reads, acquire, owned, templates, 401s and 429s', async () => {
    const { clock, sandbox, installs } = await world(MEDIA_RW, 1);
    const [a] = installs as [Installation];
    await a.client.getProfile();
    await a.client.listAllTemplates();
    await a.client.listAllOwned();
    await a.client.acquire([{ template: 'pages_read' }]);
    await a.outbox.enqueue(inc(4));
    await drain(a, clock); // a read, then the increment
    sandbox.admin.expireAllTokens(); // the next call is refused (401), refreshed, retried
    sandbox.admin.failNext(1, { kind: 'status', status: 429 });
    await a.outbox.enqueue(inc(1));
    await drain(a, clock);
    await a.client.getValues('pages_read', { limit: 5 });
    const server = sandbox.admin.countedCalls(await a.accessToken());
    expect(server.window).toBeGreaterThan(8);
    expect(a.budget.status().used).toBe(server.window);
  });

  it('write-only: lost increment answers end exact (the +0 probe checks the day), and unflagged', async () => {
    const { clock, sandbox, installs } = await world(MEDIA, 1);
    const [a] = installs as [Installation];
    sandbox.admin.failNext(1, { kind: 'drop-after' }, { pathPrefix: '/api/2/attributes/increment' }); // the first probe
    await a.outbox.enqueue(inc(5));
    await drain(a, clock);
    sandbox.admin.failNext(1, { kind: 'drop-after' }, { pathPrefix: '/api/2/attributes/increment' });
    await a.outbox.enqueue(inc(3));
    await settle(clock, installs);
    sandbox.admin.failNext(1, { kind: 'hang' }, { pathPrefix: '/api/2/attributes/increment' }); // not applied
    await a.outbox.enqueue(inc(2));
    await settle(clock, installs);
    expect(dayValue(sandbox)).toBe(10);
    expect(a.outbox.snapshot().maybeDoubled).toHaveLength(0);
  });
});
