/**
 * Failures of the connect (authorisation) flow that are not Exist API errors:
 * the callback listener, the browser's answer, the user's choice. The CLI prints
 * `message` as its one error line; the UI branches on `code`.
 */
export type AuthFlowErrorCode =
  /** The redirect port (8000) is taken by another program. */
  | 'port-in-use'
  /** The listener could not start for another reason. */
  | 'listen-failed'
  /** The user clicked Deny. */
  | 'access-denied'
  /** Exist sent another `error=` back. */
  | 'oauth-error'
  /** A callback with the right state but neither code nor error. */
  | 'missing-code'
  /** Nobody came back within the timeout. */
  | 'timeout'
  /** The caller aborted the attempt. */
  | 'cancelled'
  /** The code arrived but exchanging it (or storing the account) failed; `cause` has the ExistError. */
  | 'exchange-failed';

export class AuthFlowError extends Error {
  override readonly name = 'AuthFlowError';
  /** The OAuth `error` code Exist sent back (`access_denied`, `invalid_scope`, …), for the mapper's words. */
  readonly oauthError: string | undefined;
  constructor(
    readonly code: AuthFlowErrorCode,
    message: string,
    options?: { cause?: unknown; oauthError?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.oauthError = options?.oauthError;
  }
}

export const isAuthFlowError = (e: unknown): e is AuthFlowError => e instanceof AuthFlowError;
