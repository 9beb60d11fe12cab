/**
 * The account service: connecting (OAuth through the browser, or the embedded sandbox),
 * renewing, disconnecting, the saved client ID/secret, and the account as the interface
 * shows it. Token events become notices here. Account state lives in the session; this
 * service keeps only the connect attempt in flight and the last account error.
 */
import { DEFAULT_EXIST_URL } from '../../../shared/domain';
import type { AccountView, InvokeHandlers, ServerKind } from '../../../shared/ipc-contract';
import type { AppError } from '../../../shared/result';
import { assertNever } from '../../../shared/result';
import { connectAccount, isAuthFlowError, type StoredAccount, type TokenEvent } from '../../auth';
import { UserError } from '../../errors';
import { createExistClient } from '../../exist/client';
import { accountKey } from '../../session';
import type { AppContext } from '../context';
import { ownedViews, toAppError } from '../context';

export type ConnectRequest = { clientId: string; clientSecret: string; scopes: string[]; server: ServerKind };

export interface AccountService {
  view(): AccountView;
  onTokenEvent(e: TokenEvent): void;
  connect(req: ConnectRequest): Promise<AccountView>;
  cancel(): AccountView;
  refresh(): Promise<AccountView>;
  disconnect(): Promise<AccountView>;
  /** Start-up, first step: the saved client ID and secret. */
  start(): Promise<void>;
  /** Start-up, second step: the stored tokens, the sandbox's new port, the account's outbox. */
  resume(): Promise<void>;
  /** The server kind of a base URL (the saved server when it matches, else Exist). */
  serverOf(baseUrl: string): { kind: ServerKind; baseUrl: string };
  setError(e: AppError | null): void;
  stop(): void;
}

// The client ID and secret outlive a disconnect (the user made that client once, in Exist).
const CLIENT_KEY = 'exist-client';
type SavedClient = { baseUrl: string; clientId: string; clientSecret: string };

async function readSavedClient(secrets: AppContext['deps']['secrets']): Promise<SavedClient | null> {
  try {
    const raw = await secrets.get(CLIENT_KEY);
    const v = raw ? (JSON.parse(raw) as { baseUrl?: unknown; clientId?: unknown; clientSecret?: unknown }) : null;
    return v && typeof v.baseUrl === 'string' && typeof v.clientId === 'string' && typeof v.clientSecret === 'string'
      ? { baseUrl: v.baseUrl, clientId: v.clientId, clientSecret: v.clientSecret }
      : null;
  } catch {
    return null;
  }
}

/** Where to connect, with which client: the sandbox's own, or the user's Exist client. */
async function connectTarget(
  deps: AppContext['deps'],
  req: ConnectRequest,
  current: StoredAccount | null,
  savedClient: SavedClient | null,
): Promise<SavedClient> {
  switch (req.server) {
    case 'sandbox': {
      if (!deps.sandbox) throw new UserError('no-sandbox', 'The local sandbox is not available in this build.');
      const sb = await deps.sandbox.start();
      return { baseUrl: sb.url, clientId: sb.clientId, clientSecret: sb.clientSecret };
    }
    case 'exist': {
      const clientId = req.clientId;
      let clientSecret = req.clientSecret;
      if (!clientId)
        throw new UserError('missing-client-id', 'Enter the client ID of the app you created in Exist.', 'clientId');
      const baseUrl = deps.existUrl ?? DEFAULT_EXIST_URL;
      // Reconnecting the same client: the stored secret is used when the form leaves it empty.
      if (!clientSecret && current?.clientId === clientId) clientSecret = current.clientSecret ?? '';
      if (!clientSecret && savedClient?.clientId === clientId && savedClient.baseUrl === baseUrl)
        clientSecret = savedClient.clientSecret;
      if (!clientSecret)
        throw new UserError(
          'missing-client-secret',
          'Enter the client secret of the app you created in Exist.',
          'clientSecret',
        );
      return { baseUrl, clientId, clientSecret };
    }
    default:
      return assertNever(req.server);
  }
}

export function createAccountService(ctx: AppContext): AccountService {
  const { deps, prefs, push, notices } = ctx;
  const s = ctx.session;
  let savedClient: SavedClient | null = null;
  let lastAccountError: AppError | null = null;
  let connecting: {
    abort: AbortController;
    authorizeUrl: string | null;
    server: { kind: ServerKind; baseUrl: string };
  } | null = null;

  const baseUrlNow = () => s().account()?.baseUrl ?? prefs.get().server?.baseUrl ?? deps.existUrl ?? DEFAULT_EXIST_URL;
  const serverOf = (baseUrl: string): { kind: ServerKind; baseUrl: string } => {
    const saved = prefs.get().server;
    return saved && saved.baseUrl === baseUrl ? saved : { kind: 'exist', baseUrl };
  };

  const loadSavedClient = async () => void (savedClient = await readSavedClient(deps.secrets));
  async function saveClient(baseUrl: string, clientId: string, clientSecret: string) {
    savedClient = { baseUrl, clientId, clientSecret };
    await deps.secrets.set(CLIENT_KEY, JSON.stringify(savedClient));
  }

  function view(): AccountView {
    const a = s().account();
    const saved = savedClient && savedClient.baseUrl === (a?.baseUrl ?? baseUrlNow()) ? savedClient : null;
    const base: Omit<AccountView, 'status'> = {
      server: connecting?.server ?? serverOf(a?.baseUrl ?? baseUrlNow()),
      clientId: a?.clientId ?? saved?.clientId ?? null,
      hasClientSecret: Boolean(a?.clientSecret ?? saved?.clientSecret),
      scopes: a?.scope ?? [],
      expiresAt: a?.expiresAt ?? null,
      profile: a?.profile ?? null,
      authorizeUrl: connecting?.authorizeUrl ?? null,
      error: lastAccountError,
    };
    if (connecting) return { ...base, status: 'connecting' };
    return { ...base, status: a ? a.status : 'disconnected' };
  }

  function onTokenEvent(e: TokenEvent) {
    switch (e.type) {
      case 'refreshed':
        notices.clear('reconnect-needed');
        notices.clear('token-refresh-failed');
        notices.notify(
          'token-refreshed',
          'Exist connection renewed',
          `Your Exist token was renewed; it now lasts until ${new Date(e.expiresAt).toDateString()}.`,
        );
        lastAccountError = null;
        break;
      case 'refresh-failed':
        lastAccountError = { code: e.needsReconnect ? 'needs-reconnect' : 'refresh-failed', message: e.reason };
        if (e.needsReconnect)
          notices.once(
            'reconnect-needed',
            'Reconnect Exist Tray',
            'Exist no longer accepts this app. Open Settings → Account and connect again; your pending writes are kept.',
          );
        else
          notices.once(
            'token-refresh-failed',
            'Could not renew the Exist token',
            `${e.reason} It will be tried again.`,
          );
        break;
      default:
        assertNever(e);
    }
    push('account:changed', view());
  }

  /** After the browser came back with a code and the tokens are stored. */
  async function connected(req: ConnectRequest, t: { baseUrl: string; clientId: string; clientSecret: string }) {
    const session = s();
    await prefs.update((p) => ({ ...p, server: { kind: req.server, baseUrl: t.baseUrl } }));
    session.outbox.status.lastError = null;
    if (req.server === 'exist') await saveClient(t.baseUrl, t.clientId, t.clientSecret);
    const fresh = await session.tokens.reload();
    if (fresh) await session.outbox.open(accountKey(fresh, req.server));
    connecting = null;
    notices.clear('reconnect-needed');
    // The read starts before the push, so the popover says "loading your attributes", not a stale state.
    const reading = session.owned.refresh();
    push('account:changed', view());
    await reading.catch((e: unknown) => (lastAccountError = toAppError(e)));
    void session.outbox
      .current()
      ?.flush()
      .catch(() => {});
    push('account:changed', view());
  }

  async function connect(req: ConnectRequest): Promise<AccountView> {
    if (connecting)
      throw new UserError('busy', 'A connection attempt is already waiting for the browser. Cancel it first.');
    if (req.scopes.length === 0)
      throw new UserError('no-scopes', 'Choose at least one permission (scope) to ask for.', 'scopes');
    const t = await connectTarget(deps, req, s().account(), savedClient);
    const abort = new AbortController();
    connecting = { abort, authorizeUrl: null, server: { kind: req.server, baseUrl: t.baseUrl } };
    lastAccountError = null;
    push('account:changed', view());

    let urlReady!: () => void;
    const urlKnown = new Promise<void>((r) => (urlReady = r));
    const attempt = connectAccount({
      client: createExistClient({ baseUrl: t.baseUrl, fetch: deps.fetch }),
      opener: deps.opener,
      clientId: t.clientId,
      clientSecret: t.clientSecret,
      scopes: req.scopes,
      store: s().store,
      clock: deps.clock,
      signal: abort.signal,
      ...(deps.redirectUri ? { redirectUri: deps.redirectUri } : {}),
      onAuthorizeUrl: (url) => {
        if (connecting?.abort === abort) connecting.authorizeUrl = url;
        urlReady();
        push('account:changed', view());
      },
    });
    const done = attempt.then(
      () => connected(req, t),
      (e: unknown) => {
        if (connecting?.abort === abort) connecting = null;
        if (!(isAuthFlowError(e) && e.code === 'cancelled')) lastAccountError = toAppError(e);
        push('account:changed', view());
        throw e;
      },
    );
    done.catch(() => {});
    // Answer once the browser has been sent to Exist, or at once if the attempt failed before (port 8000 busy).
    await Promise.race([urlKnown, done]).catch((e: unknown) => {
      throw new UserError(toAppError(e).code, toAppError(e).message);
    });
    return view();
  }

  /**
   * The embedded sandbox listens on a new loopback port each run; its state (and so the
   * tokens) persists in the data dir. A sandbox account is pointed at the new address.
   */
  async function reattachSandbox(): Promise<void> {
    const server = prefs.get().server;
    const session = s();
    const a = session.account();
    if (server?.kind !== 'sandbox' || !deps.sandbox || !a) return;
    const sb = await deps.sandbox.start();
    if (sb.url === a.baseUrl) return;
    await session.store.save({ ...a, baseUrl: sb.url });
    await prefs.update((p) => ({ ...p, server: { kind: 'sandbox', baseUrl: sb.url } }));
    session.owned.moveServer(a.baseUrl, sb.url);
    await session.tokens.reload();
  }

  return {
    view,
    onTokenEvent,
    connect,
    serverOf,
    setError: (e) => void (lastAccountError = e),
    cancel() {
      connecting?.abort.abort();
      connecting = null;
      push('account:changed', view());
      return view();
    },
    async refresh() {
      const session = s();
      session.requireAccount();
      await session.tokens.refreshNow();
      await session.refreshProfile(true);
      lastAccountError = null;
      push('account:changed', view());
      return view();
    },
    async disconnect() {
      const session = s();
      connecting?.abort.abort();
      connecting = null;
      await session.store.clear();
      await session.tokens.reload();
      lastAccountError = null;
      push('account:changed', view());
      push('attributes:changed', ownedViews(ctx));
      return view();
    },
    start: loadSavedClient,
    async resume() {
      const session = s();
      await session.tokens.start().catch((e: unknown) => {
        lastAccountError = toAppError(e);
      });
      await reattachSandbox().catch((e: unknown) => {
        lastAccountError = toAppError(e);
      });
      const a = session.account();
      // The outbox of the stored account (an account stored without a key — older data,
      // or stored by a tool — gets one from its server and user).
      if (a) await session.outbox.open(prefs.get().accountKey ?? accountKey(a, serverOf(a.baseUrl).kind));
    },
    stop() {
      connecting?.abort.abort();
      connecting = null;
    },
  };
}

export function accountHandlers(
  service: AccountService,
): Pick<
  InvokeHandlers,
  'account:get' | 'account:connect' | 'account:cancel-connect' | 'account:refresh' | 'account:disconnect'
> {
  return {
    'account:get': async () => service.view(),
    'account:connect': (req) => service.connect(req),
    'account:cancel-connect': async () => service.cancel(),
    'account:refresh': () => service.refresh(),
    'account:disconnect': () => service.disconnect(),
  };
}
