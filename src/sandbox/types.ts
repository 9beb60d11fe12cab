/**
 * Public types of the Exist sandbox (re-exported by ./index) and the records it keeps.
 */

/** How to start a sandbox; every field has an Exist-like default. */
export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default '127.0.0.1'. */
  host?: string;
  /** The one registered OAuth client. Default 'sandbox-client'. */
  clientId?: string;
  /** Default 'sandbox-secret'. */
  clientSecret?: string;
  /** Shown on the consent page and as the owning service. Default 'Exist Tray (sandbox)'. */
  clientName?: string;
  /** The registered redirect URI; requests must match it exactly. Default 'http://localhost:8000/'. */
  redirectUri?: string;
  /** GET /oauth2/authorize redirects straight back with a code (headless tests). */
  autoApprove?: boolean;
  /** Access token lifetime; default 31535999 (Exist's one year). */
  tokenTtlSeconds?: number;
  /** Authorisation code lifetime; default 300. */
  codeTtlSeconds?: number;
  /** API calls per window per token family (a refresh keeps the budget); default 300. */
  rateLimit?: number;
  /** Rate window length; default 3600. The window is fixed: it starts at the first call and resets after this long. */
  rateWindowSeconds?: number;
  /** `first-call` (default): the window starts at the family's first call; `clock-hour`: it is the clock hour ("until the next hour"). */
  rateWindow?: 'first-call' | 'clock-hour';
  /** Default true: a 429 carries `Retry-After`. False: words only, as the reference allows ("never depend on it"). */
  rateLimitRetryAfter?: boolean;
  /** The demo user's IANA timezone; default 'Pacific/Kiritimati' (UTC+14) so date bugs show. */
  timezone?: string;
  /** Persist state as JSON here (atomic write after every change); in memory when absent. */
  dataFile?: string;
  /** Millisecond clock, for simulated time in tests and benchmarks. */
  now?: () => number;
  /** Default true: give the demo user existing attributes with values. */
  seed?: boolean;
  /** Templates file to serve instead of ../shared/exist-templates.json or the bundled copy. */
  templatesFile?: string;
  /** Refuse write bodies not sent as `application/json` with 415, as Django REST Framework does. Default true. */
  requireJsonContentType?: boolean;
}

/** A running sandbox: its address, credentials, a test backdoor to mint tokens, and admin controls. */
export interface Sandbox {
  /** 'http://127.0.0.1:PORT' (no trailing slash). */
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Developer token with every scope (as Exist shows developers on the client page). */
  personalToken: string;
  /** Mint a token pair directly for tests (skips the browser). Throws on unknown scopes. */
  issueToken(
    scopes: string[],
    opts?: { ttlSeconds?: number },
  ): { access_token: string; refresh_token: string; expires_in: number; scope: string };
  admin: SandboxAdmin;
  /** Stops listening and drops every open connection (including hung ones). */
  close(): Promise<void>;
}

/** Test controls, also served on HTTP under /__sandbox/ to loopback peers. */
export interface SandboxAdmin {
  /** The next `count` API calls (matching optional pathPrefix like '/api/2/attributes/increment') get the fault. */
  failNext(count: number, fault: SandboxFault, opts?: { pathPrefix?: string }): void;
  clearFaults(): void;
  /** Every access token expires now; refresh tokens stay valid. */
  expireAllTokens(): void;
  /** The user revoked the app at Exist: every OAuth token pair (access and refresh) stops working. */
  revokeAllTokens(): void;
  /** Deep copy of the user, attributes with values, the API call log and the value change log. */
  getState(): SandboxStateSnapshot;
  /** API requests the rate limit counted for this access token's family: in the current window, and in all. */
  countedCalls(accessToken: string): { window: number; total: number };
  /** The family id of an access token (what `SandboxCall.family` and `SandboxChange.family` name). */
  tokenFamily(accessToken: string): string | undefined;
  /** Applies every late-apply call whose time has come (also done before each request and `getState`). */
  runLateApplies(): number;
  /** Another service (e.g. 'fitbit') acquires the attribute: this client's writes are refused from then on. */
  giveToService(name: string, service: string): void;
}

/** What an injected fault does to a matching request. */
export type SandboxFault =
  | { kind: 'status'; status: number; body?: unknown; retryAfterSeconds?: number }
  /** Never answers (until close). */
  | { kind: 'hang' }
  /** Destroys the socket without applying the call. */
  | { kind: 'drop-before' }
  /** Applies the call, then destroys the socket without answering. */
  | { kind: 'drop-after' }
  /**
   * A busy server: the answer is never given (the socket is dropped, or hangs until the
   * client gives up), and the call is applied `delayMs` later on the sandbox's clock.
   */
  | { kind: 'late-apply'; delayMs: number; answer?: 'drop' | 'hang' }
  /**
   * Applies the call and answers, but reshapes the write answer within what the reference
   * allows (it promises neither order nor every field): success objects without `date`,
   * and/or the success and failed lists reversed.
   */
  | { kind: 'reshape'; omitDates?: boolean; reverse?: boolean };

export interface SandboxUser {
  username: string;
  first_name: string;
  last_name: string;
  timezone: string;
  imperial_distance: boolean;
  imperial_weight: boolean;
  imperial_energy: boolean;
  imperial_liquid: boolean;
  imperial_temperature: boolean;
  trial: boolean;
  delinquent: boolean;
}

export interface SandboxCall {
  method: string;
  path: string;
  /** HTTP status answered; 0 when the connection was dropped or hung without an answer. */
  status: number;
  /** Number of objects in a write body. */
  objects?: number;
  token?: 'present' | 'absent';
  /** `now()` when the call arrived. */
  at: number;
  /** Set when an injected fault decided the outcome. */
  fault?: SandboxFault['kind'];
  /** The token family (not the token), for authenticated API calls. */
  family?: string;
  /** Whether the rate limit counted the call. */
  counted?: boolean;
}

/** One change of a day's value, as the sandbox applied it. */
export interface SandboxChange {
  name: string;
  date: string;
  before: number | string | null;
  after: number | string;
  /** Token family that made the call. */
  family: string;
  /** When it was applied (for a late apply: the scheduled time). */
  at: number;
  /** When the call arrived. */
  arrivedAt: number;
  late: boolean;
}

export interface SandboxStateSnapshot {
  user: SandboxUser;
  attributes: Array<{
    name: string;
    label: string;
    group: string;
    value_type: number;
    template: string | null;
    manual: boolean;
    /** Owning OAuth client id, another service's name (seeded data), or null. */
    owner: string | null;
    active: boolean;
    priority: number;
    values: Record<string, number | string>;
  }>;
  calls: SandboxCall[];
  changes: SandboxChange[];
}

/** One attribute of the demo user, as stored. */
export interface AttributeRecord {
  name: string;
  label: string;
  group: string;
  value_type: number;
  value_type_description: string;
  template: string | null;
  manual: boolean;
  owner: string | null;
  active: boolean;
  priority: number;
  /** First day the attribute existed (values are listed back to here). */
  created: string;
  values: Record<string, number | string>;
}

/** An access/refresh token pair. `family` survives refreshes (rate limit and code-reuse revocation key). */
export interface TokenRecord {
  access: string;
  refresh: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  family: string;
  revoked: boolean;
  personal?: boolean;
}

/** What `--data FILE` stores. */
export interface PersistedState {
  version: 1;
  user: SandboxUser;
  attributes: AttributeRecord[];
  tokens: TokenRecord[];
}
