/**
 * The `jobs` and `import` commands through runCli, on a stand-in CLI core that answers the
 * jobs channels with the real service (via the real IPC dispatcher, so payload validation
 * is the app's), a fresh service per command as the real CLI opens a fresh core.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobsCommands, jobSpecFromOptions, type ProgressTerminal } from '../../src/cli/commands/jobs';
import type { CliContext } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import { UserError } from '../../src/core/errors';
import { createDispatcher } from '../../src/core/ipc/dispatch';
import { jobsHandlers } from '../../src/core/jobs';
import { addDays } from '../../src/core/values';
import type { InvokeHandlers, PushChannel, PushContract, SendHandlers } from '../../src/shared/ipc-contract';
import { serviceWithFakes, tempDir, testClock, type FakePort } from '../core/jobs/helpers';

const NOW = Date.UTC(2026, 10, 30, 12);

describe('exist-tray jobs / import', () => {
  let tmp: ReturnType<typeof tempDir>;
  let out: string[];
  let err: string[];
  let tty: ProgressTerminal & { written: string };
  let ports: FakePort[];
  let commandOutput: string | null;

  beforeEach(() => {
    tmp = tempDir();
    out = [];
    err = [];
    ports = [];
    commandOutput = '5';
    tty = { isTTY: false, written: '', write: (s) => void (tty.written += s) };
  });
  afterEach(() => tmp.cleanup());

  const open = async (_ctx: CliContext) => {
    const tc = testClock(NOW);
    const listeners = new Set<<K extends PushChannel>(c: K, p: PushContract[K]) => void>();
    const { service, port } = serviceWithFakes(join(tmp.dir, 'data'), tc, {
      runCommand: async () => {
        if (commandOutput === null) throw new Error('The command exited with code 2.');
        return commandOutput;
      },
      onImportProgress: (p) => listeners.forEach((l) => l('import:progress', p)),
      flush: async () => {
        port.flushes++;
        const n = port.sets.length;
        for (let sent = Math.min(35, n); ; sent = Math.min(sent + 35, n)) {
          listeners.forEach((l) => l('import:progress', { sent, total: n }));
          if (sent >= n) break;
        }
      },
    });
    ports.push(port);
    const handlers = {
      ...jobsHandlers(service),
      'sync:get': async () => ({ pending: 0 }),
    } as unknown as InvokeHandlers;
    const dispatcher = createDispatcher(handlers, {} as SendHandlers);
    return {
      core: {
        onPush(l: <K extends PushChannel>(c: K, p: PushContract[K]) => void) {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      },
      async call(channel: never, request: never) {
        const r = await dispatcher.invoke(channel, request, { url: 'cli:', trusted: true });
        if (!r.ok) throw new UserError(r.error.code, r.error.message);
        return r.value as never;
      },
      close: async () => service.stop(),
    };
  };

  const cli = (...argv: string[]) =>
    runCli(argv, { stdout: (l) => void out.push(l), stderr: (l) => void err.push(l), env: {} }, [
      createJobsCommands({ open: open as never, terminal: tty, cwd: () => tmp.dir }),
    ]);

  it('adds, lists, runs and removes a job; state persists between commands', async () => {
    expect(await cli('jobs', 'add', '--attribute', 'steps', '--command', 'steps-today --format=json')).toBe(0);
    expect(out[0]).toBe('Added job j1.');
    expect(out.join('\n')).toContain('command: steps-today --format=json');

    out.length = 0;
    expect(await cli('jobs', 'run', 'j1')).toBe(0);
    expect(out[0]).toMatch(/ok, sent 2026-11-30=5/);
    expect(ports.at(-1)!.sets).toEqual([{ name: 'steps', date: '2026-11-30', value: 5 }]);

    out.length = 0;
    expect(await cli('--json', 'jobs', 'list')).toBe(0);
    const list = JSON.parse(out[0]!);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: 'j1',
      attribute: 'steps',
      schedule: 'hourly',
      daysBack: 1,
      runs: [{ ok: true }],
    });

    out.length = 0;
    expect(await cli('jobs', 'list')).toBe(0);
    expect(out.join('\n')).toMatch(/j1 {2}steps {2}hourly, 1 day back/);
    expect(out.join('\n')).toContain('ok, sent 2026-11-30=5');

    out.length = 0;
    expect(await cli('jobs', 'remove', 'j1')).toBe(0);
    expect(out).toEqual(['Removed job j1.']);
    expect(await cli('jobs', 'run', 'j1')).toBe(1);
    expect(err.at(-1)).toContain('There is no job “j1”');
  });

  it('a failing run exits 1 and says nothing was written', async () => {
    await cli('jobs', 'add', '--attribute', 'steps', '--command', 'broken');
    commandOutput = null;
    expect(await cli('jobs', 'run', 'j1')).toBe(1);
    expect(out.at(-1)).toMatch(/FAILED: The command exited with code 2/);
    expect(err.at(-1)).toContain('nothing was written');
    expect(ports.at(-1)!.sets).toEqual([]);
  });

  it('refuses a cron faster than hourly (exit 1) and bad usage (exit 2)', async () => {
    expect(await cli('jobs', 'add', '--attribute', 'steps', '--command', 'x', '--schedule', '*/15 * * * *')).toBe(1);
    expect(err.at(-1)).toContain('runs every 15 minutes; Exist asks syncs to run at most hourly');
    expect(await cli('jobs', 'add', '--attribute', 'steps')).toBe(2);
    expect(err.at(-1)).toContain('--command CMD, --file PATH or --url URL');
    expect(await cli('jobs', 'add', '--attribute', 'steps', '--command', 'x', '--url', 'https://a.test/')).toBe(2);
    expect(await cli('jobs', 'add', '--attribute', 'steps', '--command', 'x', '--days-back', 'two')).toBe(2);
    expect(await cli('jobs', 'add', '--command', 'x')).toBe(2); // --attribute is required
  });

  it('builds file and URL sources from options', () => {
    expect(
      jobSpecFromOptions({ attribute: 'steps', file: 'logs/s.csv', dateColumn: 'Day', daysBack: '3' }, '/home/me'),
    ).toEqual({
      attribute: 'steps',
      source: { kind: 'file', path: '/home/me/logs/s.csv', format: 'csv', dateColumn: 'Day' },
      schedule: 'hourly',
      daysBack: 3,
    });
    expect(
      jobSpecFromOptions({ attribute: 'w', url: 'https://x.test/a', jsonPath: 'a.b', schedule: '0 * * * *' }, '/'),
    ).toEqual({
      attribute: 'w',
      source: { kind: 'url', url: 'https://x.test/a', jsonPath: 'a.b' },
      schedule: '0 * * * *',
      daysBack: 1,
    });
    expect(() => jobSpecFromOptions({ attribute: 'w', file: 'data.txt' }, '/')).toThrow(
      /--format csv or --format json/,
    );
    expect(() => jobSpecFromOptions({ attribute: 'w', file: 'a.csv', jsonPath: 'x' }, '/')).toThrow(
      /--json-path is for JSON/,
    );
    expect(() => jobSpecFromOptions({ attribute: 'w', url: 'http://x.test/' }, '/')).toThrow(/https/);
  });

  const writeCsv = (rows: number, extra: string[] = []) => {
    const lines = Array.from({ length: rows }, (_, i) => `${addDays('2026-11-30', -i)},${i + 1}`);
    writeFileSync(join(tmp.dir, 'history.csv'), ['date,value', ...lines, ...extra].join('\n'));
  };

  it('imports a file with plain progress lines when not on a terminal', async () => {
    writeCsv(100);
    expect(await cli('import', 'history.csv', '--attribute', 'steps')).toBe(0);
    expect(ports.at(-1)!.sets).toHaveLength(100);
    expect(err).toEqual([
      'sent 0 of 100 values (0%)',
      'sent 35 of 100 values (35%)',
      'sent 70 of 100 values (70%)',
      'sent 100 of 100 values (100%)',
    ]);
    expect(out).toEqual(['Imported 100 values (3 calls to Exist).']);
    expect(tty.written).toBe('');
  });

  it('draws one updating line on a terminal', async () => {
    tty.isTTY = true;
    writeCsv(40);
    expect(await cli('import', 'history.csv', '--attribute', 'steps')).toBe(0);
    expect(
      tty.written
        .split('\r')
        .filter(Boolean)
        .map((s) => s.trim()),
    ).toEqual([
      '[------------------------] 0/40 values sent',
      '[#####################---] 35/40 values sent',
      '[########################] 40/40 values sent',
    ]);
    expect(tty.written.endsWith('\n')).toBe(true);
    expect(err).toEqual([]);
  });

  it('lists bad rows and imports nothing unless told to skip them', async () => {
    writeCsv(3, ['2026-12-24,1', 'oops,2']);
    expect(await cli('import', 'history.csv', '--attribute', 'steps')).toBe(1);
    expect(err).toContain('line 5: 2026-12-24 is in the future (today is 2026-11-30 in your Exist timezone)');
    expect(err).toContain('line 6: “oops” is not a date (use YYYY-MM-DD)');
    expect(err.at(-1)).toContain('2 bad rows; nothing was imported');
    expect(ports.every((p) => p.sets.length === 0)).toBe(true);

    err.length = 0;
    expect(await cli('--json', 'import', 'history.csv', '--attribute', 'steps', '--skip-bad-rows')).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({ queued: 3, calls: 1, skipped: 2, pending: 0 });
    expect(ports.at(-1)!.sets).toHaveLength(3);

    out.length = 0;
    expect(await cli('import', 'history.csv', '--attribute', 'steps', '--dry-run')).toBe(1);
    expect(out).toEqual(['3 rows to send in 1 call; 2 bad rows listed above.']);
    expect(await cli('import', 'missing.csv')).toBe(1);
    expect(err.at(-1)).toContain('no such file');
  });
});
