/**
 * The Exist client's error taxonomy. Callers (outbox, CLI, IPC handlers) branch on
 * `kind` to decide: retry later, refresh, ask the user to reconnect, or give up on one item.
 * Whether a request may already have been applied matters for the non-idempotent
 * increment endpoint, so every error says so in `maybeApplied`.
 */
export type ExistErrorKind =
  /** DNS, refused connection, reset: the request may or may not have reached Exist. */
  | 'network'
  /** No answer within the timeout: the request may have been applied. */
  | 'timeout'
  /** 401: missing, expired or revoked token (after the one refresh-and-retry). */
  | 'unauthorised'
  /** 403: the token lacks a scope for this call. */
  | 'forbidden'
  /** 429: over 300 calls an hour; `retryAfterMs` when the server said. */
  | 'rate-limited'
  /** 400 for the whole call (not a JSON array, more than 35 objects, bad parameters). */
  | 'bad-request'
  /** 404 for the whole call. */
  | 'not-found'
  /** 5xx: the server failed; it may have applied the call first. */
  | 'server'
  /** The answer was not what the API reference says (not JSON, missing fields). */
  | 'bad-response'
  /** An OAuth token endpoint error (`invalid_grant`, `invalid_client`, ...). */
  | 'oauth';

export class ExistError extends Error {
  override readonly name = 'ExistError';
  constructor(
    readonly kind: ExistErrorKind,
    message: string,
    readonly details: {
      status?: number;
      /** Server-provided wait, for `rate-limited`. */
      retryAfterMs?: number;
      /** OAuth error code such as `invalid_grant`. */
      oauthError?: string;
      /** True when the server may have applied the request although we got no good answer. */
      maybeApplied?: boolean;
      /** The endpoint path, for context in messages (never the query string or tokens). */
      endpoint?: string;
    } = {},
  ) {
    super(message);
  }

  get maybeApplied(): boolean {
    return this.details.maybeApplied ?? false;
  }
}

export const isExistError = (e: unknown): e is ExistError => e instanceof ExistError;
