/**
 * core/errors: the one mapper. People get words without HTTP codes, paths or an
 * unexpected error's own text; `detail` keeps the raw text.
 */
import { describe, expect, it } from 'vitest';
import { AuthFlowError } from '../../../src/core/auth/errors';
import { AccountStoreError } from '../../../src/core/auth/token-store';
import { describeError, errorLine, INTERNAL_MESSAGE, UserError } from '../../../src/core/errors';
import { ExistError, type ExistErrorKind } from '../../../src/core/exist/errors';
import { OutboxLockedError } from '../../../src/core/outbox';

const KINDS: ExistErrorKind[] = [
  'network',
  'timeout',
  'unauthorised',
  'forbidden',
  'rate-limited',
  'bad-request',
  'not-found',
  'server',
  'bad-response',
  'oauth',
];

describe('describeError', () => {
  it('keeps a UserError as written (code, message, field)', () => {
    expect(describeError(new UserError('not-owned', 'Add it first.', 'name'))).toEqual({
      code: 'not-owned',
      message: 'Add it first.',
      field: 'name',
    });
  });

  it.each(KINDS)('words an Exist %s error without HTTP status or path; the raw text is the detail', (kind) => {
    const raw = `Exist rejected the request (HTTP 400, /api/2/attributes/update/): secret-ish server text.`;
    const d = describeError(new ExistError(kind, raw, { status: 400, endpoint: '/api/2/attributes/update/' }));
    expect(d.message).not.toMatch(/HTTP|\/api\/|\b[45]\d\d\b|server text/);
    expect(d.detail).toBe(raw);
    expect(d.code).not.toBe('internal');
  });

  it('an unexpected error shows the generic words; its own text only in detail', () => {
    const d = describeError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(d).toEqual({
      code: 'internal',
      message: INTERNAL_MESSAGE,
      detail: "Cannot read properties of undefined (reading 'x')",
    });
    expect(describeError('a string', { internalMessage: 'Sync failed.' })).toEqual({
      code: 'internal',
      message: 'Sync failed.',
      detail: 'a string',
    });
  });

  it('words a failed code exchange by its Exist cause', () => {
    const cause = new ExistError('server', 'Exist had a server error (HTTP 502, /oauth2/access_token).');
    const d = describeError(
      new AuthFlowError('exchange-failed', `could not finish connecting: ${cause.message}`, { cause }),
    );
    expect(d.code).toBe('exchange-failed');
    expect(d.message).not.toMatch(/HTTP|oauth2/);
    expect(d.detail).toMatch(/HTTP 502/);
  });

  it('knows the account store, the auth flow and the outbox lock', () => {
    expect(describeError(new AccountStoreError('corrupt', 'The saved account could not be read.')).code).toBe(
      'account-store-corrupt',
    );
    expect(describeError(new AuthFlowError('port-in-use', 'Port 8000 is taken.')).message).toBe('Port 8000 is taken.');
    expect(describeError(new OutboxLockedError(42)).code).toBe('outbox-busy');
  });

  it('the CLI line adds the raw text for a bug only', () => {
    expect(errorLine(new Error('boom'))).toBe(`${INTERNAL_MESSAGE} (boom)`);
    expect(errorLine(new UserError('x', 'Readable.'))).toBe('Readable.');
  });
});
