/**
 * Typed Exist API client over an injectable `fetch`. Every request has a timeout,
 * every failure is an `ExistError` with a `kind` callers branch on and a
 * `maybeApplied` flag the outbox uses to avoid double increments.
 *
 * This module is the client's front door: it composes the parts and re-exports the public
 * API, so callers import everything from here. The parts, each owning one responsibility:
 *  - ./types      the public shapes (ExistClient, options, filters, write items and answers)
 *  - ./transport  HTTP exchange + timeout, error mapping (`maybeApplied`), bearer token and
 *                 one refresh after a 401, metering every API request for the rate budget
 *  - ./validate   answer validation against the zod schemas (./schemas), argument checks
 *  - ./reads      profile, templates, attributes, values, averages; `paginate`
 *  - ./writes     acquire, release, create, update, increment (≤ 35 objects a call)
 *  - ./oauth      the token endpoint: code exchange and refresh (not metered)
 *  - ./errors     ExistError and its kinds
 */
import { ExistError } from './errors';
import { createOAuth } from './oauth';
import { createReads } from './reads';
import { createTransport } from './transport';
import type { ExistClient, ExistClientOptions, TokenProvider } from './types';
import { createWrites } from './writes';

export type { Page, TokenResponse } from './schemas';
export type * from './types';
export { DEFAULT_TIMEOUT_MS, parseRetryAfter } from './transport';
export { DEFAULT_MAX_PAGES, paginate } from './reads';

/** A provider for a fixed token (connect flow, personal tokens): a 401 is final. */
export function staticTokenProvider(token: string): TokenProvider {
  return {
    getAccessToken: async () => token,
    refreshAfterUnauthorised: async () => {
      throw new ExistError('unauthorised', 'Exist refused the access token.', { status: 401 });
    },
  };
}

/** Creates a client. Without `auth`, only the OAuth methods work (API calls fail as `unauthorised`). */
export function createExistClient(options: ExistClientOptions = {}): ExistClient {
  const transport = createTransport(options);
  const client: ExistClient = {
    baseUrl: transport.base,
    withAuth: (a) => createExistClient({ ...options, auth: a }),
    ...createReads(transport, () => client),
    ...createWrites(transport),
    ...createOAuth(transport),
  };
  return client;
}
