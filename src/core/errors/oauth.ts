/**
 * OAuth error codes (RFC 6749 §4.1.2.1 and §5.2, which Exist's token endpoint and
 * authorize redirect use) in sentences that say what to do. No code is ever shown in
 * `message`; the mapper keeps the raw code in `detail`. Imports nothing, so the callback
 * listener (which words its own browser page) can use it without an import cycle.
 */

const WORDS: Record<string, string> = {
  invalid_client:
    'Exist did not accept the client ID or client secret. Copy both again from your app on exist.io (Account → Developer apps) and connect again.',
  invalid_grant:
    'Exist no longer accepts this sign-in (it expired, was revoked or was already used). Connect again in Settings → Account.',
  unauthorized_client:
    'Your Exist app may not connect this way. On exist.io make it a Confidential app with the redirect URI shown in Settings → Account, then connect again.',
  access_denied: 'You chose not to allow Exist Tray access to your Exist account. Nothing was connected.',
  invalid_scope:
    'Exist did not accept the permissions Exist Tray asked for. Tick the permissions again in Settings → Account and connect.',
  invalid_request:
    'Exist refused the sign-in request. Check that your Exist app’s redirect URI is the one shown in Settings → Account, then connect again.',
  redirect_uri_mismatch:
    'Your Exist app’s redirect URI does not match. On exist.io set it to the one shown in Settings → Account, then connect again.',
  unsupported_grant_type:
    'Exist refused how Exist Tray signs in. Connect again; if it keeps happening, report it with the details.',
  unsupported_response_type:
    'Exist refused how Exist Tray signs in. Connect again; if it keeps happening, report it with the details.',
  server_error: 'Exist had a problem while signing you in. Try connecting again in a few minutes.',
  temporarily_unavailable: 'Exist is busy and could not sign you in. Try connecting again in a few minutes.',
};

const OTHER =
  'Exist refused the sign-in. Connect again in Settings → Account; if it keeps happening, report it with the details.';

/** The OAuth codes this module words (the rest get the general sentence). */
export const OAUTH_CODES: readonly string[] = Object.keys(WORDS);

/** What a person reads for an OAuth `error` code (or none). */
export function oauthWords(code: string | null | undefined): string {
  return (code && Object.hasOwn(WORDS, code) ? WORDS[code] : undefined) ?? OTHER;
}
