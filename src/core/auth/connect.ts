/**
 * The whole "Connect to Exist" flow, shared by the app and the CLI: authorize URL →
 * loopback listener → browser → code exchange → profile → stored account. The browser
 * page only says "Connected" after the account is saved.
 */
import type { Profile } from '../../shared/domain';
import { REDIRECT_URI } from '../../shared/domain';
import { systemClock } from '../ports';
import type { Clock, Opener } from '../ports';
import { staticTokenProvider } from '../exist/client';
import type { ExistClient } from '../exist/client';
import { isExistError } from '../exist/errors';
import { buildAuthorizeUrl, newState } from './authorize-url';
import { startCallbackListener } from './callback-listener';
import type { RenderCallbackPage } from './callback-page';
import { parseScope } from './token-manager';
import type { AccountStore, StoredAccount } from './token-store';

export interface ConnectAccountOptions {
  /** Client for the target Exist (its `baseUrl` is stored); needs no auth. */
  client: ExistClient;
  /** Opens the system browser; omit (CLI `--no-browser`) to only report the URL. */
  opener?: Opener;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  store: AccountStore;
  clock?: Clock;
  redirectUri?: string;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Aborting cancels the attempt and frees the port. */
  signal?: AbortSignal;
  /** Called with the authorize URL once the listener is up (print it / show a waiting state). */
  onAuthorizeUrl?: (url: string) => void;
  /** Opening the browser failed; the attempt keeps waiting (the user can paste the URL). */
  onBrowserOpenFailed?: (error: unknown) => void;
  renderPage?: RenderCallbackPage;
  /** Fixed state, for tests only. */
  state?: string;
}

/**
 * Runs one connect attempt and resolves with the stored account. Rejects with an
 * `AuthFlowError` (port-in-use, access-denied, timeout, cancelled, exchange-failed with
 * the ExistError as `cause`, ...).
 */
export async function connectAccount(o: ConnectAccountOptions): Promise<StoredAccount> {
  const clock = o.clock ?? systemClock;
  const redirectUri = o.redirectUri ?? REDIRECT_URI;
  const state = o.state ?? newState();
  const url = buildAuthorizeUrl({
    baseUrl: o.client.baseUrl,
    clientId: o.clientId,
    scopes: o.scopes,
    state,
    redirectUri,
  });
  let stored: StoredAccount | undefined;

  const listener = await startCallbackListener({
    redirectUri,
    expectedState: state,
    timeoutMs: o.timeoutMs,
    renderPage: o.renderPage,
    signal: o.signal,
    clock,
    onCode: async (code) => {
      const tokens = await o.client.exchangeCode({
        code,
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        redirectUri,
      });
      const obtainedAt = clock.now();
      let profile: Profile | null = null;
      try {
        profile = await o.client.withAuth(staticTokenProvider(tokens.access_token)).getProfile();
      } catch (e) {
        // A refused token is fatal; a flaky profile read is not (it is refetched later).
        if (!isExistError(e) || e.kind === 'unauthorised' || e.kind === 'forbidden') throw e;
      }
      const granted = parseScope(tokens.scope);
      const account: StoredAccount = {
        baseUrl: o.client.baseUrl,
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        scope: granted.length > 0 ? granted : [...o.scopes],
        obtainedAt,
        expiresAt: obtainedAt + tokens.expires_in * 1000,
        status: 'connected',
        profile,
        ...(profile ? { profileFetchedAt: clock.now() } : {}),
      };
      await o.store.save(account);
      stored = account;
      return profile ? { username: profile.username } : {};
    },
  });

  o.onAuthorizeUrl?.(url);
  if (o.opener) {
    try {
      await o.opener.openExternal(url);
    } catch (e) {
      o.onBrowserOpenFailed?.(e);
    }
  }

  const outcome = await listener.result;
  await listener.close();
  if (!outcome.ok) throw outcome.error;
  if (!stored) throw new Error('connectAccount: callback succeeded without a stored account');
  return stored;
}
