/**
 * `exist-tray login | logout | status | refresh | templates`: the account side of the
 * command line, on the same app core (and the same contract channels) as the tray app,
 * so a login here is exactly the app's "Connect to Exist".
 *
 * Environment:
 * - `EXIST_CLIENT_ID` / `EXIST_CLIENT_SECRET`: the Exist client, when not given as flags
 *   (the secret never needs to be on the command line: ../secret-input.ts).
 * - `EXIST_TRAY_REDIRECT_URI` (test/dev override, not for normal use): the redirect URI
 *   to register the callback on instead of http://localhost:8000/. It must be the one
 *   registered for the client (the sandbox's `--redirect-uri`); tests use it to avoid
 *   binding port 8000.
 */
import type { Command } from 'commander';
import type { AppCore } from '../../core/app';
import { UserError } from '../../core/errors';
import { ALL_SCOPES, ATTRIBUTE_GROUPS, REDIRECT_URI } from '../../shared/domain';
import type { AccountView, FailedWriteView, OwnedAttributeView, SyncState, SyncView } from '../../shared/ipc-contract';
import { assertNever } from '../../shared/result';
import { UsageError, type CliContext } from '../context';
import { openCliCore, type CliCore } from '../host';
import { clientSecretFrom } from '../secret-input';
import type { CommandRegistrar } from '../program';

/** Asked for when neither `--scopes` nor a previous connection says otherwise. */
export const DEFAULT_LOGIN_SCOPES: readonly string[] = ['media_write'];

/** The env var that moves the OAuth callback off port 8000 (tests and development only). */
export const REDIRECT_URI_ENV = 'EXIST_TRAY_REDIRECT_URI';

/** How long `login` lets the core finish its after-connect work (owned attributes) before closing. */
const SETTLE_MS = 10_000;

interface LoginOptions {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  scopes?: string;
  browser: boolean;
}

/** `--scopes a,b` → validated list; unknown or empty is a usage error. */
export function parseScopes(raw: string): string[] {
  const scopes = [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
  if (scopes.length === 0) throw new UsageError('--scopes needs at least one scope, e.g. --scopes media_write');
  const known = new Set(ALL_SCOPES);
  const unknown = scopes.filter((s) => !known.has(s));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown scope${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (scopes look like media_write, mood_read, manual_write)`,
    );
  return scopes;
}

/** The redirect URI for this run: the registered default unless the test/dev override is set. */
export function redirectUriFrom(env: Record<string, string | undefined>): string | undefined {
  const raw = env[REDIRECT_URI_ENV];
  if (raw === undefined || raw === '') return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${REDIRECT_URI_ENV} must be an absolute http URL like http://localhost:8000/ (got '${raw}')`);
  }
  if (u.protocol !== 'http:')
    throw new UsageError(`${REDIRECT_URI_ENV} must be an http:// URL on this computer (got '${raw}')`);
  return raw;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A local calendar date, YYYY-MM-DD. */
export const formatDate = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const formatDateTime = (ms: number): string => {
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** "demo (Demo User)", or just the username when Exist gave no names. */
export function who(view: AccountView): string {
  const p = view.profile;
  if (!p) return 'your Exist account';
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ');
  return name ? `${p.username} (${name})` : p.username;
}

/** The one line `login` ends with. */
export function connectedLine(view: AccountView): string {
  const scopes = view.scopes.length > 0 ? view.scopes.join(', ') : 'none';
  const until = view.expiresAt === null ? '' : `; token valid until ${formatDate(view.expiresAt)}`;
  return `Connected to Exist as ${who(view)}, scopes: ${scopes}${until}`;
}

async function withCore<T>(
  ctx: CliContext,
  opts: Parameters<typeof openCliCore>[1],
  fn: (c: CliCore) => Promise<T>,
): Promise<T> {
  const c = await openCliCore(ctx, opts);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

const notConnected = () => new UserError('not-connected', 'Not connected to Exist. Run `exist-tray login` first.');

/**
 * Waits for the attempt `account:connect` started to end, judged by `account:changed`
 * pushes: the first one that is no longer `connecting` after one that was.
 */
function watchAttempt(core: AppCore): { ended: Promise<AccountView>; settled: () => Promise<void>; stop: () => void } {
  let seenConnecting = false;
  let endedWith: AccountView | null = null;
  let resolveEnded!: (v: AccountView) => void;
  let resolveSettled!: () => void;
  const ended = new Promise<AccountView>((r) => (resolveEnded = r));
  const settledP = new Promise<void>((r) => (resolveSettled = r));
  const stop = core.onPush((channel, payload) => {
    if (channel !== 'account:changed') return;
    const v = payload as AccountView;
    if (v.status === 'connecting') {
      seenConnecting = true;
    } else if (seenConnecting && !endedWith) {
      endedWith = v;
      resolveEnded(v);
    } else if (endedWith) {
      resolveSettled(); // the core's follow-up after a connect (owned attributes fetched or failed)
    }
  });
  return {
    ended,
    async settled() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([settledP, new Promise<void>((r) => (timer = setTimeout(r, SETTLE_MS)))]);
      clearTimeout(timer);
    },
    stop,
  };
}

async function login(ctx: CliContext, opts: LoginOptions): Promise<void> {
  const env = ctx.io.env;
  const redirectUri = redirectUriFrom(env);
  const explicitScopes = opts.scopes === undefined ? undefined : parseScopes(opts.scopes);

  await withCore(
    ctx,
    { opener: opts.browser ? undefined : null, ...(redirectUri ? { redirectUri } : {}) },
    async ({ core, call }) => {
      const before = await call('account:get', {});
      // The core remembers the client (ID and secret) of the last connection to this server, even after logout.
      const sameServer = before.server.baseUrl === ctx.existUrl;
      const clientId =
        opts.clientId ?? env.EXIST_CLIENT_ID ?? (sameServer ? (before.clientId ?? undefined) : undefined);
      if (!clientId)
        throw new UserError(
          'missing-client-id',
          'No client ID: pass --client-id or set EXIST_CLIENT_ID (create a client at exist.io → Account → Developers).',
        );
      // Never needs the secret on the command line (./secret-input.ts). An empty secret
      // asks the core to use the one it keeps for this client.
      const clientSecret = await clientSecretFrom({
        flag: opts.clientSecret,
        fromStdin: opts.clientSecretStdin === true,
        env: env.EXIST_CLIENT_SECRET,
        remembered: sameServer && before.clientId === clientId && before.hasClientSecret,
        stdin: process.stdin,
        stderr: ctx.io.stderr,
        prompt: (text) => process.stderr.write(text),
      });
      if (clientSecret === undefined)
        throw new UserError(
          'missing-client-secret',
          'No client secret: pipe it to --client-secret-stdin, set EXIST_CLIENT_SECRET, or run login on a terminal to be asked.',
        );
      const scopes =
        explicitScopes ?? (sameServer && before.scopes.length > 0 ? before.scopes : [...DEFAULT_LOGIN_SCOPES]);

      const watch = watchAttempt(core);
      let cancelled = false;
      const onSigint = () => {
        cancelled = true;
        void call('account:cancel-connect', {}).catch(() => {});
      };
      process.on('SIGINT', onSigint);
      try {
        const started = await call('account:connect', { clientId, clientSecret, scopes, server: 'exist' });
        const say = ctx.json ? ctx.io.stderr : ctx.io.stdout;
        say(
          opts.browser
            ? 'Opening your browser to let Exist Tray write to Exist. If it does not open, visit:'
            : 'Open this page in a browser to let Exist Tray write to Exist:',
        );
        say(started.authorizeUrl ?? '(the authorize URL is not known)');
        say(`Waiting for Exist to send you back to ${redirectUri ?? REDIRECT_URI} (Ctrl-C to cancel)…`);

        const end = await watch.ended;
        if (cancelled) throw new UserError('cancelled', 'Login cancelled; nothing was changed.');
        if (end.error) throw new UserError(end.error.code, end.error.message);
        if (end.status !== 'connected')
          throw new UserError('connect-failed', `The connection did not complete (status: ${end.status}).`);
        await watch.settled();
        const view = await call('account:get', {});
        ctx.print(view, () => connectedLine(view));
      } finally {
        process.off('SIGINT', onSigint);
        watch.stop();
      }
    },
  );
}

function describeStatus(view: AccountView): string {
  switch (view.status) {
    case 'connected':
      return `connected as ${who(view)}`;
    case 'needs-reconnect':
      return `needs reconnecting (${who(view)}) — run \`exist-tray login\`; pending writes are kept`;
    case 'connecting':
      return 'connecting (waiting for the browser)';
    case 'disconnected':
      return 'not connected — run `exist-tray login`';
    default:
      return assertNever(view.status);
  }
}

const failedLine = (f: FailedWriteView, attributes: OwnedAttributeView[]) =>
  `  ${attributes.find((a) => a.name === f.name)?.label ?? f.name} on ${f.date} (${f.kind} ${f.value}): ${f.message}`;

/** The human `status` lines; exported for tests of the wording. */
export function statusLines(
  account: AccountView,
  attributes: OwnedAttributeView[],
  sync: SyncView,
  state?: SyncState,
): string[] {
  const lines = [`Account:        ${describeStatus(account)}`, `Server:         ${account.server.baseUrl}`];
  // The same sync state as the tray and the popover (src/core/sync-state.ts).
  if (state) lines.unshift(`Sync:           ${state.label} — ${state.sentence}`);
  if (account.status !== 'disconnected') {
    lines.push(`Client ID:      ${account.clientId ?? '(none)'}`);
    lines.push(`Scopes:         ${account.scopes.length > 0 ? account.scopes.join(', ') : '(none)'}`);
    if (account.expiresAt !== null)
      lines.push(`Token expires:  ${formatDateTime(account.expiresAt)} (renewed automatically before then)`);
  }
  if (account.error) lines.push(`Last problem:   ${account.error.message}`);
  lines.push(`Owned attributes: ${attributes.length}`);
  for (const a of attributes) lines.push(`  ${a.name} — ${a.label} (${a.group.label}, ${a.valueTypeDescription})`);
  lines.push(`Pending writes: ${sync.pending}`);
  lines.push(`Failed writes:  ${sync.failed.length}`);
  for (const f of sync.failed) lines.push(failedLine(f, attributes));
  if (sync.maybeDoubled.length > 0) {
    lines.push(`Possibly doubled increments: ${sync.maybeDoubled.length}`);
    for (const f of sync.maybeDoubled) lines.push(failedLine(f, attributes));
  }
  if (sync.lastSyncAt !== null) lines.push(`Last sync:      ${formatDateTime(sync.lastSyncAt)}`);
  if (sync.lastError) lines.push(`Sync problem:   ${sync.lastError.message}`);
  return lines;
}

/** Registers the account commands on the program. */
export const registerAccountCommands: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('login')
    .description('connect to Exist: prints the authorize URL, opens the browser and waits for Exist to send you back')
    .option('--client-id <id>', 'the client ID of your Exist app (or EXIST_CLIENT_ID; remembered when reconnecting)')
    .option(
      '--client-secret-stdin',
      'read the client secret from stdin (or set EXIST_CLIENT_SECRET; on a terminal you are asked; remembered when reconnecting)',
    )
    .option(
      '--client-secret <secret>',
      'NOT RECOMMENDED: other local users can read it in the process list while login waits; use --client-secret-stdin',
    )
    .option(
      '--scopes <list>',
      `comma-separated scopes to ask for (default: ${DEFAULT_LOGIN_SCOPES.join(',')}, or the ones granted last time)`,
    )
    .option('--no-browser', 'only print the URL; do not open a browser')
    .action((opts: LoginOptions) => login(ctx(), opts));

  program
    .command('logout')
    .description('disconnect from Exist and forget the tokens (pending writes are kept)')
    .action(async () => {
      const c = ctx();
      await withCore(c, { opener: null }, async ({ call }) => {
        const before = await call('account:get', {});
        const view = await call('account:disconnect', {});
        const sync = await call('sync:get', {});
        c.print(view, () => {
          const kept =
            sync.pending > 0
              ? ` ${sync.pending} pending write${sync.pending === 1 ? ' is' : 's are'} kept and will be sent after the next login.`
              : '';
          return before.status === 'disconnected'
            ? `Not connected to Exist; nothing to do.${kept}`
            : `Disconnected from Exist; the saved tokens were removed.${kept}`;
        });
      });
    });

  program
    .command('status')
    .description('show the account, scopes, token expiry, owned attributes and pending or failed writes')
    .action(async () => {
      const c = ctx();
      // status needs no outbox: it works while the app or a `sync` holds it.
      await withCore(c, { opener: null, whenOutboxLocked: 'wait' }, async ({ call }) => {
        const account = await call('account:get', {});
        const attributes = account.status === 'disconnected' ? [] : await call('attributes:list-owned', {});
        const sync = await call('sync:get', {});
        const state = await call('sync:get-state', {});
        c.print({ account, attributes, sync, state }, () => statusLines(account, attributes, sync, state));
      });
    });

  program
    .command('refresh')
    .description('renew the access token now')
    .action(async () => {
      const c = ctx();
      await withCore(c, { opener: null }, async ({ call }) => {
        const before = await call('account:get', {});
        if (before.status === 'disconnected') throw notConnected();
        const view = await call('account:refresh', {});
        c.print(
          view,
          () =>
            `Token renewed for ${who(view)}; valid until ${view.expiresAt === null ? 'unknown' : formatDate(view.expiresAt)}`,
        );
      });
    });

  program
    .command('templates')
    .description('list the attribute templates Exist offers (and which Exist Tray owns)')
    .option('--group <group>', `only this group (${ATTRIBUTE_GROUPS.join(', ')})`)
    .action(async (opts: { group?: string }) => {
      if (opts.group !== undefined && !(ATTRIBUTE_GROUPS as readonly string[]).includes(opts.group))
        throw new UsageError(`unknown group '${opts.group}' (one of ${ATTRIBUTE_GROUPS.join(', ')})`);
      const c = ctx();
      await withCore(c, { opener: null }, async ({ call }) => {
        const account = await call('account:get', {});
        if (account.status === 'disconnected') throw notConnected();
        const list = await call('attributes:list-templates', opts.group ? { group: opts.group } : {});
        c.print(list, () =>
          list.length === 0
            ? [`No templates${opts.group ? ` in ${opts.group}` : ''}.`]
            : list.map(
                (t) =>
                  `${t.name.padEnd(28)} ${t.group.padEnd(13)} ${t.value_type_description}${t.owned ? '  (owned)' : ''}`,
              ),
        );
      });
    });
};
