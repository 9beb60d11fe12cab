/**
 * The batched day read end to end: the outbox → existWriteApi → the typed client's
 * `withValues` → the sandbox over loopback. Ten first increments cost one
 * `GET /api/2/attributes/with-values/` and one increment call, and end exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createExistClient, staticTokenProvider, type ExistClient } from '../../../src/core/exist/client';
import { createOutbox } from '../../../src/core/outbox/index';
import { existWriteApi } from '../../../src/core/outbox/exist-write-api';
import { systemClock } from '../../../src/core/ports';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { tempDir } from './helpers';

const TEN = [
  'pages_read',
  'commits',
  'tasks_completed',
  'words_written',
  'emails_sent',
  'emails_received',
  'keystrokes',
  'water',
  'alcoholic_drinks',
  'coffees',
];

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const dayValues = (s: Sandbox, date: string): Map<string, unknown> =>
  new Map(s.admin.getState().attributes.map((a) => [a.name, a.values[date]]));

async function rig(
  scopes: string[],
): Promise<{ sandbox: Sandbox; client: ExistClient; today: string; before: Map<string, unknown> }> {
  const sandbox = await startSandbox({ timezone: 'UTC' });
  cleanups.push(() => sandbox.close());
  const token = sandbox.issueToken(scopes);
  const client = createExistClient({ baseUrl: sandbox.url, auth: staticTokenProvider(token.access_token) });
  const a = await client.acquire(TEN.map((template) => ({ template })));
  expect(a.failed).toEqual([]);
  const today = new Date().toISOString().slice(0, 10);
  // Earlier today, elsewhere: each attribute already has a value.
  await client.increment(TEN.map((name, i) => ({ name, value: i + 1, date: today })));
  return { sandbox, client, today, before: dayValues(sandbox, today) };
}

const apiCalls = (s: Sandbox, from: number) =>
  s.admin
    .getState()
    .calls.slice(from)
    .filter((c) => c.path.startsWith('/api/'))
    .map((c) => `${c.method} ${c.path.replace(/\?.*$/, '')}`);

describe('one with-values read through the real client and sandbox', () => {
  it('ten first increments: one with-values read, one increment call, every total exact', async () => {
    const { sandbox, client, today, before } = await rig([
      'productivity_write',
      'productivity_read',
      'media_write',
      'media_read',
      'food_write',
      'food_read',
    ]);
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const outbox = await createOutbox({
      dir,
      api: existWriteApi(client),
      probeWithZeroIncrement: false,
      clock: systemClock,
    });
    cleanups.push(() => outbox.close());
    const mark = sandbox.admin.getState().calls.length;
    for (const name of TEN) await outbox.enqueue({ kind: 'increment', name, date: today, delta: 10 });
    const r = await outbox.flush();
    expect(r.stopped).toBeUndefined();
    expect(apiCalls(sandbox, mark)).toEqual([
      'GET /api/2/attributes/with-values/',
      'POST /api/2/attributes/increment/',
    ]);
    const after = dayValues(sandbox, today);
    for (const name of TEN) {
      expect(after.get(name)).toBe((before.get(name) as number) + 10);
      expect(outbox.knownTotal(name, today)).toBe((before.get(name) as number) + 10);
    }
  });

  it('an attribute the token cannot read is left out of the answer, then probed; still exact', async () => {
    // No food_read: water, alcoholic_drinks and coffees are write-only.
    const { sandbox, client, today, before } = await rig([
      'productivity_write',
      'productivity_read',
      'media_write',
      'media_read',
      'food_write',
    ]);
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const outbox = await createOutbox({
      dir,
      api: existWriteApi(client),
      probeWithZeroIncrement: true,
      clock: systemClock,
    });
    cleanups.push(() => outbox.close());
    const mark = sandbox.admin.getState().calls.length;
    for (const name of TEN) await outbox.enqueue({ kind: 'increment', name, date: today, delta: 10 });
    await outbox.flush();
    const calls = apiCalls(sandbox, mark);
    expect(calls.filter((c) => c.includes('with-values'))).toHaveLength(1);
    const after = dayValues(sandbox, today);
    for (const name of TEN) expect(after.get(name)).toBe((before.get(name) as number) + 10);
    for (const name of ['water', 'alcoholic_drinks', 'coffees']) expect(outbox.knownTotal(name, today)).toBeDefined();
  });
});
