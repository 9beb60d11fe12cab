/**
 * The multi-writer fault schedule: two or three installations of Exist Tray (separate data
 * folders, their own tokens of the same OAuth client, one sandbox account) increment the
 * same attributes on the same few days, in seeded random turns, while the sandbox loses
 * answers (dropped before or after applying, hangs), applies calls late (after the client
 * gave up, within the grace period), answers 429 without `Retry-After`, and answers
 * without dates in reverse order. At the end every day must equal the sum of every
 * writer's increments, or be flagged — and each flag must be genuine: the sandbox's change
 * log must show another writer's change or a late apply on that day between the moment
 * the flagged item's base was known and the moment it was judged.
 */
import { startSandbox, type SandboxChange, type SandboxFault } from '../../src/sandbox';
import type { OutboxOp, QueuedItem } from '../../src/core/outbox/types';
import { createRateBudget } from '../../src/core/rate/budget';
import { datesBack, pick, prng, randInt, readScopes, SUITE_ATTRIBUTES, virtualClock, writeScopes } from './harness';
import { openInstallation, type Installation } from './installation';

export interface MultiWriterOptions {
  seed: number;
  writers: 2 | 3;
  /** Increments queued in total (over all writers). */
  writes: number;
  faultRate?: number;
}

export interface MultiWriterResult {
  writers: number;
  writes: number;
  faults: number;
  faultKinds: Record<string, number>;
  lost: number;
  doubled: number;
  flaggedItems: number;
  flaggedDays: number;
  genuine: number;
  /** Per writer: [budget's count, server's count]. */
  counts: [number, number][];
  problems: string[];
  line: string;
}

const HOURS_10 = 10 * 3_600_000;
const ATTRS = SUITE_ATTRIBUTES.slice(0, 3);
const key = (name: string, date: string): string => `${name}|${date}`;

interface Flagged {
  item: QueuedItem;
  writer: number;
}

function pickFault(rand: () => number): { fault: SandboxFault; label: string } {
  const r = rand();
  if (r < 0.3) return { fault: { kind: 'drop-after' }, label: 'drop-after' };
  if (r < 0.42) return { fault: { kind: 'drop-before' }, label: 'drop-before' };
  if (r < 0.48) return { fault: { kind: 'hang' }, label: 'hang' };
  if (r < 0.72) {
    const answer = rand() < 0.8 ? 'drop' : 'hang';
    return { fault: { kind: 'late-apply', delayMs: randInt(rand, 1, 45) * 1000, answer }, label: 'late-apply' };
  }
  if (r < 0.88) {
    const body = { detail: 'Request was throttled: rate limited until the next hour.' };
    return { fault: { kind: 'status', status: 429, body }, label: 'http-429-no-retry-after' };
  }
  return { fault: { kind: 'reshape', omitDates: true, reverse: true }, label: 'answer-without-dates' };
}

export async function runMultiWriter(opts: MultiWriterOptions): Promise<MultiWriterResult> {
  const rand = prng(opts.seed);
  const clock = virtualClock(Date.UTC(2025, 5, 1, 12));
  // One long window on both sides, so the budget's count and the server's compare exactly at the end.
  const sandbox = await startSandbox({
    now: clock.now,
    timezone: 'UTC',
    rateLimit: 100_000,
    rateWindowSeconds: 36_000,
  });
  const installs: Installation[] = [];
  const flagged = new Map<string, Flagged>();
  try {
    const groups = ATTRS.map((a) => a.group);
    for (let w = 0; w < opts.writers; w++) {
      // The last writer has a write-only token: its checks are +0 probes.
      const scopes = w === opts.writers - 1 ? writeScopes(groups) : [...writeScopes(groups), ...readScopes(groups)];
      const budget = createRateBudget({ clock, random: rand, limit: 100_000, windowMs: HOURS_10 });
      installs.push(
        await openInstallation({
          name: String.fromCharCode(65 + w),
          sandbox,
          clock,
          scopes,
          timeoutMs: 200,
          random: rand,
          budget,
          outbox: {
            onEvent: (e) => {
              if (e.type === 'item' && e.item.maybeDoubled)
                flagged.set(e.item.id + '@' + w, { item: e.item, writer: w });
            },
          },
        }),
      );
    }
    await installs[0]!.setupClient.acquire(ATTRS.map((a) => ({ template: a.name })));

    const intended = new Map<string, number>();
    const dates = datesBack(4);
    let writes = 0;
    const faultRate = opts.faultRate ?? 0.35;
    while (writes < opts.writes) {
      const w = randInt(rand, 0, opts.writers - 1);
      const inst = installs[w]!;
      const n = Math.min(randInt(rand, 1, 6), opts.writes - writes);
      const ops: OutboxOp[] = Array.from({ length: n }, () => {
        const a = pick(rand, ATTRS);
        return { kind: 'increment', name: a.name, date: pick(rand, dates), delta: randInt(rand, 1, 5) * a.step };
      });
      for (const op of ops) {
        await inst.outbox.enqueue(op);
        if (op.kind === 'increment')
          intended.set(key(op.name, op.date), (intended.get(key(op.name, op.date)) ?? 0) + op.delta);
      }
      writes += n;
      if (rand() < faultRate) {
        const f = pickFault(rand);
        sandbox.admin.failNext(1, f.fault, { pathPrefix: '/api/2/attributes/' });
      }
      await inst.outbox.flush();
      clock.advance(randInt(rand, 0, 20_000));
    }
    sandbox.admin.clearFaults();
    await drainAll(installs, clock);

    return await judge(opts, sandbox, installs, intended, flagged, writes);
  } finally {
    for (const i of installs) await i.close();
    await sandbox.close();
  }
}

/** Flushes every installation until all are empty, moving the clock to the earliest retry. */
async function drainAll(installs: Installation[], clock: ReturnType<typeof virtualClock>): Promise<void> {
  for (let round = 0; round < 500; round++) {
    let next = Number.POSITIVE_INFINITY;
    let busy = false;
    for (const i of installs) {
      const r = await i.outbox.flush();
      const s = i.outbox.snapshot();
      if (s.pending.length + s.sending.length === 0) continue;
      if (r.stopped?.reason === 'auth' || r.stopped?.reason === 'journal') throw new Error(r.stopped.message);
      busy = true;
      next = Math.min(next, r.stopped?.retryAt ?? clock.now() + 1_000);
    }
    if (!busy) return;
    clock.advanceTo(Math.max(next, clock.now() + 1));
  }
  throw new Error('the installations did not drain in 500 rounds');
}

async function judge(
  opts: MultiWriterOptions,
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
  installs: Installation[],
  intended: Map<string, number>,
  flagged: Map<string, Flagged>,
  writes: number,
): Promise<MultiWriterResult> {
  const state = sandbox.admin.getState();
  const families = await Promise.all(installs.map(async (i) => sandbox.admin.tokenFamily(await i.accessToken()) ?? ''));
  const actual = new Map<string, number>();
  for (const a of state.attributes)
    for (const [d, v] of Object.entries(a.values)) if (typeof v === 'number') actual.set(key(a.name, d), v);
  const byDay = new Map<string, Flagged[]>();
  for (const f of flagged.values()) {
    const k = key(f.item.op.name, f.item.op.date);
    byDay.set(k, [...(byDay.get(k) ?? []), f]);
  }
  let lost = 0;
  let doubled = 0;
  const problems: string[] = [];
  for (const [k, want] of intended) {
    const diff = Math.round(((actual.get(k) ?? 0) - want) * 1e6) / 1e6;
    if (diff === 0) continue;
    const slack = (byDay.get(k) ?? []).reduce(
      (s, f) => s + Math.abs(f.item.op.kind === 'increment' ? f.item.op.delta : 0),
      0,
    );
    if (Math.abs(diff) <= slack + 1e-9) continue;
    if (diff < 0) lost++;
    else doubled++;
    if (problems.length < 10)
      problems.push(`${k}: want ${want}, sandbox has ${actual.get(k)} (${diff > 0 ? 'doubled' : 'lost'}, unflagged)`);
  }
  let genuine = 0;
  for (const f of flagged.values()) {
    if (isGenuine(f, state.changes, families[f.writer]!)) genuine++;
    else if (problems.length < 10) problems.push(`flag not explained by the change log: ${JSON.stringify(f.item)}`);
  }
  const faultKinds: Record<string, number> = {};
  for (const c of state.calls) {
    if (c.fault === undefined && c.status !== 429) continue;
    const label = c.fault === 'status' || c.status === 429 ? `http-${c.status}` : (c.fault ?? 'none');
    faultKinds[label] = (faultKinds[label] ?? 0) + 1;
  }
  const faults = Object.values(faultKinds).reduce((a, b) => a + b, 0);
  const counts = await Promise.all(
    installs.map(
      async (i) =>
        [i.budget.status().used, sandbox.admin.countedCalls(await i.accessToken()).window] as [number, number],
    ),
  );
  const days = new Set([...flagged.values()].map((f) => key(f.item.op.name, f.item.op.date)));
  const all = genuine === flagged.size ? 'all genuine' : `${genuine} genuine`;
  const line = `writers: ${opts.writers}, writes: ${writes}, faults: ${faults}, lost: ${lost}, doubled: ${doubled}, flagged: ${flagged.size} (${all})`;
  return {
    writers: opts.writers,
    writes,
    faults,
    faultKinds,
    lost,
    doubled,
    flaggedItems: flagged.size,
    flaggedDays: days.size,
    genuine,
    counts,
    problems,
    line,
  };
}

/**
 * A flag is genuine when the day really moved under the writer's feet: the change log has a
 * change on that day by another writer, or a late apply (anyone's), after the writer's base
 * was known (`since`) and no later than the flag.
 */
function isGenuine(f: Flagged, changes: SandboxChange[], family: string): boolean {
  const { op } = f.item;
  const since = f.item.flag?.since ?? Number.NEGATIVE_INFINITY;
  const at = f.item.flag?.at ?? Number.POSITIVE_INFINITY;
  if (f.item.flag?.code === 'unverifiable') return false;
  return changes.some(
    (c) => c.name === op.name && c.date === op.date && c.at >= since && c.at <= at && (c.late || c.family !== family),
  );
}
