/**
 * `exist-tray acquire | create | release | increment | set | sync | pending`: writing the
 * user's own data, on the same app core (and contract channels) as the tray app, so
 * ownership, value validation, the user's date in their Exist timezone and the outbox's
 * no-double-counting policy (src/core/outbox/index.ts) apply exactly as in the app.
 *
 * One process owns the outbox at a time. When the tray app runs with the same data
 * folder it holds the outbox, so `increment`, `set` and `sync` are handed to it over its
 * local socket (src/core/remote); the other commands ask the user to use the app or quit
 * it. Values are parsed here, in the attribute's type and the user's units, so
 * "1h 20m", "45%", "yes" and "7:30" mean the same in both paths.
 *
 * Exit codes: 0 done (an `increment`/`set` that is durably queued but could not be sent
 * yet is done: running it again would count it twice), 1 failed (Exist refused a write,
 * or `sync` left writes unsent), 2 usage.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { readOwnedCache } from '../../core/app';
import { defineCommand } from '../../core/launch/commands';
import { TEMPORARY_SYNC_CODES } from '../../core/app/views';
import { OutboxLockedError } from '../../core/outbox';
import { remoteSocketPath, sendToRunningApp, type RemoteCommand, type RemoteResult } from '../../core/remote';
import { UserError } from '../../core/errors';
import { displayUnitFor, parseDelta, parseValue, type ParseContext } from '../../core/values';
import {
  ATTRIBUTE_GROUPS,
  CREATABLE_VALUE_TYPES,
  type CreatableValueTypeName,
  type IsoDate,
  type Profile,
  type ValueTypeCode,
} from '../../shared/domain';
import type { FailedWriteView, OwnedAttributeView, SyncView, WriteReceipt } from '../../shared/ipc-contract';
import { UsageError, type CliContext } from '../context';
import { openCliCore, type CliCore } from '../host';
import type { CommandRegistrar } from '../program';

/** How long `sync` (and increment/set without --no-sync) waits for a 429 pause or a network backoff by default. */
export const DEFAULT_SYNC_WAIT_SECONDS = 60;
/** How long the running app gets to answer a presence check / a command. */
const APP_PROBE_MS = 3_000;
const APP_COMMAND_MS = 60_000;

/** The one line for "the app holds the outbox but is not answering". */
export const APP_NOT_ANSWERING = 'Exist Tray is running with this data folder but did not answer; try again or quit it';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

// ---------------------------------------------------------------- pure helpers (exported for tests)

/** What one `sync` did, from the sync views before and after it. */
export interface SyncSummary {
  /** Calls to Exist the outbox made (null when the running app sent them). */
  calls: number | null;
  /** Writes that reached Exist. */
  sent: number;
  /** Writes Exist refused during this sync (now in the failed list). */
  failed: number;
  /** Writes still queued. */
  pending: number;
  failedItems: FailedWriteView[];
  maybeDoubled: FailedWriteView[];
  /** Why writes are still queued, if they are. */
  problem: string | null;
  /** Milliseconds spent waiting for a 429 pause or a backoff. */
  waitedMs: number;
  via: 'cli' | 'app';
}

/** Summarises a sync from the views before and after it; `calls` from the rate budget's counts. */
export function summarizeSync(before: SyncView, after: SyncView, via: 'cli' | 'app', waitedMs = 0): SyncSummary {
  const known = new Set(before.failed.map((f) => f.id));
  const newFailed = after.failed.filter((f) => !known.has(f.id)).length;
  return {
    calls: via === 'cli' ? Math.max(0, after.rate.used - before.rate.used) : null,
    sent: Math.max(0, before.pending - after.pending - newFailed),
    failed: newFailed,
    pending: after.pending,
    failedItems: after.failed,
    maybeDoubled: after.maybeDoubled,
    problem: after.pending > 0 ? (after.lastError?.message ?? 'Not everything could be sent yet.') : null,
    waitedMs,
    via,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const failedLine = (f: FailedWriteView): string =>
  `  ${f.name} on ${f.date} (${f.kind} ${typeof f.value === 'string' ? JSON.stringify(f.value) : f.value}): ${f.message} [${f.errorCode}]`;

/** The human lines of a sync summary. */
export function syncLines(s: SyncSummary): string[] {
  const lines =
    s.via === 'app'
      ? [
          `Sync: handed to the running Exist Tray; ${s.pending} still queued, ${s.failedItems.length} in its failed list.`,
        ]
      : [`Sync: ${plural(s.calls ?? 0, 'call')}, ${s.sent} sent, ${s.failed} failed, ${s.pending} still queued.`];
  if (s.failed > 0) {
    lines.push('Exist refused:');
    const fresh = s.failedItems.slice(-s.failed);
    for (const f of fresh) lines.push(failedLine(f));
  }
  if (s.problem) lines.push(`Not sent yet: ${s.problem}`);
  if (s.maybeDoubled.length > 0)
    lines.push(
      `${plural(s.maybeDoubled.length, 'increment')} may have counted twice (Exist did not confirm them); see \`exist-tray pending\`.`,
    );
  return lines;
}

/** The human lines of `pending`. */
/** The queued writes per attribute and day, as they will be sent: `pages_read 2026-11-30: +50 (50 writes)`. */
export function queuedLines(v: SyncView): string[] {
  const days = new Map<
    string,
    { name: string; date: string; set: number | string | null; delta: number; writes: number }
  >();
  for (const q of v.queued) {
    const k = `${q.name} ${q.date}`;
    const d = days.get(k) ?? { name: q.name, date: q.date, set: null, delta: 0, writes: 0 };
    d.writes++;
    if (q.kind === 'set') {
      d.set = q.value;
      d.delta = 0; // a total supersedes the increments before it
    } else d.delta += Number(q.value);
    days.set(k, d);
  }
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${Number(n.toFixed(6))}`;
  const lines = [...days.values()].map(
    (d) =>
      `  ${d.name} ${d.date}: ${d.set === null ? signed(d.delta) : `= ${d.set}${d.delta !== 0 ? ` then ${signed(d.delta)}` : ''}`} (${plural(d.writes, 'write')})`,
  );
  if (v.queued.length < v.pending) lines.push(`  … and ${plural(v.pending - v.queued.length, 'more write')}`);
  return lines;
}

export function pendingLines(v: SyncView): string[] {
  const lines = [
    `Queued: ${plural(v.pending, 'write')} waiting to be sent${v.pending > 0 ? ' (run `exist-tray sync`)' : ''}.`,
  ];
  lines.push(...queuedLines(v));
  lines.push(
    `Failed: ${v.failed.length}${v.failed.length > 0 ? ' (Exist refused these; they are kept, not retried)' : ''}`,
  );
  for (const f of v.failed) lines.push(failedLine(f));
  if (v.maybeDoubled.length > 0) {
    lines.push(
      `May have counted twice: ${v.maybeDoubled.length} (Exist did not confirm them and Exist Tray could not check; look at these days in Exist)`,
    );
    for (const f of v.maybeDoubled) lines.push(failedLine(f));
  }
  if (v.lastError && v.pending > 0) lines.push(`Last problem: ${v.lastError.message}`);
  if (v.rate.pausedUntil !== null)
    lines.push(`Paused by Exist's rate limit until ${new Date(v.rate.pausedUntil).toISOString()}.`);
  return lines;
}

/** The attribute facts parsing needs, from either an owned view (CLI core) or the app's cache. */
interface AttributeFacts {
  name: string;
  label: string;
  template: string | null;
  valueType: ValueTypeCode;
  valueTypeDescription: string;
}

const factsFromView = (a: OwnedAttributeView): AttributeFacts => ({
  name: a.name,
  label: a.label,
  template: a.template,
  valueType: a.valueType,
  valueTypeDescription: a.valueTypeDescription,
});

/** Parses what the user typed for `increment`/`set` into the stored (metric, API) form. */
export function parseInput(
  kind: 'increment' | 'set',
  a: AttributeFacts,
  raw: string,
  profile: Profile | null,
  nowMs: number,
): number | string {
  const unit = displayUnitFor(
    { name: a.name, template: a.template, value_type: a.valueType, value_type_description: a.valueTypeDescription },
    profile,
  );
  const pctx: ParseContext = {
    attributeName: a.name,
    ...(unit ? { unit } : {}),
    ...(profile ? { now: { nowMs, timeZone: profile.timezone } } : {}),
  };
  const r = kind === 'increment' ? parseDelta(a.valueType, raw, pctx) : parseValue(a.valueType, raw, pctx);
  if (!r.ok)
    throw new UserError(
      'invalid-value',
      `${a.label} (${a.name}): ${r.message}.`,
      kind === 'increment' ? 'delta' : 'value',
    );
  return r.value;
}

function checkDate(date: string | undefined): IsoDate | undefined {
  if (date === undefined) return undefined;
  if (!ISO_DATE.test(date)) throw new UsageError(`--date must look like 2026-11-30 (got '${date}')`);
  return date as IsoDate;
}

function checkName(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name))
    throw new UsageError(`'${name}' is not an attribute name (names look like pages_read)`);
  return name;
}

// ---------------------------------------------------------------- opening the core, or the running app

const isLocked = (e: unknown): e is OutboxLockedError =>
  e instanceof OutboxLockedError || (e instanceof Error && e.name === 'OutboxLockedError');

/** Asks the running app (if any) whether it is there. null: no app listens on this data folder. */
async function probeApp(ctx: CliContext): Promise<RemoteResult | null> {
  const path = remoteSocketPath(ctx.dataDir);
  if (process.platform !== 'win32' && !existsSync(path)) return null;
  return sendToRunningApp(path, { command: 'status', args: {} }, { timeoutMs: APP_PROBE_MS });
}

async function toApp(ctx: CliContext, command: RemoteCommand): Promise<unknown> {
  // ---- the single call site of the running-app channel (src/core/remote) ----
  const r = await sendToRunningApp(remoteSocketPath(ctx.dataDir), command, { timeoutMs: APP_COMMAND_MS });
  if (r === null)
    throw new UserError(
      'app-gone',
      'Exist Tray stopped while the command was being handed to it; nothing was sent. Try again.',
    );
  if (!r.ok) throw new UserError(r.error.code, r.error.message, r.error.field);
  return r.value;
}

type Route = { via: 'cli'; cli: CliCore } | { via: 'app' };

/**
 * Opens the CLI's own core, or (for increment/set/sync) routes to the running app.
 * `allowApp` false: a running app is an error saying to use it or quit it.
 */
async function route(ctx: CliContext, allowApp: boolean, what: string): Promise<Route> {
  const probe = await probeApp(ctx);
  if (probe !== null) {
    if (!probe.ok) throw new UserError('app-not-answering', `${APP_NOT_ANSWERING}. (${probe.error.message})`);
    if (allowApp) return { via: 'app' };
    throw new UserError(
      'app-running',
      `Exist Tray is running with this data folder; ${what} in the app, or quit it and try again.`,
    );
  }
  try {
    return { via: 'cli', cli: await openCliCore(ctx, { opener: null }) };
  } catch (e) {
    if (!isLocked(e)) throw e;
    // The app may have started a moment ago: ask once more before giving up.
    const again = await probeApp(ctx);
    if (again?.ok && allowApp) return { via: 'app' };
    if (again === null && heldByCli(e)) return { via: 'cli', cli: await openWhenFree(ctx, e) };
    throw new UserError('app-not-answering', `${APP_NOT_ANSWERING}. (${e.message})`);
  }
}

/** How long a command waits for another `exist-tray` (a `sync` from cron) to let go of the outbox. */
export const CLI_LOCK_WAIT_MS = 120_000;

const heldByCli = (e: OutboxLockedError): boolean => e.owner?.what.startsWith('exist-tray') ?? false;

/** Another exist-tray is sending: wait for it (a short wait; it says so once), then open the core. */
async function openWhenFree(ctx: CliContext, first: OutboxLockedError): Promise<CliCore> {
  ctx.io.stderr(`exist-tray: waiting for ${first.owner?.what ?? 'another exist-tray'} (pid ${first.pid}) to finish…`);
  const deadline = Date.now() + CLI_LOCK_WAIT_MS;
  let step = 100;
  for (;;) {
    await sleep(step);
    step = Math.min(step * 2, 1_000);
    try {
      return await openCliCore(ctx, { opener: null });
    } catch (e) {
      if (!isLocked(e) || !heldByCli(e) || Date.now() > deadline) throw e;
    }
  }
}

async function withRoute<T>(
  ctx: CliContext,
  allowApp: boolean,
  what: string,
  fn: (r: Route) => Promise<T>,
): Promise<T> {
  const r = await route(ctx, allowApp, what);
  try {
    return await fn(r);
  } finally {
    if (r.via === 'cli') await r.cli.close();
  }
}

// ---------------------------------------------------------------- attributes

/** The owned attribute `name`; when the cache does not list it, asks Exist once. */
async function ownedAttribute(cli: CliCore, name: string): Promise<OwnedAttributeView | null> {
  const cached = (await cli.call('attributes:list-owned', {})).find((a) => a.name === name);
  if (cached) return cached;
  const account = await cli.call('account:get', {});
  if (account.status !== 'connected') return null;
  return (await cli.call('attributes:list-owned', { refresh: true })).find((a) => a.name === name) ?? null;
}

/** The running app's cached list of owned attributes (`owned.json` in the data folder). */
function appOwnedAttribute(ctx: CliContext, name: string): AttributeFacts | null {
  const a = readOwnedCache(ctx.dataDir)?.attributes.find((x) => x.name === name);
  return a
    ? {
        name: a.name,
        label: a.label,
        template: a.template,
        valueType: a.value_type,
        valueTypeDescription: a.value_type_description,
      }
    : null;
}

const notOwned = (name: string) =>
  new UserError(
    'not-owned',
    `Exist Tray does not own “${name}”. Take it first: \`exist-tray acquire --template ${name}\` (or --name ${name} for one you made).`,
    'name',
  );

// ---------------------------------------------------------------- sync

/** Sends the outbox, waiting (up to `waitMs`) through 429 pauses and network backoffs. */
async function syncCli(cli: CliCore, ctx: CliContext, waitMs: number): Promise<SyncSummary> {
  const before = await cli.call('sync:get', {});
  const started = Date.now();
  const deadline = started + waitMs;
  let waited = 0;
  let step = 500;
  let view = await cli.call('sync:now', {});
  while (view.pending > 0) {
    if (!TEMPORARY_SYNC_CODES.has(view.lastError?.code ?? '')) break;
    const now = Date.now();
    const until = view.rate.pausedUntil ?? now + step;
    if (until > deadline) break;
    const ms = Math.max(until - now, 100);
    if (!ctx.json)
      ctx.io.stderr(`exist-tray: ${view.lastError?.message ?? 'waiting'} Trying again in ${Math.ceil(ms / 1000)} s…`);
    await sleep(ms);
    waited += ms;
    step = Math.min(step * 2, 8_000);
    view = await cli.call('sync:now', {});
  }
  return summarizeSync(before, view, 'cli', waited);
}

async function syncApp(ctx: CliContext): Promise<SyncSummary> {
  const view = (await toApp(ctx, { command: 'sync', args: {} })) as SyncView;
  // The app does not say what it had queued before: report its state after (sent/failed unknown, 0).
  return summarizeSync(view, view, 'app');
}

const parseWait = (raw: string | undefined): number => {
  if (raw === undefined) return DEFAULT_SYNC_WAIT_SECONDS * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 3600)
    throw new UsageError(`--wait takes seconds from 0 to 3600 (got '${raw}')`);
  return n * 1000;
};

// ---------------------------------------------------------------- increment / set

interface WriteOptions {
  date?: string;
  sync: boolean;
}

/** Queues (and unless --no-sync, sends) one write; returns the failure line, or null. */
export async function write(
  ctx: CliContext,
  kind: 'increment' | 'set',
  nameIn: string,
  raw: string,
  opts: WriteOptions,
): Promise<string | null> {
  const name = checkName(nameIn);
  const date = checkDate(opts.date);
  const dateArg = date ? { date } : {};
  return withRoute(ctx, true, `${kind} it`, async (r) => {
    let receipt: WriteReceipt;
    let summary: SyncSummary | null = null;
    if (r.via === 'app') {
      const facts = appOwnedAttribute(ctx, name);
      let value: number | string;
      if (facts) value = parseInput(kind, facts, raw, null, Date.now());
      else if (kind === 'increment' && PLAIN_NUMBER.test(raw.trim())) value = Number(raw);
      else throw notOwned(name);
      receipt = (await toApp(
        ctx,
        kind === 'increment'
          ? { command: 'increment', args: { name, delta: value as number, ...dateArg } }
          : { command: 'set', args: { name, value, ...dateArg } },
      )) as WriteReceipt;
      if (opts.sync) summary = await syncApp(ctx);
    } else {
      const { cli } = r;
      const account = await cli.call('account:get', {});
      if (account.status === 'disconnected')
        throw new UserError('not-connected', 'Not connected to Exist. Run `exist-tray login` first.');
      const a = await ownedAttribute(cli, name);
      if (!a) throw notOwned(name);
      const value = parseInput(kind, factsFromView(a), raw, account.profile, Date.now());
      receipt =
        kind === 'increment'
          ? await cli.call('values:increment', { name, delta: value as number, ...dateArg })
          : await cli.call('values:set', { name, value, ...dateArg });
      if (opts.sync) summary = await syncCli(cli, ctx, DEFAULT_SYNC_WAIT_SECONDS * 1000);
    }
    const refused = summary?.failedItems.find((f) => f.id === receipt.id) ?? null;
    const sent = summary === null ? null : refused === null && summary.pending === 0;
    ctx.print({ queued: receipt, sent, sync: summary, via: r.via }, () => {
      if (summary === null) return `${receipt.description} — queued (${receipt.date}); \`exist-tray sync\` sends it.`;
      if (refused)
        return [
          `${receipt.description} — Exist refused it: ${refused.message}`,
          'It is kept in the failed list (`exist-tray pending`).',
        ];
      if (sent) return `${receipt.description} — sent to Exist (${receipt.date}).`;
      return [
        `${receipt.description} — queued (${receipt.date}), not sent yet: ${summary.problem ?? 'see `exist-tray pending`'}`,
        'It stays queued; `exist-tray sync` sends it (do not repeat the command, or it counts twice).',
      ];
    });
    if (refused) return `Exist refused ${name} on ${receipt.date}: ${refused.message}`;
    if (summary && summary.pending > 0)
      ctx.io.stderr(
        `exist-tray: ${plural(summary.pending, 'write')} still queued: ${summary.problem ?? 'see `exist-tray pending`'}`,
      );
    return null;
  });
}

// ---------------------------------------------------------------- registration

/** Ends a command that printed its outcome but failed: one line on stderr, exit 1. */
const finish = (failure: string | null): void => {
  if (failure !== null) throw new UserError('write-failed', failure);
};

/** Registers the write commands on the program. */
export const registerWriteCommands: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('acquire')
    .description(
      'let Exist Tray write an attribute: by template (pages_read, mood, …) or by the name of one you already have',
    )
    .option('--template <template>', 'an Exist template name, e.g. pages_read (see `exist-tray templates`)')
    .option('--name <name>', 'the name of an attribute you already have in Exist, whatever its type')
    .option('--manual', 'mark it as manually entered')
    .action(async (opts: { template?: string; name?: string; manual?: boolean }) => {
      if ((opts.template === undefined) === (opts.name === undefined))
        throw new UsageError('give exactly one of --template T or --name N');
      const by = opts.template !== undefined ? 'template' : 'name';
      const name = checkName((opts.template ?? opts.name)!);
      const c = ctx();
      await withRoute(c, false, 'add attributes', async (r) => {
        if (r.via !== 'cli') return;
        const a = await r.cli.call('attributes:acquire', { by, name, ...(opts.manual ? { manual: true } : {}) });
        c.print(
          a,
          () =>
            `Acquired ${a.name} — ${a.label} (${a.group.label}, ${a.valueTypeDescription}). Exist Tray can write it now.`,
        );
      });
    });

  program
    .command('create')
    .description('create a custom attribute and let Exist Tray write it (prints the name Exist gave it)')
    .requiredOption('--label <label>', 'its label, e.g. "Chapters read"')
    .requiredOption('--group <group>', `its group (${ATTRIBUTE_GROUPS.join(', ')})`)
    .requiredOption('--type <type>', `its value type (${CREATABLE_VALUE_TYPES.join(', ')})`)
    .option('--manual', 'mark it as manually entered')
    .action(async (opts: { label: string; group: string; type: string; manual?: boolean }) => {
      if (!(ATTRIBUTE_GROUPS as readonly string[]).includes(opts.group))
        throw new UsageError(`unknown group '${opts.group}' (one of ${ATTRIBUTE_GROUPS.join(', ')})`);
      if (!(CREATABLE_VALUE_TYPES as readonly string[]).includes(opts.type))
        throw new UsageError(`unknown type '${opts.type}' (one of ${CREATABLE_VALUE_TYPES.join(', ')})`);
      if (opts.label.trim() === '') throw new UsageError('--label needs some text');
      const c = ctx();
      await withRoute(c, false, 'create attributes', async (r) => {
        if (r.via !== 'cli') return;
        const a = await r.cli.call('attributes:create', {
          label: opts.label.trim(),
          group: opts.group,
          valueType: opts.type as CreatableValueTypeName,
          manual: Boolean(opts.manual),
        });
        c.print(a, () => [
          a.name,
          `Created ${a.name} — ${a.label} (${a.group.label}, ${a.valueTypeDescription}). Use this name to write it.`,
        ]);
      });
    });

  program
    .command('release')
    .description('stop Exist Tray writing an attribute (refused while writes for it are still queued)')
    .argument('<name>', 'the attribute name')
    .action(async (nameIn: string) => {
      const name = checkName(nameIn);
      const c = ctx();
      await withRoute(c, false, 'release attributes', async (r) => {
        if (r.via !== 'cli') return;
        if (!(await ownedAttribute(r.cli, name))) throw notOwned(name);
        const out = await r.cli.call('attributes:release', { name });
        c.print(out, () => `Released ${out.name}; Exist Tray no longer writes it.`);
      });
    });

  // increment, set and sync: the grammar is shared with the app's launch links (src/core/launch/commands.ts).
  defineCommand(program, 'increment')
    .option('--no-sync', 'only queue it; `exist-tray sync` sends it')
    .action(async (name: string, delta: string, opts: WriteOptions) =>
      finish(await write(ctx(), 'increment', name, delta, opts)),
    );

  defineCommand(program, 'set')
    .option('--no-sync', 'only queue it; `exist-tray sync` sends it')
    .action(async (name: string, value: string, opts: WriteOptions) =>
      finish(await write(ctx(), 'set', name, value, opts)),
    );

  defineCommand(program, 'sync')
    .option(
      '--wait <seconds>',
      `how long to wait for a rate-limit pause or a lost connection (default ${DEFAULT_SYNC_WAIT_SECONDS})`,
    )
    .action(async (opts: { wait?: string }) => {
      const waitMs = parseWait(opts.wait);
      const c = ctx();
      const s = await withRoute(c, true, 'sync', async (r) =>
        r.via === 'app' ? syncApp(c) : syncCli(r.cli, c, waitMs),
      );
      c.print(s, () => syncLines(s));
      finish(
        s.failed > 0
          ? `Exist refused ${plural(s.failed, 'write')}; they are in the failed list (\`exist-tray pending\`).`
          : s.pending > 0
            ? `${plural(s.pending, 'write')} still queued: ${s.problem ?? 'see `exist-tray pending`'}`
            : null,
      );
    });

  program
    .command('pending')
    .description('show the writes waiting to be sent, the ones Exist refused, and any that may have counted twice')
    .action(async () => {
      const c = ctx();
      const probe = await probeApp(c);
      if (probe?.ok) {
        const st = probe.value as { pending?: number; failed?: number };
        c.print({ via: 'app', ...st }, () => [
          `Exist Tray is running and holds the queue: ${st.pending ?? '?'} queued, ${st.failed ?? '?'} failed.`,
          'Open Settings → Sync in the app for the details.',
        ]);
        return;
      }
      await withRoute(c, false, 'see the queue', async (r) => {
        if (r.via !== 'cli') return;
        const v = await r.cli.call('sync:get', {});
        c.print(
          {
            via: 'cli',
            pending: v.pending,
            failed: v.failed,
            maybeDoubled: v.maybeDoubled,
            lastSyncAt: v.lastSyncAt,
            lastError: v.lastError,
            rate: v.rate,
          },
          () => pendingLines(v),
        );
      });
    });
};
