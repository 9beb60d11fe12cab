/**
 * The README's Performance figures, generated from bench/results.json — the one place they
 * are written, so the README cannot drift from the measured run: `npm run bench` saves the
 * JSON and prints this section; `npx tsx bench/performance-table.ts --write` puts it between
 * the README's markers (then prettier formats the table); test/lint/readme-performance.test.ts
 * fails when the README's section and the JSON disagree (cells compared, prettier's padding
 * ignored).
 *
 * Each row names the target and whether this run met it, with the naive client's
 * figure and the ratio where there is one. Wall-clock rows sit beside the run before's
 * (carried in results.json as `previous`), which is the run-to-run noise, stated in words
 * under the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const START =
  '<!-- performance:start — generated from bench/results.json by `npx tsx bench/performance-table.ts --write`; edit the generator, not this -->';
export const END = '<!-- performance:end -->';

/** What the next run keeps of this one as `previous`: the wall-clock figures (the noise) and the simulated ones (to show they repeat). */
export const PREVIOUS_KEYS = [
  'when',
  'machine',
  'import50k',
  'latency',
  'bundle',
  'popover',
  'shellPopover',
  'oauth',
  'callsPerAction',
  'busyHour',
  'drain',
] as const;

export interface Side {
  calls: number;
  writeCalls: number;
  reads: number;
  refused429: number;
  daysRight: number;
  days: number;
  valuesLost: number;
  simulatedMinutes: number;
  lagP50s?: number;
  lagP95s?: number;
  lagMaxS?: number;
}
interface PerAction {
  id: string;
  label: string;
  actions: number;
  ratio: number;
  app: Side;
  naive: Side;
}
interface BusySide extends Side {
  importCalls: number;
  importDrainedMinutes: number | null;
  maxCallsInAnyHour: number;
}
interface Drain {
  values: number;
  calls: number;
  minimumCalls: number;
  refused429: number;
  valuesInFirstHour: number;
  maxValuesInAnyHour: number;
  ceilingPerHour: number;
  simulatedMinutesToDrain: number;
  left: number;
}
type NA = { na: string };
interface Import50k {
  rows: number;
  queued: number;
  secondsToQueueMedian: number;
  secondsToQueueMax: number;
  peakRssMBMedian: number;
  peakRssMBMax: number;
  runs: number;
}
interface Popover {
  medianMs: number;
  runsMs: number[];
  reopenMedianMs: number;
  reopenRunsMs: number[];
  reopenReloaded: number;
}
interface Spread {
  median: number;
  min: number;
  max: number;
}
interface Shell {
  platform: string;
  runs: number;
  firstOpenMs: Spread;
  reopenMs: Spread;
}
interface Latency {
  rows: { pending: number; p50ms: number; p99ms: number; samples: number }[];
  startupMs: number;
  startupPending: number;
}

export interface BenchResults {
  when: string;
  node: string;
  platform: string;
  machine: string;
  seconds: number;
  callsPerAction: PerAction[];
  busyHour: { label: string; values: number; ratio: number; app: BusySide; naive: BusySide };
  drain: Drain;
  import50k: Import50k | NA;
  latency?: Latency;
  bundle?: { totalGzip: number; totalBytes: number; files: unknown[] } | { error: string };
  popover?: Popover | NA;
  shellPopover?: Shell | NA;
  oauth?: { medianMs: number; runsMs: number[] } | NA;
  previous?: Partial<Omit<BenchResults, 'previous'>>;
}

const n = (x: number): string => x.toLocaleString('en-US');
const isNA = (x: unknown): x is NA => typeof x === 'object' && x !== null && 'na' in x;
const ok = (met: boolean): string => (met ? 'yes' : '**no**');
const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const range = (xs: number[]): string => `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]): string[] => [row(head), row(head.map(() => '---')), ...rows.map(row)];

function lost(x: Side, what: string): string {
  return x.valuesLost === 0 ? `none lost` : `**${n(x.valuesLost)} ${what} lost**`;
}

function naiveCell(x: Side, what: string): string {
  return `${n(x.calls)} calls, ${n(x.refused429)} refused (429): ${lost(x, what)}`;
}

function appLag(x: Side): string {
  return x.lagP95s === undefined
    ? ''
    : `; click → Exist p50 ${x.lagP50s} s, **p95 ${x.lagP95s} s**, max ${x.lagMaxS} s`;
}

/** The simulated-time rows: calls against the naive client. */
function callRows(r: BenchResults): string[][] {
  const by = (id: string): PerAction => {
    const s = r.callsPerAction.find((x) => x.id === id);
    if (!s) throw new Error(`bench/results.json has no scenario ${id}`);
    return s;
  };
  const hour = by('hour-1000');
  const rapid = by('rapid-100');
  const back = by('backfill-2000');
  const bh = r.busyHour;
  const d = r.drain;
  const backMin = Math.ceil(back.actions / 35);
  return [
    [
      hour.label,
      '≤ 60 calls, p95 lag ≤ 60 s, 0 refused',
      `**${hour.app.calls} calls** (${hour.app.writeCalls} writes + ${hour.app.reads} read${hour.app.reads === 1 ? '' : 's'})${appLag(hour.app)}; ${n(hour.app.daysRight)}/${n(hour.app.days)} days exact, ${lost(hour.app, 'clicks')}; ${hour.app.refused429} refused`,
      naiveCell(hour.naive, 'clicks'),
      `${hour.ratio}×`,
      ok(hour.app.calls <= 60 && (hour.app.lagP95s ?? Infinity) <= 60 && hour.app.refused429 === 0),
    ],
    [
      `busy hour: ${bh.label}`,
      'every value lands, clicks p95 ≤ 60 s, 0 refused',
      `**${bh.app.calls} calls** (max ${bh.app.maxCallsInAnyHour} in any hour; ${bh.app.reads} read${bh.app.reads === 1 ? '' : 's'}); ${n(bh.app.daysRight)}/${n(bh.app.days)} days exact, ${lost(bh.app, 'values')}; clicks p95 ${bh.app.lagP95s} s (max ${bh.app.lagMaxS} s); ${bh.app.importCalls} update calls (the import's and the jobs' totals), the import all in Exist after ${bh.app.importDrainedMinutes} simulated min; ${bh.app.refused429} refused`,
      naiveCell(bh.naive, 'values'),
      `${bh.ratio}×`,
      ok(bh.app.valuesLost === 0 && (bh.app.lagP95s ?? Infinity) <= 60 && bh.app.refused429 === 0),
    ],
    [
      rapid.label,
      '≤ 5 calls',
      `**${rapid.app.calls} calls** (${rapid.app.reads} read${rapid.app.reads === 1 ? '' : 's'}); ${lost(rapid.app, 'clicks')}${appLag(rapid.app)}`,
      naiveCell(rapid.naive, 'clicks'),
      `${rapid.ratio}×`,
      ok(rapid.app.calls <= 5 && rapid.app.valuesLost === 0),
    ],
    [
      back.label,
      `⌈${n(back.actions)}/35⌉ = ${backMin} calls`,
      `**${back.app.calls} calls**; ${n(back.app.daysRight)}/${n(back.app.days)} days exact`,
      naiveCell(back.naive, 'totals'),
      `${back.ratio}×`,
      ok(back.app.calls === backMin && back.app.valuesLost === 0),
    ],
    [
      `${n(d.values)} queued values drained (background)`,
      `⌈${n(d.values)}/35⌉ = ${d.minimumCalls} calls, 0 refused`,
      `**${d.calls} calls**, ${d.refused429} refused, ${d.left} left; ${n(d.valuesInFirstHour)} values in the first hour (background keeps 60 calls an hour for clicks); drained in ${d.simulatedMinutesToDrain} simulated min`,
      '—',
      '—',
      ok(d.calls === d.minimumCalls && d.refused429 === 0 && d.left === 0),
    ],
  ];
}

interface WallRow {
  label: string;
  target: string;
  cell: (r: Partial<BenchResults>) => string | null;
  met?: (r: BenchResults) => boolean | null;
  /** The figure compared between runs for the noise line (ms; null: none), and its name there. */
  figure?: (r: Partial<BenchResults>) => number | null;
  short?: string;
}

const WALL: WallRow[] = [
  {
    label: 'import 50,000 rows (streamed; bundled child process, plain node)',
    target: '≤ 10 s to queue, ≤ 150 MB peak RSS',
    cell: (r) =>
      !r.import50k
        ? null
        : isNA(r.import50k)
          ? r.import50k.na
          : `queued in **${r.import50k.secondsToQueueMedian} s** (max ${r.import50k.secondsToQueueMax} s), peak RSS **${r.import50k.peakRssMBMedian} MB** (max ${r.import50k.peakRssMBMax} MB), median of ${r.import50k.runs}`,
    met: (r) => (isNA(r.import50k) ? null : r.import50k.secondsToQueueMax <= 10 && r.import50k.peakRssMBMax <= 150),
    short: 'import queue time',
    figure: (r) => (r.import50k && !isNA(r.import50k) ? r.import50k.secondsToQueueMedian * 1000 : null),
  },
  {
    label: 'popover, browser host: first open (fresh browser context, page load → usable +1), median of 7',
    target: '—',
    cell: (r) =>
      !r.popover ? null : isNA(r.popover) ? r.popover.na : `${ms(r.popover.medianMs)} (${range(r.popover.runsMs)})`,
    short: 'browser-host first open',
    figure: (r) => (r.popover && !isNA(r.popover) ? r.popover.medianMs : null),
  },
  {
    label: 'popover, browser host: reopen (the kept, hidden frame shown again), median of 7',
    target: 'no reload',
    cell: (r) =>
      !r.popover
        ? null
        : isNA(r.popover)
          ? r.popover.na
          : `**${ms(r.popover.reopenMedianMs)}** (${range(r.popover.reopenRunsMs)}); ${r.popover.reopenReloaded} of ${r.popover.reopenRunsMs.length} reloaded the frame`,
    met: (r) => (!r.popover || isNA(r.popover) ? null : r.popover.reopenReloaded === 0),
    short: 'browser-host reopen',
    figure: (r) => (r.popover && !isNA(r.popover) ? r.popover.reopenMedianMs : null),
  },
  {
    label: 'Electron API model (linux): tray click → popover visible with content, first open, median of 7 boots',
    target: '—',
    cell: (r) =>
      !r.shellPopover
        ? null
        : isNA(r.shellPopover)
          ? r.shellPopover.na
          : `${ms(r.shellPopover.firstOpenMs.median)} (${ms(r.shellPopover.firstOpenMs.min)}–${ms(r.shellPopover.firstOpenMs.max)}), ${r.shellPopover.runs} boots`,
    short: 'Electron-model first open',
    figure: (r) => (r.shellPopover && !isNA(r.shellPopover) ? r.shellPopover.firstOpenMs.median : null),
  },
  {
    label: 'Electron API model (linux): tray click → popover visible again, reopen, median of 7 boots',
    target: '—',
    cell: (r) =>
      !r.shellPopover
        ? null
        : isNA(r.shellPopover)
          ? r.shellPopover.na
          : `**${ms(r.shellPopover.reopenMs.median)}** (${ms(r.shellPopover.reopenMs.min)}–${ms(r.shellPopover.reopenMs.max)})`,
    short: 'Electron-model reopen',
    figure: (r) => (r.shellPopover && !isNA(r.shellPopover) ? r.shellPopover.reopenMs.median : null),
  },
  {
    label: 'outbox enqueue, fsync’ed before it returns: p50 / p99 at 0 · 1k · 10k pending',
    target: '—',
    cell: (r) => (r.latency ? r.latency.rows.map((x) => `${x.p50ms} / ${x.p99ms}`).join(' · ') + ' ms' : null),
  },
  {
    label: 'outbox start-up (open and replay)',
    target: '—',
    cell: (r) => (r.latency ? `${ms(r.latency.startupMs)} with ${n(r.latency.startupPending)} pending writes` : null),
    short: 'outbox start-up',
    figure: (r) => r.latency?.startupMs ?? null,
  },
  {
    label: 'renderer JavaScript (production build, gzip -9)',
    target: '—',
    cell: (r) =>
      !r.bundle
        ? null
        : 'error' in r.bundle
          ? `n/a (${r.bundle.error})`
          : `${(r.bundle.totalGzip / 1024).toFixed(1)} KiB`,
  },
  {
    label: 'OAuth callback → connected (sandbox), median of 7',
    target: '—',
    cell: (r) => (!r.oauth ? null : isNA(r.oauth) ? r.oauth.na : `${ms(r.oauth.medianMs)} (${range(r.oauth.runsMs)})`),
    short: 'OAuth connect',
    figure: (r) => (r.oauth && !isNA(r.oauth) ? r.oauth.medianMs : null),
  },
];

const hhmm = (iso: string | undefined): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

/** Whether the simulated-time figures equal those of the run before (they are deterministic). */
function simulatedSame(r: BenchResults): boolean | null {
  const p = r.previous;
  if (!p?.callsPerAction || !p.busyHour || !p.drain) return null;
  const strip = (x: unknown): string => JSON.stringify(x);
  return (
    strip(p.callsPerAction) === strip(r.callsPerAction) &&
    strip(p.busyHour) === strip(r.busyHour) &&
    strip(p.drain) === strip(r.drain)
  );
}

function noise(r: BenchResults): string {
  const p = r.previous;
  const same = simulatedSame(r);
  const sim =
    same === null
      ? 'The simulated-time rows use a fixed seed (no run before to compare with in this file).'
      : same
        ? 'The simulated-time rows are identical to the run before (fixed seed, simulated clock).'
        : '**The simulated-time rows differ from the run before** (the code changed between the two runs).';
  if (!p) return `${sim} No run before is recorded, so the wall-clock noise is only the spread within this run.`;
  const moves: string[] = [];
  let worst = 1;
  for (const w of WALL) {
    const a = w.figure?.(r);
    const b = w.figure?.(p);
    if (a == null || b == null || a <= 0 || b <= 0) continue;
    const f = Math.max(a, b) / Math.min(a, b);
    worst = Math.max(worst, f);
    moves.push(`${w.short ?? w.label} ${ms(b)} → ${ms(a)}`);
  }
  return `${sim} Wall-clock rows moved by up to ${worst.toFixed(1)}× between the two runs (${moves.join('; ')}): other jobs shared the ${r.machine.split(' ')[0]} cores; the call counts and ratios do not depend on it.`;
}

/** The README's generated Performance block (markdown, between START and END). */
export function performanceSection(r: BenchResults): string {
  const p = r.previous ?? {};
  const wall = WALL.map((w) => {
    const met = w.met?.(r);
    return [w.label, w.target, w.cell(r) ?? 'not measured', w.cell(p) ?? '—', met == null ? '—' : ok(met)];
  });
  return [
    START,
    '',
    `Run of ${hhmm(r.when)}: ${r.machine}, ${r.platform}, Node ${r.node}; the whole bench took ${Math.round(r.seconds)} s.`,
    '',
    ...table(['scenario (simulated hour)', 'target', 'Exist Tray', 'naive client', 'naive / app', 'met'], callRows(r)),
    '',
    ...table(['wall-clock figure', 'target', 'this run', `the run before (${hhmm(p.when)})`, 'met'], wall),
    '',
    noise(r),
    '',
    END,
  ].join('\n');
}

/** The README's current block between the markers (null: no markers). */
export function readmeSection(readme: string): string | null {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  return a < 0 || b < a ? null : readme.slice(a, b + END.length);
}

/** A block reduced to what matters: table cells trimmed, delimiter rows and prettier's padding ignored. */
export function normalise(block: string): string[] {
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l.startsWith('|')
        ? l
            .slice(1, -1)
            .split(' | ')
            .map((c) => c.trim())
            .join(' | ')
        : l,
    );
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function loadResults(): BenchResults {
  return JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const section = performanceSection(loadResults());
  if (process.argv.includes('--write')) {
    const file = join(ROOT, 'README.md');
    const readme = readFileSync(file, 'utf8');
    const old = readmeSection(readme);
    if (old === null) throw new Error(`README.md has no ${START} … ${END} block.`);
    writeFileSync(file, readme.replace(old, section));
    console.log('README.md: Performance block rewritten from bench/results.json (run prettier --write README.md).');
  } else console.log(section);
}
