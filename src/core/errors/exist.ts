/**
 * An Exist client error in words a person can act on: no HTTP status, no endpoint path,
 * no server text in `message` (those go in `detail`, for logs and bug reports).
 */
import type { AppError } from '../../shared/result';
import { assertNever } from '../../shared/result';
import type { ExistError } from '../exist/errors';
import { oauthWords } from './oauth';

export function describeExistError(e: ExistError): AppError {
  const worded = ((): Omit<AppError, 'detail'> => {
    switch (e.kind) {
      case 'network':
        return {
          code: 'offline',
          message: 'Could not reach Exist. Your writes are kept and will be sent when the connection is back.',
        };
      case 'timeout':
        return { code: 'timeout', message: 'Exist did not answer in time. Your writes are kept and will be retried.' };
      case 'unauthorised':
        return {
          code: 'needs-reconnect',
          message: 'Exist no longer accepts this app’s token. Reconnect your account in Settings.',
        };
      case 'forbidden':
        return {
          code: 'forbidden',
          message: 'This needs a permission (scope) you did not grant. Reconnect with that scope in Settings.',
        };
      case 'rate-limited':
        return {
          code: 'rate-limited',
          message: `Exist’s limit of 300 calls an hour was reached. Writes wait${e.details.retryAfterMs ? ` about ${Math.ceil(e.details.retryAfterMs / 60000)} min` : ''} and then go.`,
        };
      case 'bad-request':
        return { code: 'bad-request', message: 'Exist refused the request. Nothing was changed there.' };
      case 'not-found':
        return { code: 'not-found', message: 'Exist does not know that item; it may have been removed or renamed.' };
      case 'server':
        return { code: 'server', message: 'Exist had a problem answering. Your writes are kept and will be retried.' };
      case 'bad-response':
        return {
          code: 'bad-response',
          message: 'Exist answered in a way Exist Tray does not understand. Try again later.',
        };
      case 'oauth':
        // Each OAuth code (invalid_client, invalid_grant, …) in a sentence saying what to do; the code is in `detail`.
        return { code: 'oauth', message: oauthWords(e.details.oauthError) };
      default:
        return assertNever(e.kind, 'Exist error kind');
    }
  })();
  return { ...worded, detail: e.message };
}
