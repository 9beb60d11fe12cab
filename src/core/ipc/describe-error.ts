import type { AppError } from '../../shared/result';
import { assertNever } from '../../shared/result';
import type { ExistError } from '../exist/errors';

/** An Exist client error in words a person can act on. */
export function describeExistError(e: ExistError): AppError {
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
      return { code: 'bad-request', message: `Exist refused the request: ${e.message}` };
    case 'not-found':
      return { code: 'not-found', message: `Exist has no such thing: ${e.message}` };
    case 'server':
      return { code: 'server', message: 'Exist had a problem answering. Your writes are kept and will be retried.' };
    case 'bad-response':
      return { code: 'bad-response', message: `Exist answered in an unexpected way: ${e.message}` };
    case 'oauth':
      return { code: 'oauth', message: `Exist refused the authorisation: ${e.message}` };
    default:
      return assertNever(e.kind, 'Exist error kind');
  }
}
