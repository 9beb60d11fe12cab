#!/usr/bin/env node
/**
 * `npm test`: everything that can run on this machine, in order — typecheck, lint, format,
 * vitest (unit, integration, component, reliability), Playwright (browser end to end
 * in Debian chromium; the Electron spec skips itself without the Electron binary).
 * Each runner writes a JSON report under test-results/; the last line printed is
 * `N passed, N failed, N skipped` summed over all of them (CI reads it).
 * `--summary` only reprints that line from the reports of the last run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const gates = join(results, 'gates.json');
  if (existsSync(gates)) {
    for (const g of JSON.parse(readFileSync(gates, 'utf8'))) {
      if (g.ok) passed++;
      else failed++;
    }
  }
  const vitest = join(results, 'vitest.json');
  if (existsSync(vitest)) {
    const v = JSON.parse(readFileSync(vitest, 'utf8'));
    passed += v.numPassedTests ?? 0;
    failed += v.numFailedTests ?? 0;
    skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    // A suite that failed to load has no tests but is a failure.
    failed += (v.testResults ?? []).filter(
      (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
    ).length;
  }
  const pw = join(results, 'playwright.json');
  if (existsSync(pw)) {
    const s = JSON.parse(readFileSync(pw, 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
  }
  return { passed, failed, skipped };
}

function line({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

if (process.argv.includes('--summary')) {
  const s = summarize();
  console.log(line(s));
  process.exit(s.failed > 0 ? 1 : 0);
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const run = (title, cmd, args, env = {}) => {
  console.log(`\n── ${title} ──`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `── ${title}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return r.status === 0;
};

const gates = [
  { name: 'typecheck', ok: run('typecheck', 'npm', ['run', '--silent', 'typecheck']) },
  { name: 'lint', ok: run('lint', bin('eslint'), ['.']) },
  { name: 'format', ok: run('format (prettier --check)', bin('prettier'), ['--check', '--log-level', 'warn', '.']) },
];
writeFileSync(join(results, 'gates.json'), JSON.stringify(gates));

const vitestOk = run('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(results, 'vitest.json')}`,
]);

let playwrightOk = true;
if (existsSync(join(root, 'playwright.config.ts'))) {
  playwrightOk = run('playwright (chromium end to end)', bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: join(results, 'playwright.json'),
  });
}

const s = summarize();
console.log('');
console.log(line(s));
process.exit(gates.every((g) => g.ok) && vitestOk && playwrightOk && s.failed === 0 ? 0 : 1);
