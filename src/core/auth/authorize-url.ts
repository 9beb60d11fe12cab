/** Pure helpers for step 1 of the OAuth2 code flow. */
import { randomBytes } from 'node:crypto';
import { DEFAULT_EXIST_URL, REDIRECT_URI } from '../../shared/domain';

/** An unguessable, URL-safe `state` (192 random bits) tying the callback to this attempt. */
export function newState(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The URL to open in the user's browser. Scopes are joined by spaces (encoded as `+`,
 * which Exist accepts). `redirectUri` must equal the one registered for the client.
 */
export function buildAuthorizeUrl(args: {
  baseUrl?: string;
  clientId: string;
  scopes: readonly string[];
  state: string;
  redirectUri?: string;
}): string {
  const u = new URL(args.baseUrl ?? DEFAULT_EXIST_URL);
  const prefix = u.pathname.replace(/\/+$/, '');
  const url = new URL(`${u.origin}${prefix}/oauth2/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', args.clientId);
  url.searchParams.set('redirect_uri', args.redirectUri ?? REDIRECT_URI);
  url.searchParams.set('scope', args.scopes.join(' '));
  url.searchParams.set('state', args.state);
  return url.toString();
}
