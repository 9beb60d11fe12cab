/**
 * OAuth2 authorisation-code flow of the sandbox (RFC 6749, as Exist runs it):
 * consent page, redirect with `code` + echoed `state`, and the token endpoint
 * for `authorization_code` and `refresh_token` grants.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ALL_SCOPES } from '../shared/domain';
import { consentPage, errorPage } from './consent-page';
import { SandboxCore, type Reply } from './core';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** OAuth2 error JSON (`{error, error_description}`), never cached. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  extra: Record<string, string> = {},
): Reply {
  return { status, headers: { ...NO_STORE, ...extra }, json: { error, error_description: description } };
}

const page = (status: number, title: string, message: string): Reply => ({ status, html: errorPage(title, message) });

/** 302 to `uri` with `params` added to its query (state echoed by the caller). */
export function redirectTo(uri: string, params: Record<string, string | undefined>): Reply {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  const loc = u.toString();
  return {
    status: 302,
    headers: { Location: loc, 'Cache-Control': 'no-store' },
    html: `<!doctype html><meta charset="utf-8"><title>Redirecting</title><p>Redirecting to <a href="${loc.replace(/"/g, '&quot;')}">your app</a>…</p>`,
  };
}

function duplicated(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const k of params.keys()) {
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return undefined;
}

/** Splits a scope string (space separated; `+` already decoded) and checks each against Exist's list. */
export function parseScopes(raw: string | null): { ok: true; scopes: string[] } | { ok: false; description: string } {
  const scopes = [...new Set((raw ?? '').split(/\s+/).filter((s) => s !== ''))];
  if (scopes.length === 0)
    return { ok: false, description: 'No scope requested: ask for at least one scope such as media_write' };
  const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
  if (unknown.length > 0) {
    return {
      ok: false,
      description: `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (scopes are space separated)`,
    };
  }
  return { ok: true, scopes };
}

function issueCode(core: SandboxCore, c: { redirectUri: string; scopes: string[]; state: string | undefined }): Reply {
  const code = SandboxCore.randomId(24);
  core.codes.set(code, {
    clientId: core.config.clientId,
    redirectUri: c.redirectUri,
    scopes: c.scopes,
    expiresAt: core.now() + core.config.codeTtlSeconds * 1000,
    used: false,
  });
  return redirectTo(c.redirectUri, { code, state: c.state });
}

/**
 * GET /oauth2/authorize. An unknown client or a redirect URI that is not the registered one
 * gets an error page (never a redirect, RFC 6749 §4.1.2.1); other errors redirect with `error`.
 */
export function authorizeGet(core: SandboxCore, q: URLSearchParams): Reply {
  const cfg = core.config;
  const clientId = q.get('client_id');
  if (clientId === null || clientId === '') return page(400, 'Missing client', 'The request has no client_id.');
  if (clientId !== cfg.clientId || q.getAll('client_id').length > 1) {
    return page(400, 'Unknown app', `No app with client ID '${clientId}' is registered.`);
  }
  const redirectUri = q.get('redirect_uri');
  if (redirectUri === null || redirectUri === '')
    return page(400, 'Missing redirect URI', 'The request has no redirect_uri.');
  if (redirectUri !== cfg.redirectUri || q.getAll('redirect_uri').length > 1) {
    return page(
      400,
      'Redirect URI mismatch',
      `The redirect URI '${redirectUri}' is not the one registered for this app (it must match exactly).`,
    );
  }
  const state = q.get('state') ?? undefined;
  const back = (error: string, description: string): Reply =>
    redirectTo(redirectUri, { error, error_description: description, state });
  const dup = duplicated(q);
  if (dup !== undefined) return back('invalid_request', `Parameter '${dup}' was given more than once`);
  const responseType = q.get('response_type');
  if (responseType === null || responseType === '') return back('invalid_request', 'Missing response_type');
  if (responseType !== 'code') return back('unsupported_response_type', `response_type must be 'code'`);
  const scopes = parseScopes(q.get('scope'));
  if (!scopes.ok) return back('invalid_scope', scopes.description);
  if (cfg.autoApprove) return issueCode(core, { redirectUri, scopes: scopes.scopes, state });
  const consentId = SandboxCore.randomId(18);
  core.consents.set(consentId, {
    clientId,
    redirectUri,
    scopes: scopes.scopes,
    state,
    expiresAt: core.now() + 15 * 60_000,
  });
  return {
    status: 200,
    headers: {
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${new URL(redirectUri).origin}; frame-ancestors 'none'`,
    },
    html: consentPage({ clientName: cfg.clientName, scopes: scopes.scopes, user: core.user, redirectUri, consentId }),
  };
}

/** POST /oauth2/authorize: the consent form's Allow / Deny (each consent answers once). */
export function authorizePost(core: SandboxCore, headers: IncomingHttpHeaders, body: string): Reply {
  if (!(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return page(400, 'Bad request', 'The consent form must be posted as a form.');
  }
  const form = new URLSearchParams(body);
  const id = form.get('consent') ?? '';
  const consent = core.consents.get(id);
  if (consent === undefined || core.now() >= consent.expiresAt) {
    core.consents.delete(id);
    return page(
      400,
      'Request expired',
      'This authorisation request has expired or was already answered. Start again from the app.',
    );
  }
  const decision = form.get('decision');
  if (decision !== 'allow' && decision !== 'deny') return page(400, 'Bad request', 'Choose Allow or Deny.');
  core.consents.delete(id);
  if (decision === 'deny') {
    return redirectTo(consent.redirectUri, {
      error: 'access_denied',
      error_description: 'The user denied access',
      state: consent.state,
    });
  }
  return issueCode(core, consent);
}

function clientCredentials(
  headers: IncomingHttpHeaders,
  params: URLSearchParams,
): { ok: true; id: string | null; secret: string | null; basic: boolean } | { ok: false; reply: Reply } {
  const auth = headers.authorization;
  if (auth !== undefined && /^basic /i.test(auth)) {
    if (params.has('client_secret')) {
      return { ok: false, reply: oauthError(400, 'invalid_request', 'Use one client authentication method, not both') };
    }
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) {
      return {
        ok: false,
        reply: oauthError(401, 'invalid_client', 'Malformed Basic credentials', {
          'WWW-Authenticate': 'Basic realm="oauth2"',
        }),
      };
    }
    const dec = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return { ok: true, id: dec(decoded.slice(0, i)), secret: dec(decoded.slice(i + 1)), basic: true };
  }
  return { ok: true, id: params.get('client_id'), secret: params.get('client_secret'), basic: false };
}

/** POST /oauth2/access_token (form-encoded): exchanges a code or a refresh token for a new pair. */
export function tokenPost(core: SandboxCore, headers: IncomingHttpHeaders, body: string): Reply {
  const cfg = core.config;
  if (!(headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'The token endpoint takes an application/x-www-form-urlencoded body');
  }
  const params = new URLSearchParams(body);
  const dup = duplicated(params);
  if (dup !== undefined) return oauthError(400, 'invalid_request', `Parameter '${dup}' was given more than once`);
  const grant = params.get('grant_type');
  if (grant === null || grant === '') return oauthError(400, 'invalid_request', 'Missing grant_type');
  if (grant !== 'authorization_code' && grant !== 'refresh_token') {
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type '${grant}'`);
  }
  const creds = clientCredentials(headers, params);
  if (!creds.ok) return creds.reply;
  const challenge: Record<string, string> = creds.basic ? { 'WWW-Authenticate': 'Basic realm="oauth2"' } : {};
  if (creds.id === null || creds.id === '') return oauthError(401, 'invalid_client', 'Missing client_id', challenge);
  if (creds.id !== cfg.clientId || creds.secret !== cfg.clientSecret) {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication failed: unknown client_id or wrong client_secret',
      challenge,
    );
  }

  if (grant === 'authorization_code') {
    const code = params.get('code');
    if (code === null || code === '') return oauthError(400, 'invalid_request', 'Missing code');
    const rec = core.codes.get(code);
    if (rec === undefined || rec.clientId !== creds.id) {
      return oauthError(400, 'invalid_grant', 'Invalid authorization code');
    }
    if (rec.used) {
      // RFC 6749 §4.1.2: a replayed code revokes what it issued.
      if (rec.family !== undefined) core.revokeFamily(rec.family);
      return oauthError(400, 'invalid_grant', 'Authorization code has already been used');
    }
    if (core.now() >= rec.expiresAt) {
      core.codes.delete(code);
      return oauthError(400, 'invalid_grant', 'Authorization code has expired');
    }
    const redirectUri = params.get('redirect_uri');
    if (redirectUri === null || redirectUri === '') return oauthError(400, 'invalid_request', 'Missing redirect_uri');
    if (redirectUri !== rec.redirectUri) {
      return oauthError(400, 'invalid_grant', 'redirect_uri does not match the one used to obtain the code');
    }
    const t = core.issue(creds.id, rec.scopes, cfg.tokenTtlSeconds);
    rec.used = true;
    rec.family = t.family;
    return { status: 200, headers: NO_STORE, json: core.tokenAnswer(t) };
  }

  const refresh = params.get('refresh_token');
  if (refresh === null || refresh === '') return oauthError(400, 'invalid_request', 'Missing refresh_token');
  const old = core.findRefresh(refresh);
  if (old === undefined || old.clientId !== creds.id) {
    return oauthError(400, 'invalid_grant', 'Invalid refresh token');
  }
  if (old.revoked) return oauthError(400, 'invalid_grant', 'Refresh token has already been used or was revoked');
  let scopes = old.scopes;
  const asked = params.get('scope');
  if (asked !== null) {
    const parsed = parseScopes(asked);
    if (!parsed.ok) return oauthError(400, 'invalid_scope', parsed.description);
    const extra = parsed.scopes.filter((s) => !old.scopes.includes(s));
    if (extra.length > 0) return oauthError(400, 'invalid_scope', `Scope not granted originally: ${extra.join(', ')}`);
    scopes = parsed.scopes;
  }
  old.revoked = true;
  const t = core.issue(creds.id, scopes, cfg.tokenTtlSeconds, old.family);
  return { status: 200, headers: NO_STORE, json: core.tokenAnswer(t) };
}
