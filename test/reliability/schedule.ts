/**
 * One seeded fault schedule: the real outbox, rate budget, token manager and Exist client
 * against the real sandbox over loopback, all on one virtual clock. Rounds of random
 * writes (increments and totals over several attributes and days) are queued — some
 * while a send is in flight — and flushed while the sandbox injects faults picked by
 * the seed: 5xx, 429 (with and without Retry-After), hangs (the client times out),
 * connections dropped before and after the call is applied, every token expiring
 * mid-send (→ refresh), and a refresh failing. At the end the sandbox must hold
 * exactly what the user asked for.
 */
import { createTokenManager } from '../../src/core/auth/token-manager';
import { createExistClient } from '../../src/core/exist/client';
import { createOutbox } from '../../src/core/outbox/index';
import type { OutboxOp } from '../../src/core/outbox/types';
import { createRateBudget } from '../../src/core/rate/budget';
import { startSandbox, type SandboxFault } from '../../src/sandbox';
import {
  Ledger,
  SUITE_ATTRIBUTES,
  accountFor,
  datesBack,
  existWriteApi,
  flagCollector,
  memoryAccountStore,
  pick,
  prng,
  randInt,
  randomOp,
  readScopes,
  tempDir,
  virtualClock,
  writeScopes,
} from './harness';

export interface ScheduleOptions {
  seed: number;
  /** Writes to queue in total. */
  writes: number;
  /** With `*_read` scopes the outbox learns each day's total first and must be exact. */
  readScope: boolean;
  /** Client timeout; a hang costs this much real time. */
  timeoutMs?: number;
  /** Chance that a flush attempt meets a fault. */
  faultRate?: number;
  /** Days the writes spread over (more days: more first increments with no known total). */
  days?: number;
}

export interface ScheduleResult {
  seed: number;
  writes: number;
  faults: number;
  faultKinds: Record<string, number>;
  lost: number;
  /** Days above the intended value that the outbox did NOT flag. */
  doubled: number;
  /** Days above the intended value, all flagged "may have counted twice" (write-only policy). */
  flaggedDoubled: number;
  /** Items the outbox flagged (a flag is a warning, not a double). */
  flaggedItems: number;
  failedItems: number;
  calls: number;
  problems: string[];
  line: string;
}

type Injection =
  | { kind: 'fault'; fault: SandboxFault; label: string; pathPrefix?: string }
  | { kind: 'expire' }
  | { kind: 'expire-and-refresh-fails'; status: number };

function pickInjection(rand: () => number): Injection {
  const r = rand();
  const writePath = (): string | undefined =>
    rand() < 0.5 ? pick(rand, ['/api/2/attributes/increment', '/api/2/attributes/update']) : undefined;
  const withPath = (i: Injection & { kind: 'fault' }): Injection => {
    const p = writePath();
    return p === undefined ? i : { ...i, pathPrefix: p };
  };
  if (r < 0.18) {
    const status = pick(rand, [500, 502, 503, 504]);
    return withPath({ kind: 'fault', fault: { kind: 'status', status }, label: `http-${status}` });
  }
  if (r < 0.3) {
    const fault: SandboxFault =
      rand() < 0.5
        ? { kind: 'status', status: 429, retryAfterSeconds: randInt(rand, 1, 900) }
        : { kind: 'status', status: 429 };
    return withPath({ kind: 'fault', fault, label: 'http-429' });
  }
  if (r < 0.42) return withPath({ kind: 'fault', fault: { kind: 'hang' }, label: 'hang' });
  if (r < 0.56) return withPath({ kind: 'fault', fault: { kind: 'drop-before' }, label: 'drop-before' });
  if (r < 0.84) return withPath({ kind: 'fault', fault: { kind: 'drop-after' }, label: 'drop-after' });
  if (r < 0.94) return { kind: 'expire' };
  return { kind: 'expire-and-refresh-fails', status: pick(rand, [500, 503]) };
}

/** Runs one schedule; never throws for a fault, only for a harness problem (a drain that never ends). */
export async function runSchedule(opts: ScheduleOptions): Promise<ScheduleResult> {
  const rand = prng(opts.seed);
  const faultRate = opts.faultRate ?? 0.5;
  const clock = virtualClock(Date.UTC(2025, 5, 1, 12));
  const sandbox = await startSandbox({ now: clock.now, timezone: 'UTC' });
  const { dir, cleanup } = tempDir('exist-rel-faults-');
  try {
    const groups = SUITE_ATTRIBUTES.map((a) => a.group);
    const scopes = opts.readScope ? [...writeScopes(groups), ...readScopes(groups)] : writeScopes(groups);
    const pair = sandbox.issueToken(scopes);
    const store = memoryAccountStore(accountFor(sandbox, pair, scopes, clock.now()));
    const timeoutMs = opts.timeoutMs ?? 250;
    const oauth = createExistClient({ baseUrl: sandbox.url, timeoutMs: 5_000 });
    const tokens = createTokenManager({ store, oauth, clock });
    const client = createExistClient({ baseUrl: sandbox.url, timeoutMs, auth: tokens });
    // Set-up is not under test: a slow first answer on a busy machine must not fail it.
    const setupClient = createExistClient({ baseUrl: sandbox.url, timeoutMs: 5_000, auth: tokens });
    const acquired = await setupClient.acquire(SUITE_ATTRIBUTES.map((a) => ({ template: a.name })));
    if (acquired.failed.length > 0) throw new Error(`acquire failed: ${JSON.stringify(acquired.failed)}`);

    const budget = createRateBudget({ clock, random: rand });
    const flags = flagCollector();
    const outbox = await createOutbox({
      dir,
      api: existWriteApi(client),
      clock,
      budget,
      random: rand,
      keepSynced: 100_000,
      compactEvery: 2_000,
      onEvent: (e) => {
        if (e.type === 'item') flags.onItem(e.item);
      },
    });

    const ledger = new Ledger();
    const dates = datesBack(opts.days ?? 90);
    let expiries = 0;
    let failedItems = 0;

    const enqueueAll = async (ops: OutboxOp[]): Promise<void> => {
      // Queued together (one group commit), in order: seq follows the array.
      const items = await Promise.all(ops.map((op) => outbox.enqueue(op)));
      items.forEach((it, i) => ledger.record(ops[i]!, it.id));
    };
    const batch = (n: number): OutboxOp[] => Array.from({ length: n }, () => randomOp(rand, SUITE_ATTRIBUTES, dates));

    const inject = (): void => {
      if (rand() >= faultRate) return;
      const inj = pickInjection(rand);
      switch (inj.kind) {
        case 'fault':
          sandbox.admin.failNext(
            1,
            inj.fault,
            inj.pathPrefix === undefined ? undefined : { pathPrefix: inj.pathPrefix },
          );
          return;
        case 'expire':
          sandbox.admin.expireAllTokens();
          expiries++;
          return;
        case 'expire-and-refresh-fails':
          sandbox.admin.expireAllTokens();
          sandbox.admin.failNext(1, { kind: 'status', status: inj.status }, { pathPrefix: '/oauth2/access_token' });
          expiries++;
          return;
      }
    };

    const drain = async (allowConcurrent: boolean): Promise<void> => {
      for (let attempt = 0; attempt < 400; attempt++) {
        inject();
        const p = outbox.flush();
        if (allowConcurrent && ledger.writes < opts.writes && rand() < 0.3) {
          // Clicks while a call is in the air: they coalesce into what is sent next.
          await enqueueAll(batch(Math.min(randInt(rand, 1, 8), opts.writes - ledger.writes)));
        }
        const r = await p;
        failedItems = outbox.failed().length;
        if (failedItems > 0) return; // reported by the caller: nothing may end up failed here
        const s = outbox.snapshot();
        if (!r.stopped && s.pending.length === 0 && s.sending.length === 0) return;
        if (r.stopped?.reason === 'auth' || r.stopped?.reason === 'journal') {
          throw new Error(`flush stopped for good (${r.stopped.reason}): ${r.stopped.message}`);
        }
        // Wait (in virtual time) as long as the outbox asked: backoff, 429 pause, rolling budget.
        clock.advanceTo(r.stopped?.retryAt ?? clock.now() + 1_000);
      }
      throw new Error(`seed ${opts.seed}: the outbox did not drain in 400 attempts`);
    };

    while (ledger.writes < opts.writes) {
      await enqueueAll(batch(Math.min(randInt(rand, 2, 30), opts.writes - ledger.writes)));
      await drain(true);
      if (failedItems > 0) break;
      clock.advance(randInt(rand, 1_000, 120_000));
    }
    // Nothing left to fire: the last sends go through cleanly.
    sandbox.admin.clearFaults();
    if (failedItems === 0) await drain(false);
    await outbox.close();

    const state = sandbox.admin.getState();
    const faultKinds: Record<string, number> = {};
    let dropAfter = 0;
    for (const c of state.calls) {
      if (c.fault === undefined) continue;
      const label =
        c.fault === 'status' ? `http-${c.status}${c.path.startsWith('/oauth2/') ? '-refresh' : ''}` : c.fault;
      faultKinds[label] = (faultKinds[label] ?? 0) + 1;
      if (c.fault === 'drop-after') dropAfter++;
    }
    if (expiries > 0) faultKinds['token-expired'] = expiries;
    const faults = Object.values(faultKinds).reduce((a, b) => a + b, 0);
    // A flagged increment is resent once per lost answer; only drop-after (and a real timeout) can apply it.
    const cmp = ledger.compare(state, flags.ids, Math.max(1, dropAfter + 1));
    const line = `writes: ${ledger.writes}, faults: ${faults}, lost: ${cmp.lost}, doubled: ${cmp.doubled}`;
    return {
      seed: opts.seed,
      writes: ledger.writes,
      faults,
      faultKinds,
      lost: cmp.lost,
      doubled: cmp.doubled,
      flaggedDoubled: cmp.flaggedDoubled,
      flaggedItems: flags.ids.size,
      failedItems,
      calls: state.calls.filter((c) => c.path.startsWith('/api/')).length,
      problems: cmp.problems,
      line,
    };
  } finally {
    await sandbox.close();
    cleanup();
  }
}
