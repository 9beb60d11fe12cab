/**
 * core/errors: the ONE mapper from any error to what a person sees, `{code, message,
 * detail}` (AppError). Used by the IPC dispatcher, the app core's services, the CLI↔app
 * socket server, the CLI and the browser host — nothing else turns errors into words.
 *
 * - `message` is for people: what happened and what to do. Never an HTTP status, an
 *   endpoint path, a stack or an unexpected error's own text.
 * - `detail` is the raw text (the error's own message) for logs, bug reports and a
 *   "details" disclosure; interfaces do not show it by default.
 * - `code` is for programs (the renderer branches on it).
 *
 * The error classes stay with the modules that throw them (UserError here; ExistError in
 * exist/errors.ts, AuthFlowError in auth/errors.ts, AccountStoreError in the token store,
 * OutboxLockedError in the journal); only their wording lives here.
 */
import type { AppError } from '../../shared/result';
import { AccountStoreError } from '../auth/token-store';
import { isAuthFlowError } from '../auth/errors';
import { isExistError } from '../exist/errors';
import { OutboxLockedError } from '../outbox/journal';
import { describeExistError } from './exist';
import { oauthWords } from './oauth';
import { UserError, isUserError } from './user-error';
import { tidySentence } from './words';

export { UserError, isUserError } from './user-error';
export { describeExistError } from './exist';
export { oauthWords, OAUTH_CODES } from './oauth';
export { describeRefusedWrite } from './refusal';
export { tidySentence } from './words';

/** What a person sees for an error nobody expected (a bug): the raw text is only in `detail`. */
export const INTERNAL_MESSAGE =
  'Something went wrong inside Exist Tray. Nothing you queued was lost; try again, and if it keeps happening, report it with the details.';

const rawText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Any error → `{code, message, detail?, field?}`; the message's end is tidied once (words.ts). */
export function describeError(e: unknown, opts: { internalMessage?: string } = {}): AppError {
  const d = describeRaw(e, opts);
  return { ...d, message: tidySentence(d.message) };
}

function describeRaw(e: unknown, opts: { internalMessage?: string }): AppError {
  if (isUserError(e)) return e.toAppError();
  if (isExistError(e)) return describeExistError(e);
  if (isAuthFlowError(e)) {
    // exchange-failed carries the Exist error as its cause: word it, keep the raw text as detail.
    if (e.code === 'exchange-failed' && isExistError(e.cause)) {
      const cause = describeExistError(e.cause);
      return {
        code: e.code,
        // An OAuth refusal already says what to do; anything else says where it stopped.
        message:
          cause.code === 'oauth'
            ? `Not connected. ${cause.message}`
            : `Exist Tray received the authorisation but could not finish connecting: ${cause.message}`,
        detail: e.cause.message, // Exist's raw refusal (with its OAuth code), not our own sentence
      };
    }
    // Exist sent `error=<code>` back to the redirect: the sentence for that code, the code as detail.
    if (e.oauthError !== undefined) {
      const words = oauthWords(e.oauthError);
      return {
        code: e.code,
        message: e.code === 'access-denied' ? words : `Not connected. ${words}`,
        detail: e.oauthError,
      };
    }
    return { code: e.code, message: e.message };
  }
  if (e instanceof AccountStoreError) return { code: `account-store-${e.code}`, message: e.message };
  if (e instanceof OutboxLockedError) return { code: 'outbox-busy', message: e.message };
  return { code: 'internal', message: opts.internalMessage ?? INTERNAL_MESSAGE, detail: rawText(e) };
}

/** True for errors the mapper does not know (bugs): callers log these with their stack. */
export const isInternalError = (e: unknown): boolean => describeError(e).code === 'internal';

/** The one line a terminal shows (the CLI): the message, and for a bug its raw text too. */
export function errorLine(e: unknown): string {
  const d = describeError(e);
  return d.code === 'internal' && d.detail ? `${d.message} (${d.detail})` : d.message;
}

/** Rethrow any error as the UserError the interface shows (keeps code, message and detail). */
export function asUserError(e: unknown): UserError {
  if (isUserError(e)) return e;
  const d = describeError(e);
  return new UserError(d.code, d.message, d.field, d.detail);
}
