/**
 * Fuzz: random command lines through `runCli` with in-memory io. Every run must end with
 * exit code 0, 1 or 2 — never a throw — and a non-zero exit must say why in one clear
 * stderr message (`exist-tray: …` or commander's `error: …`).
 *
 * Safety: every run gets its own empty data dir and an Exist URL on a closed loopback
 * port, `--data-dir`/`--exist-url` values are pinned to those, and `login` is left out
 * (it waits for a browser).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registrars } from '../../src/cli/commands';
import { makeContext } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import { freePort } from '../reliability/harness';
import { pick, prng, randInt, randomString } from './gen';

const SEED = 0xf022_0002;
const RUNS = 600;
/** Commands that block on a person (a browser) or on time; fuzzing them tests nothing but patience. */
const SKIP = new Set(['login']);

const base = mkdtempSync(join(tmpdir(), 'exist-fuzz-cli-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The command tree as registered: names, options and arity, so random argv is often nearly right. */
function vocabulary(): { paths: string[][]; options: string[] } {
  const program = new Command('exist-tray').option('--data-dir <dir>').option('--exist-url <url>').option('--json');
  const ctx = () => makeContext({}, { stdout: () => {}, stderr: () => {}, env: {} });
  for (const r of registrars) r(program, ctx);
  const paths: string[][] = [];
  const options = new Set<string>(['--json', '--help', '-h', '--version', '--data-dir', '--exist-url']);
  const walk = (c: Command, path: string[]): void => {
    for (const o of c.options) {
      if (o.long) options.add(o.long);
      if (o.short) options.add(o.short);
    }
    for (const sub of c.commands) {
      if (SKIP.has(sub.name())) continue;
      paths.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return { paths, options: [...options] };
}

function randomArgv(rand: () => number, v: { paths: string[][]; options: string[] }): string[] {
  const argv: string[] = [];
  if (rand() < 0.85 && v.paths.length > 0) argv.push(...pick(rand, v.paths));
  for (let i = randInt(rand, 0, 5); i > 0; i--) {
    const r = rand();
    if (r < 0.45) argv.push(pick(rand, v.options));
    else if (r < 0.55) argv.push(`${pick(rand, v.options)}=${randomString(rand).slice(0, 50)}`);
    else if (r < 0.65) argv.push(`-${String.fromCharCode(randInt(rand, 33, 126))}`);
    else argv.push(randomString(rand).slice(0, 200));
  }
  if (rand() < 0.1) argv.unshift(pick(rand, v.options));
  return argv;
}

/** Pins every data-dir / exist-url value to the sandboxed ones. */
function pin(argv: string[], dataDir: string, existUrl: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--data-dir=') || a.startsWith('--exist-url=')) {
      out.push(a.startsWith('--data-dir=') ? `--data-dir=${dataDir}` : `--exist-url=${existUrl}`);
    } else if (a === '--data-dir' || a === '--exist-url') {
      out.push(a, a === '--data-dir' ? dataDir : existUrl);
      i++;
    } else out.push(a);
  }
  return out;
}

describe('fuzz: command-line arguments', () => {
  it(`runs ${RUNS} random command lines without a crash, each failure explained`, async () => {
    const rand = prng(SEED);
    const v = vocabulary();
    expect(v.paths.length).toBeGreaterThan(0);
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const problems: string[] = [];
    const codes = new Map<number, number>();
    for (let i = 0; i < RUNS; i++) {
      const dataDir = join(base, String(i));
      mkdirSync(dataDir);
      const argv = pin(randomArgv(rand, v), dataDir, deadUrl);
      const stdout: string[] = [];
      const stderr: string[] = [];
      const io = {
        stdout: (l: string) => void stdout.push(l),
        stderr: (l: string) => void stderr.push(l),
        env: { EXIST_TRAY_DATA_DIR: dataDir, EXIST_URL: deadUrl },
      };
      let code: number;
      try {
        code = await runCli(argv, io, registrars);
      } catch (e) {
        problems.push(`${JSON.stringify(argv)}: threw ${(e as Error).message}`);
        continue;
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
      const show = `${JSON.stringify(argv).slice(0, 120)} → ${code}: ${JSON.stringify(stderr).slice(0, 200)}`;
      if (![0, 1, 2].includes(code)) problems.push(`bad exit code ${show}`);
      if (code !== 0) {
        // One message (one io.stderr call). Its text may span lines only where it echoes
        // the user's own argument back, or for commander's "(Did you mean …?)" hint.
        const first = stderr[0] ?? '';
        if (stderr.length !== 1) problems.push(`expected one stderr message ${show}`);
        else if (!/^(exist-tray|error): \S/.test(first)) problems.push(`no clear prefix ${show}`);
        else if (/\n\s+at .+:\d+:\d+\)?$/m.test(first) || first.includes('[object Object]'))
          problems.push(`unclear ${show}`);
      }
      if (problems.length > 15) break;
    }
    expect(problems).toEqual([]);
    // Both paths were exercised: some command lines ran, most were refused.
    expect((codes.get(2) ?? 0) + (codes.get(1) ?? 0)).toBeGreaterThan(RUNS / 3);
    expect(codes.get(0) ?? 0).toBeGreaterThan(5);
  }, 60_000);
});
