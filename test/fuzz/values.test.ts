/**
 * Fuzz, extending test/core/values/fuzz.test.ts (which covers every text parser with random
 * strings): here the checks on values that arrive as JSON (IPC, CLI --json, an outbox
 * journal) rather than typed text, date choices under random server timezones, and the
 * outbox's own gate — a bad write is refused with a clear error and nothing queued
 * is lost or changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors';
import { createOutbox } from '../../src/core/outbox/index';
import type { OutboxWriteApi } from '../../src/core/outbox/types';
import { isIsoDate, parseDateChoice, validateStoredDelta, validateStoredValue } from '../../src/core/values';
import type { ValueTypeCode } from '../../src/shared/domain';
import { tempDir, virtualClock } from '../reliability/harness';
import { pick, prng, randomString, randomValue } from './gen';

const TYPES: ValueTypeCode[] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const NAMES = [undefined, 'mood_note', 'pages_read', 'x'.repeat(200)];
const ZONES = [
  'UTC',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Europe/London',
  'America/St_Johns',
  'Asia/Kathmandu',
  '',
  'Mars/Olympus',
  'utc',
  '+05:00',
  'Etc/GMT+12',
  '\u0000',
  'Europe/London/',
];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('fuzz: values arriving as JSON', () => {
  it('validateStoredValue/Delta never throw; accept only JSON scalars of the right kind', () => {
    const rand = prng(0xf022_0004);
    const problems: string[] = [];
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const type = pick(rand, TYPES);
      const v = randomValue(rand);
      const name = pick(rand, NAMES);
      for (const [what, r] of [
        ['value', validateStoredValue(type, v, name)],
        ['delta', validateStoredDelta(type, v)],
      ] as const) {
        if (r.ok) {
          accepted++;
          if (typeof r.value === 'number' ? !Number.isFinite(r.value) : typeof r.value !== 'string')
            problems.push(`${what} ${type}: accepted ${String(v)} as ${String(r.value)}`);
          if (typeof v !== 'number' && typeof v !== 'string') problems.push(`${what} ${type}: accepted a ${typeof v}`);
        } else {
          rejected++;
          if (typeof r.message !== 'string' || r.message.trim() === '' || r.message.includes('[object Object]'))
            problems.push(`${what} ${type}: unclear message ${JSON.stringify(r.message)}`);
        }
      }
      if (problems.length > 15) break;
    }
    // Unknown type codes are refused in words too.
    for (const t of [-1, 9, 1.5, Number.NaN] as unknown as ValueTypeCode[]) {
      const r = validateStoredValue(t, 1);
      if (r.ok || r.message.trim() === '') problems.push(`type ${String(t)} accepted`);
    }
    expect(problems).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(10_000);
  });

  it('parseDateChoice answers every input under any timezone string, and never a future date', () => {
    const rand = prng(0xf022_0005);
    const problems: string[] = [];
    const now = Date.UTC(2026, 0, 1, 3);
    for (let i = 0; i < 5_000; i++) {
      const tz = rand() < 0.3 ? randomString(rand).slice(0, 40) : pick(rand, ZONES);
      const input =
        rand() < 0.5
          ? pick(rand, [
              'today',
              'yesterday',
              ' TODAY ',
              '2025-12-31',
              '2026-01-01',
              '2026-01-02',
              '2025-02-29',
              '0000-01-01',
            ])
          : randomString(rand).slice(0, 40);
      let r;
      try {
        r = parseDateChoice(input, tz, now);
      } catch (e) {
        problems.push(`${JSON.stringify(input)} in ${JSON.stringify(tz)}: threw ${(e as Error).message}`);
        continue;
      }
      if (r.ok) {
        if (!isIsoDate(r.value)) problems.push(`${JSON.stringify(input)}: not a date ${r.value}`);
        if (r.value > '2026-01-02') problems.push(`${JSON.stringify(input)} in ${tz}: future ${r.value}`);
      } else if (r.message.trim() === '') problems.push(`${JSON.stringify(input)}: empty message`);
      if (problems.length > 15) break;
    }
    expect(problems).toEqual([]);
    for (const v of [null, undefined, 1, {}, [], '2025-01-01T00:00:00Z', '２０２５-０１-０１'])
      expect(isIsoDate(v)).toBe(false);
  });
});

describe('fuzz: the outbox refuses bad writes without losing good ones', () => {
  it('1,000 random ops: each is queued exactly as given or refused with a UserError; the queue replays intact', async () => {
    const rand = prng(0xf022_0006);
    const { dir, cleanup } = tempDir('exist-fuzz-outbox-');
    cleanups.push(cleanup);
    const never: OutboxWriteApi = { increment: () => new Promise(() => {}), update: () => new Promise(() => {}) };
    const clock = virtualClock();
    const outbox = await createOutbox({ dir, api: never, clock });
    // Weighted towards valid pieces so both outcomes are common.
    const kinds = ['increment', 'increment', 'set', 'set', 'delete', '', undefined];
    const names = ['pages_read', 'pages_read', 'steps', 'steps', 'Pages Read', '', 'a'.repeat(101), '../x', undefined];
    const dates = ['2025-06-01', '2025-06-01', '2024-12-31', '2025-02-29', '2025-6-1', '', 'today', undefined];
    const queued = new Map<string, unknown>();
    const problems: string[] = [];
    let refused = 0;
    for (let i = 0; i < 1_000; i++) {
      const kind = pick(rand, kinds);
      const op =
        rand() < 0.15
          ? randomValue(rand)
          : {
              kind,
              name: rand() < 0.9 ? pick(rand, names) : randomValue(rand),
              date: rand() < 0.9 ? pick(rand, dates) : randomValue(rand),
              ...(kind === 'increment' || rand() < 0.2
                ? { delta: rand() < 0.8 ? pick(rand, [1, -1, 0.5, 10, 0]) : randomValue(rand) }
                : {}),
              ...(kind === 'set' || rand() < 0.2
                ? { value: rand() < 0.8 ? pick(rand, [0, 42, 'a note', -3]) : randomValue(rand) }
                : {}),
            };
      const before = outbox.pending().length;
      try {
        const item = await outbox.enqueue(op as never);
        queued.set(item.id, item.op);
        if (outbox.pending().length !== before + 1) problems.push('queue did not grow by one');
      } catch (e) {
        refused++;
        if (!isUserError(e)) problems.push(`not a UserError: ${String(e)}`);
        else if (!/^Invalid write: /.test(e.message) || e.message.includes('[object Object]'))
          problems.push(`unclear: ${e.message}`);
        if (outbox.pending().length !== before) problems.push('a refused write changed the queue');
      }
      if (problems.length > 15) break;
    }
    await outbox.close();
    expect(problems).toEqual([]);
    expect(refused).toBeGreaterThan(300);
    expect(queued.size).toBeGreaterThan(50);
    // Everything acknowledged is still there after a restart, unchanged.
    const again = await createOutbox({ dir, api: never, clock });
    expect(new Map(again.pending().map((i) => [i.id, i.op]))).toEqual(queued);
    expect(again.warnings).toEqual([]);
    await again.close();
  });
});
