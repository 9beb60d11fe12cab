/**
 * Issue 16: errors in words a person acts on, from the one mapper — a table over every
 * OAuth code and every kind of refused write. No OAuth code, HTTP status or API path in a
 * message, never a doubled period; the raw text is the detail.
 */
import { describe, expect, it } from 'vitest';
import { AuthFlowError } from '../../../src/core/auth/errors';
import { describeError, describeRefusedWrite, OAUTH_CODES, tidySentence } from '../../../src/core/errors';
import { ExistError } from '../../../src/core/exist/errors';

/** What no message may contain. */
function expectPlainWords(message: string) {
  expect(message).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // an OAuth code such as invalid_client
  expect(message).not.toMatch(/\bHTTP\b|\/api\/|\/oauth2\/|\b[45]\d\d\b/);
  expect(message).not.toMatch(/(?<!\.)\.\s*\.(?!\.)|[!?]\./);
  expect(message).toMatch(/[.!?]$/);
}

const ALL_OAUTH = [...OAUTH_CODES, 'some_future_code'];

describe('OAuth error codes become sentences that say what to do', () => {
  it('covers at least the codes of RFC 6749 that Exist can send', () => {
    for (const c of [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'access_denied',
      'unsupported_response_type',
      'server_error',
      'temporarily_unavailable',
    ])
      expect(OAUTH_CODES).toContain(c);
  });

  it.each(ALL_OAUTH)('token endpoint answered %s', (code) => {
    const raw = `Exist refused the token request: ${code}.`;
    const d = describeError(
      new ExistError('oauth', raw, { status: 400, endpoint: '/oauth2/access_token', oauthError: code }),
    );
    expectPlainWords(d.message);
    expect(d.message).toMatch(/connect|Connect|try|Try|report/);
    expect(d.detail).toContain(code);
  });

  it.each(ALL_OAUTH)('the redirect came back with error=%s', (code) => {
    const d = describeError(
      new AuthFlowError(code === 'access_denied' ? 'access-denied' : 'oauth-error', `raw (${code})`, {
        oauthError: code,
      }),
    );
    expectPlainWords(d.message);
    expect(d.detail).toBe(code);
  });

  it('a wrong client secret, while finishing the connect, says to copy the ID and secret again', () => {
    const cause = new ExistError('oauth', 'Exist refused the token request: invalid_client.', {
      status: 401,
      endpoint: '/oauth2/access_token',
      oauthError: 'invalid_client',
    });
    const d = describeError(
      new AuthFlowError('exchange-failed', `could not finish connecting: ${cause.message}`, { cause }),
    );
    expect(d.message).toMatch(/client ID or client secret/);
    expect(d.message).toMatch(/Copy both again/);
    expectPlainWords(d.message);
    expect(d.detail).toContain('invalid_client');
  });
});

describe('a refused write in words', () => {
  const table: { why: string; code: string; raw: string; says: RegExp }[] = [
    {
      why: 'one object, Exist’s text ending with a period',
      code: 'validation',
      raw: 'Invalid value for pages_read.',
      says: /^Exist refused it: Invalid value for pages_read\. Check the value/,
    },
    {
      why: 'the whole call (HTTP 400 with a path), Exist’s text ending with a period',
      code: 'bad-request',
      raw: 'Exist rejected the request (HTTP 400, /api/2/attributes/increment/): Invalid value for pages_read..',
      says: /^Exist refused it: Invalid value for pages_read\. Check the value/,
    },
    {
      why: 'an attribute the app no longer owns',
      code: 'unauthorised',
      raw: "Attribute 'mood' does not belong to this service",
      says: /does not belong to this service\. Exist Tray no longer owns this attribute.*Settings → Attributes/,
    },
    {
      why: 'a missing permission for the whole call',
      code: 'forbidden',
      raw: 'The token lacks a scope for /api/2/attributes/update/.',
      says: /^Exist refused it\. Exist Tray lacks the permission.*Settings → Account/,
    },
    {
      why: 'a 404 for the whole call',
      code: 'not-found',
      raw: 'Not found: /api/2/attributes/increment/: No such attribute!',
      says: /^Exist refused it: No such attribute! It may have been removed/,
    },
    {
      why: 'no text from Exist (the outbox’s stand-in)',
      code: 'missing_field',
      raw: 'Exist rejected the value (missing_field).',
      says: /^Exist refused it\. Exist Tray sent an incomplete write/,
    },
    {
      why: 'Exist’s text itself carries HTTP details',
      code: 'weird_new_code',
      raw: 'Upstream said HTTP 502 at https://exist.io/api/2/',
      says: /^Exist refused it\. Retry or discard it/,
    },
  ];
  it.each(table)('$why', ({ code, raw, says }) => {
    const d = describeRefusedWrite({ code, message: raw });
    expect(d.message).toMatch(says);
    expect(d.message).not.toMatch(/\bHTTP\b|\/api\/|(?<!\.)\.\s*\.(?!\.)/);
    expect(d.message).not.toMatch(/missing_field|weird_new_code|\(validation\)/);
    expect(d.detail).toBe(raw);
    expect(d.code).toBe(code);
  });
});

describe('tidySentence: one end mark, however the parts ended', () => {
  it.each([
    ['Invalid value for pages_read..', 'Invalid value for pages_read.'],
    ['Done. .', 'Done.'],
    ['Really?.', 'Really?'],
    ['No!.', 'No!'],
    ['Wait...', 'Wait...'],
    ['Wait… now.', 'Wait… now.'],
    ['  two   spaces. ', 'two spaces.'],
  ])('%j → %j', (input, out) => expect(tidySentence(input)).toBe(out));

  it('every message from the mapper is tidied, whoever wrote it', () => {
    expect(describeError(new ExistError('bad-request', 'x')).message).not.toMatch(/\.\./);
    const d = describeError(
      new AuthFlowError('exchange-failed', 'x', {
        cause: new ExistError('server', 'Exist had a server error (HTTP 502, /oauth2/access_token).'),
      }),
    );
    expectPlainWords(d.message);
  });
});
