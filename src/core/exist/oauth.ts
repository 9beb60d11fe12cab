/**
 * The OAuth token endpoint (`/oauth2/access_token`): exchanging an authorisation code and
 * refreshing a token pair. Token requests carry the client credentials, not a user token,
 * so they are not metered (Exist's limit is per user token) and a 401 is not retried. An
 * OAuth refusal names only the error code: a description could echo what was sent.
 */
import { ExistError } from './errors';
import { oauthErrorSchema, tokenResponseSchema } from './schemas';
import type { TokenResponse } from './schemas';
import { statusError, type Transport } from './transport';
import type { ExistClient } from './types';
import { parseWith } from './validate';

export type ExistOAuth = Pick<ExistClient, 'exchangeCode' | 'refreshTokens'>;

export function createOAuth(transport: Transport): ExistOAuth {
  async function token(form: Record<string, string>): Promise<TokenResponse> {
    const endpoint = '/oauth2/access_token';
    const r = await transport.exchange(
      'POST',
      endpoint,
      '',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      new URLSearchParams(form).toString(),
    );
    if (r.status >= 200 && r.status < 300) {
      if (!r.jsonOk) {
        throw new ExistError('bad-response', `The token endpoint's answer was not JSON.`, {
          status: r.status,
          endpoint,
          maybeApplied: true,
        });
      }
      const t = parseWith(tokenResponseSchema, r.json, endpoint, true, r.status);
      return {
        access_token: t.access_token,
        token_type: t.token_type,
        expires_in: t.expires_in,
        refresh_token: t.refresh_token,
        scope: t.scope,
      };
    }
    const oe = oauthErrorSchema.safeParse(r.json);
    if (oe.success && r.status < 500 && r.status !== 429) {
      // Only the error code: descriptions could in principle echo what we sent.
      throw new ExistError('oauth', `Exist refused the token request: ${oe.data.error.slice(0, 64)}.`, {
        status: r.status,
        endpoint,
        oauthError: oe.data.error,
      });
    }
    throw statusError(r.status, endpoint, true, undefined, r.headers);
  }

  return {
    exchangeCode: ({ code, clientId, clientSecret, redirectUri }) =>
      token({
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirectUri,
      }),
    refreshTokens: ({ refreshToken, clientId, clientSecret }) =>
      token({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
        client_secret: clientSecret,
      }),
  };
}
