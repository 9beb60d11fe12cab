/**
 * Every damaged file in the data folder is set aside once and named in one line on the
 * CLI's stderr (issue 12): the journal, jobs.json and settings.json, through a real
 * `exist-tray` process. A second run says nothing more and makes no more copies.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountDir } from '../../src/core/app';
import { cleanEnv, runCliProcess } from './helpers';
import { cliOk, connectDataDir, removeDir, startWriteSandbox, tempDataDir } from './write-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('damaged files, through the CLI', () => {
  it('journal line, jobs.json, settings.json: one line each on stderr, set aside once', async () => {
    const sandbox = await startWriteSandbox();
    const dir = tempDataDir();
    cleanups.push(
      () => sandbox.close(),
      () => removeDir(dir),
    );
    await connectDataDir(sandbox, dir, ['media_write']);
    await cliOk(dir, sandbox.url, ['acquire', '--template', 'pages_read']);
    await cliOk(dir, sandbox.url, ['increment', 'pages_read', '--no-sync']);
    const settings = readFileSync(join(dir, 'settings.json'), 'utf8');
    const key = (JSON.parse(settings) as { accountKey: string }).accountKey;
    const outbox = join(accountDir(dir, key), 'outbox');
    appendFileSync(join(outbox, 'journal.jsonl'), '{"t":"enq", damaged\n{"t":"retry","at":1,"items":[]}\n');
    writeFileSync(join(dir, 'jobs.json'), 'not json');
    writeFileSync(join(dir, 'settings.json'), '{"version": 1, "settin');

    const run = () => runCliProcess(['--data-dir', dir, '--exist-url', sandbox.url, 'pending'], cleanEnv());
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stderr.trim().split('\n');
    expect(lines.filter((l) => /journal\.jsonl\.corrupt-\d+/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /jobs\.json\.corrupt-\d+/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /settings\.json\.corrupt-\d+/.test(l))).toHaveLength(1);
    expect(first.stdout).toMatch(/1 (write )?queued|queued: 1|1 pending/i);

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/corrupt|damaged|could not be read/);
    expect(readdirSync(outbox).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
    expect(
      readdirSync(dir)
        .filter((n) => n.includes('.corrupt-'))
        .map((n) => n.replace(/\d+$/, '')),
    ).toEqual(['jobs.json.corrupt-', 'settings.json.corrupt-']);
  }, 90_000);
});
