/**
 * Issue 5's "done when", through the command line against the sandbox and its fault
 * injection. Bulk loops run the CLI in-process (`runCli`, a fresh core per command, as a
 * real process would); a real process is spawned where the process boundary matters
 * (kill -9, the machine's timezone).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountDir } from '../../src/core/app';
import { openCliCore } from '../../src/cli/host';
import { makeContext } from '../../src/cli/context';
import { APP_NOT_ANSWERING } from '../../src/cli/commands/write';
import { createExistClient, staticTokenProvider } from '../../src/core/exist/client';
import { remoteSocketPath, startRemoteServer, type RemoteCommand } from '../../src/core/remote';
import type { SyncView } from '../../src/shared/ipc-contract';
import type { Sandbox } from '../../src/sandbox';
import { cleanEnv, runCliProcess, spawnCli } from './helpers';

// A lost answer is checked after a grace period (60 s by default); real processes here wait 0.3 s.
process.env.EXIST_TRAY_GRACE_MS ??= '300';
import {
  allValues,
  cliIn,
  cliOk,
  connectDataDir,
  dateIn,
  dayValue,
  lastJson,
  removeDir,
  shiftDate,
  startProxy,
  startWriteSandbox,
  tempDataDir,
  writeCalls,
} from './write-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  sandbox: Sandbox;
  dir: string;
  url: string;
  tz: string;
  today: string;
}

async function setup(opts: { scopes?: string[]; timezone?: string; acquire?: string[] } = {}): Promise<Setup> {
  const tz = opts.timezone ?? 'Pacific/Kiritimati';
  const sandbox = await startWriteSandbox({ timezone: tz });
  const dir = tempDataDir();
  cleanups.push(
    () => sandbox.close(),
    () => removeDir(dir),
  );
  await connectDataDir(sandbox, dir, opts.scopes ?? ['media_write']);
  for (const t of opts.acquire ?? ['pages_read']) await cliOk(dir, sandbox.url, ['acquire', '--template', t]);
  return { sandbox, dir, url: sandbox.url, tz, today: dateIn(tz) };
}

type PendingJson = { pending: number; failed: SyncView['failed']; maybeDoubled: SyncView['maybeDoubled'] };

describe('exist-tray write commands against the sandbox', () => {
  it('50 × increment --no-sync then one sync → exactly one increment call, of +50', async () => {
    const { sandbox, dir, url, today } = await setup();
    await cliOk(dir, url, ['set', 'pages_read', '7']);
    expect(dayValue(sandbox, 'pages_read', today)).toBe(7);
    const incrementsBefore = writeCalls(sandbox, 'increment').length;

    for (let i = 0; i < 50; i++) await cliOk(dir, url, ['increment', 'pages_read', '--no-sync']);
    expect(dayValue(sandbox, 'pages_read', today)).toBe(7); // --no-sync only queued
    expect(lastJson<PendingJson>(await cliOk(dir, url, ['--json', 'pending'])).pending).toBe(50);
    expect((await cliOk(dir, url, ['pending'])).stdout).toContain(`  pages_read ${today}: +50 (50 writes)`);

    const r = await cliOk(dir, url, ['--json', 'sync']);
    expect(lastJson(r)).toMatchObject({ sent: 50, failed: 0, pending: 0 });
    const increments = writeCalls(sandbox, 'increment').slice(incrementsBefore);
    expect(increments).toEqual([{ status: 200, objects: 1 }]);
    expect(dayValue(sandbox, 'pages_read', today)).toBe(57);
  });

  it('400 × set on 400 dates then sync → 12 update calls', async () => {
    const { sandbox, dir, url, today } = await setup();
    const want = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const date = shiftDate(today, -i);
      want.set(date, (i % 97) + 1);
      await cliOk(dir, url, ['set', 'pages_read', String((i % 97) + 1), '--date', date, '--no-sync']);
    }
    expect(writeCalls(sandbox, 'update')).toEqual([]);
    const r = await cliOk(dir, url, ['--json', 'sync']);
    expect(lastJson(r)).toMatchObject({ sent: 400, failed: 0, pending: 0 });
    const updates = writeCalls(sandbox, 'update');
    expect(updates).toHaveLength(Math.ceil(400 / 35));
    expect(updates.every((c) => c.status === 200 && c.objects <= 35)).toBe(true);
    expect(updates.reduce((n, c) => n + c.objects, 0)).toBe(400);
    expect(allValues(sandbox, 'pages_read')).toEqual(Object.fromEntries(want));
  });

  describe('an increment Exist applies but whose answer is lost', () => {
    const dropNextIncrement = (sandbox: Sandbox) =>
      sandbox.admin.failNext(1, { kind: 'drop-after' }, { pathPrefix: '/api/2/attributes/increment' });

    it('with a read scope: the total read before the first increment makes the day exactly right', async () => {
      const { sandbox, dir, url, today } = await setup({ scopes: ['media_write', 'media_read'] });
      // Another device of the user's wrote 12 today; this data folder does not know it.
      const t = sandbox.issueToken(['media_write']);
      await createExistClient({ baseUrl: url, auth: staticTokenProvider(t.access_token) }).update([
        { name: 'pages_read', value: 12, date: today },
      ]);

      dropNextIncrement(sandbox);
      const r = await cliOk(dir, url, ['--json', 'increment', 'pages_read', '3']);
      expect(lastJson(r)).toMatchObject({ sent: true });
      const increments = writeCalls(sandbox, 'increment');
      expect(increments).toEqual([{ status: 200, objects: 1, fault: 'drop-after' }]); // applied, answer dropped, never resent
      expect(dayValue(sandbox, 'pages_read', today)).toBe(15); // 12 + 3, not 18
      const p = lastJson<PendingJson>(await cliOk(dir, url, ['--json', 'pending']));
      expect(p).toMatchObject({ pending: 0, failed: [], maybeDoubled: [] });
    });

    it('write-only, after an earlier answer gave the total: exact too, even with later clicks queued', async () => {
      const { sandbox, dir, url, today } = await setup();
      await cliOk(dir, url, ['increment', 'pages_read', '2']); // answer carries current = 2
      dropNextIncrement(sandbox);
      // The lost call leaves the item queued; a later click joins it before the next sync.
      await cliOk(dir, url, ['increment', 'pages_read', '3', '--no-sync']);
      const first = await cliIn(dir, url, ['--json', 'sync', '--wait', '0']);
      expect(first.code).toBe(1); // answer lost: still queued
      expect(dayValue(sandbox, 'pages_read', today)).toBe(5); // Exist did apply it
      await cliOk(dir, url, ['increment', 'pages_read', '4', '--no-sync']);
      await cliOk(dir, url, ['--json', 'sync']);
      expect(dayValue(sandbox, 'pages_read', today)).toBe(9); // 2 + 3 + 4, not 12
      // +0 probe, +2, +3 (answer lost), +0 probe (the check: 5 = 2 + 3, applied), +4: the +3 was never resent.
      expect(writeCalls(sandbox, 'increment')).toHaveLength(5);
      expect(lastJson<PendingJson>(await cliOk(dir, url, ['--json', 'pending'])).maybeDoubled).toEqual([]);
    });

    it('write-only with no known total: the +0 probe learns it first, so a lost answer ends exact and unflagged', async () => {
      const { sandbox, dir, url, today } = await setup();
      const day = shiftDate(today, -3);
      // The first increment call is the +0 probe (answered as is); the second, the +3, loses its answer.
      sandbox.admin.failNext(1, { kind: 'reshape' }, { pathPrefix: '/api/2/attributes/increment' });
      dropNextIncrement(sandbox);
      const r = await cliOk(dir, url, ['--json', 'increment', 'pages_read', '3', '--date', day]);
      const out = lastJson<{ sync: { maybeDoubled: { name: string; date: string }[] } }>(r);
      expect(out.sync.maybeDoubled).toEqual([]);
      expect(dayValue(sandbox, 'pages_read', day)).toBe(3); // applied once, checked with +0, not resent
      const p = lastJson<PendingJson>(await cliOk(dir, url, ['--json', 'pending']));
      expect(p).toMatchObject({ pending: 0, maybeDoubled: [] });
    });
  });

  it('kill -9 of a real CLI process in the middle of sending 1,000 queued values, then sync → every total arrives, increments exact', async () => {
    const { sandbox, dir } = await setup({ acquire: [] });
    const proxy = await startProxy(sandbox.url);
    cleanups.push(() => proxy.close());
    await connectDataDir(sandbox, dir, ['media_write'], proxy.url); // write-only: known totals come from answers
    const url = proxy.url;
    await cliOk(dir, url, ['acquire', '--template', 'pages_read']);
    const created = await cliOk(dir, url, ['create', '--label', 'Chapters', '--group', 'media', '--type', 'integer']);
    expect(created.stdout[0]).toBe('chapters');
    const today = dateIn('Pacific/Kiritimati');
    const days = Array.from({ length: 500 }, (_, i) => shiftDate(today, -i));

    // Queue through one core (the subject is the sending, not 1,500 process starts).
    const cli = await openCliCore(
      makeContext({ dataDir: dir, existUrl: url }, { stdout: () => {}, stderr: () => {}, env: {} }),
      { opener: null },
    );
    // Earlier totals Exist confirmed (100 on each day), so lost increments can be recovered exactly.
    for (const date of days) await cli.call('values:set', { name: 'pages_read', value: 100, date });
    await cli.call('sync:now', {});
    const delta = (i: number) => (i % 7) + 1;
    const chapters = (i: number) => (i * 13) % 50;
    for (const [i, date] of days.entries()) {
      await cli.call('values:increment', { name: 'pages_read', delta: delta(i), date });
      await cli.call('values:set', { name: 'chapters', value: chapters(i), date });
    }
    expect((await cli.call('sync:get', {})).pending).toBe(1000);
    await cli.close();

    // A real process sends; on its 4th increment call, after Exist applied it, kill -9.
    const incrementsBefore = writeCalls(sandbox, 'increment').length;
    const atKill = { increments: 0, chaptersSet: 0 };
    let killDone!: () => void;
    const killed = new Promise<void>((r) => (killDone = r));
    const child = spawnCli(['--data-dir', dir, '--exist-url', url, 'sync']);
    proxy.beforeReply = async (call) => {
      if (call.path !== '/api/2/attributes/increment' || call.n !== 4) return 'relay';
      child.child.kill('SIGKILL');
      await child.exited;
      atKill.increments = writeCalls(sandbox, 'increment').length - incrementsBefore;
      atKill.chaptersSet = Object.keys(allValues(sandbox, 'chapters')).length;
      killDone();
      return 'drop';
    };
    await killed;
    proxy.beforeReply = null;
    expect((await child.exited).signal).toBe('SIGKILL');
    expect(atKill.increments).toBe(4);
    expect(atKill.chaptersSet).toBeGreaterThan(0);
    expect(atKill.chaptersSet).toBeLessThan(500); // really in the middle

    const again = await cliOk(dir, url, ['--json', 'sync']);
    expect(lastJson(again)).toMatchObject({ failed: 0, pending: 0, maybeDoubled: [] });
    const pages = allValues(sandbox, 'pages_read');
    const ch = allValues(sandbox, 'chapters');
    days.forEach((date, i) => {
      expect(pages[date], `pages_read ${date}`).toBe(100 + delta(i));
      expect(ch[date], `chapters ${date}`).toBe(chapters(i));
    });
    const sum = days.reduce((n, d) => n + (pages[d] as number) - 100, 0);
    expect(sum).toBe(days.reduce((n, _d, i) => n + delta(i), 0));
  }, 30_000);

  it('a 429 makes the writes wait, then go; nothing is lost', async () => {
    const { sandbox, dir, url, today } = await setup();
    for (let i = 0; i < 40; i++)
      await cliOk(dir, url, ['set', 'pages_read', String(i + 1), '--date', shiftDate(today, -i), '--no-sync']);
    sandbox.admin.failNext(
      1,
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
      { pathPrefix: '/api/2/attributes/update' },
    );
    const r = await cliOk(dir, url, ['--json', 'sync']);
    expect(lastJson(r)).toMatchObject({ sent: 40, failed: 0, pending: 0 });
    expect(lastJson<{ waitedMs: number }>(r).waitedMs).toBeGreaterThan(0);
    expect(writeCalls(sandbox, 'update').map((c) => c.status)).toEqual([429, 200, 200]);
    for (let i = 0; i < 40; i++) expect(dayValue(sandbox, 'pages_read', shiftDate(today, -i))).toBe(i + 1);
  });

  it('a 202 with one bad item: the good ones land, the bad one is in the failed list with Exist’s message', async () => {
    const { sandbox, dir, url, today } = await setup({
      scopes: ['media_write', 'mood_write'],
      acquire: ['pages_read', 'mood'],
    });
    await cliOk(dir, url, ['set', 'mood', '7/9', '--no-sync']);
    await cliOk(dir, url, ['set', 'pages_read', '5', '--no-sync']);
    await cliOk(dir, url, ['set', 'pages_read', '6', '--date', shiftDate(today, -1), '--no-sync']);
    // The user reconnects without mood_write: Exist now refuses mood, item by item.
    await connectDataDir(sandbox, dir, ['media_write']);
    const moodBefore = dayValue(sandbox, 'mood', today);

    const r = await cliIn(dir, url, ['--json', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toMatch(/Exist refused 1 write/);
    expect(writeCalls(sandbox, 'update').map((c) => c.status)).toEqual([202]);
    expect(dayValue(sandbox, 'pages_read', today)).toBe(5);
    expect(dayValue(sandbox, 'pages_read', shiftDate(today, -1))).toBe(6);
    expect(dayValue(sandbox, 'mood', today)).toBe(moodBefore);

    const p = lastJson<PendingJson>(await cliOk(dir, url, ['--json', 'pending']));
    expect(p.pending).toBe(0);
    expect(p.failed).toHaveLength(1);
    expect(p.failed[0]).toMatchObject({ name: 'mood', date: today, kind: 'set', value: 7, errorCode: 'unauthorised' });
    expect(p.failed[0]!.message).toContain('This token has no mood_write scope');
    expect((await cliOk(dir, url, ['pending'])).stdout.join('\n')).toMatch(
      /Failed: 1[\s\S]*mood on .*no mood_write scope/,
    );
  });

  describe.each([
    { user: 'Pacific/Kiritimati', machine: 'Pacific/Pago_Pago', when: 'already tomorrow' },
    { user: 'Pacific/Pago_Pago', machine: 'Pacific/Kiritimati', when: 'still yesterday' },
  ])('user in $user, machine in $machine ($when for the user)', ({ user, machine }) => {
    it('a +1 lands on the user’s date', async () => {
      const { sandbox, dir, url } = await setup({ timezone: user });
      const userBefore = dateIn(user);
      const r = await runCliProcess(
        ['--data-dir', dir, '--exist-url', url, 'increment', 'pages_read'],
        cleanEnv({ TZ: machine }),
      );
      expect(r.code, r.stderr).toBe(0);
      const userAfter = dateIn(user);
      const values = allValues(sandbox, 'pages_read');
      const dates = Object.keys(values);
      expect(dates).toHaveLength(1);
      expect([userBefore, userAfter]).toContain(dates[0]);
      expect(values[dates[0]!]).toBe(1);
      expect(dates[0]).not.toBe(dateIn(machine)); // the machine's date would have been wrong
    });
  });

  describe('value forms, ownership and usage', () => {
    it('create prints the real name; human forms per type ("1h20m", "45%", "yes") are parsed for that type', async () => {
      const { sandbox, dir, url, today } = await setup({ acquire: [] });
      const dur = await cliOk(dir, url, [
        'create',
        '--label',
        'Time reading',
        '--group',
        'media',
        '--type',
        'duration',
      ]);
      expect(dur.stdout[0]).toBe('time_reading');
      const pct = await cliOk(dir, url, [
        '--json',
        'create',
        '--label',
        'Book progress',
        '--group',
        'media',
        '--type',
        'percentage',
      ]);
      expect(lastJson(pct)).toMatchObject({ name: 'book_progress', valueType: 5 });
      await cliOk(dir, url, ['create', '--label', 'Read in bed', '--group', 'media', '--type', 'boolean']);

      await cliOk(dir, url, ['increment', 'time_reading', '1h20m']);
      await cliOk(dir, url, ['increment', 'time_reading', '10']);
      await cliOk(dir, url, ['set', 'book_progress', '45%']);
      await cliOk(dir, url, ['set', 'read_in_bed', 'yes']);
      expect(dayValue(sandbox, 'time_reading', today)).toBe(90);
      expect(dayValue(sandbox, 'book_progress', today)).toBe(0.45);
      expect(dayValue(sandbox, 'read_in_bed', today)).toBe(1);

      const bad = await cliIn(dir, url, ['set', 'book_progress', '145%']);
      expect(bad.code).toBe(1);
      expect(bad.stderr.join('\n')).toMatch(/book_progress/);
      const notIncrementable = await cliIn(dir, url, ['increment', 'read_in_bed']);
      expect(notIncrementable.code).toBe(1);
      expect(notIncrementable.stderr.join('\n')).toMatch(/can't be incremented/);
      expect(lastJson<PendingJson>(await cliOk(dir, url, ['--json', 'pending'])).pending).toBe(0);
    });

    it('release; unknown names and bad usage give one clear line and the right exit code', async () => {
      const { dir, url } = await setup();
      const notOwned = await cliIn(dir, url, ['increment', 'not_mine']);
      expect(notOwned.code).toBe(1);
      expect(notOwned.stderr).toEqual([expect.stringMatching(/does not own “not_mine”/)]);
      expect((await cliIn(dir, url, ['acquire', '--template', 'no_such_template'])).code).toBe(1);
      expect((await cliIn(dir, url, ['acquire'])).code).toBe(2);
      expect((await cliIn(dir, url, ['acquire', '--template', 'a', '--name', 'b'])).code).toBe(2);
      expect((await cliIn(dir, url, ['create', '--label', 'X', '--group', 'nope', '--type', 'integer'])).code).toBe(2);
      expect((await cliIn(dir, url, ['set', 'pages_read', '3', '--date', '3/4/2025'])).code).toBe(2);

      await cliOk(dir, url, ['increment', 'pages_read', '--no-sync']);
      const refused = await cliIn(dir, url, ['release', 'pages_read']);
      expect(refused.code).toBe(1);
      expect(refused.stderr.join('\n')).toMatch(/still waiting/);
      await cliOk(dir, url, ['sync']);
      expect((await cliOk(dir, url, ['release', 'pages_read'])).stdout.join('\n')).toMatch(/Released pages_read/);
      expect((await cliIn(dir, url, ['increment', 'pages_read'])).code).toBe(1);
    });
  });

  describe('when the tray app holds the data folder', () => {
    it('increment and sync are handed to the running app over its socket', async () => {
      const dir = tempDataDir();
      cleanups.push(() => removeDir(dir));
      writeFileSync(
        join(dir, 'owned.json'),
        // What the running app caches: Exist's attribute objects.
        JSON.stringify({
          baseUrl: 'x',
          fetchedAt: Date.now(),
          attributes: [
            {
              name: 'time_reading',
              label: 'Time reading',
              template: null,
              group: { name: 'media', label: 'Media', priority: 11 },
              service: { name: 'exist_tray', label: 'Exist Tray' },
              active: true,
              priority: 1,
              manual: false,
              value_type: 3,
              value_type_description: 'Duration',
            },
          ],
        }),
      );
      const got: RemoteCommand[] = [];
      const server = await startRemoteServer(remoteSocketPath(dir), async (cmd) => {
        got.push(cmd);
        if (cmd.command === 'status') return { running: true, pending: 0, failed: 0 };
        if (cmd.command === 'sync')
          return {
            pending: 0,
            failed: [],
            maybeDoubled: [],
            lastError: null,
            rate: { used: 1, limit: 300, pausedUntil: null },
          };
        return {
          id: 'x1',
          name: 'time_reading',
          date: '2026-01-01',
          undoUntil: 0,
          description: '+1h 20m Time reading',
        };
      });
      cleanups.push(() => server.close());
      const r = await cliOk(dir, 'http://127.0.0.1:9', ['increment', 'time_reading', '1h20m']);
      expect(r.stdout.join('\n')).toMatch(/sent to Exist/);
      expect(got.filter((c) => c.command !== 'status')).toEqual([
        { command: 'increment', args: { name: 'time_reading', delta: 80 } },
        { command: 'sync', args: {} },
      ]);
    });

    it('a locked outbox with no app answering fails with one clear line and queues nothing', async () => {
      const { dir, url, sandbox } = await setup();
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      cleanups.push(() => void holder.kill('SIGKILL'));
      // The outbox of the account `setup` connected (each account has its own).
      const key = (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { accountKey: string }).accountKey;
      const outboxDir = join(accountDir(dir, key), 'outbox');
      mkdirSync(outboxDir, { recursive: true });
      writeFileSync(join(outboxDir, 'lock'), String(holder.pid));
      const r = await cliIn(dir, url, ['increment', 'pages_read']);
      expect(r.code).toBe(1);
      expect(r.stderr).toEqual([expect.stringContaining(APP_NOT_ANSWERING)]);
      expect(writeCalls(sandbox, 'increment')).toEqual([]);
    });
  });
});
