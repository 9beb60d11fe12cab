import { describe, expect, it } from 'vitest';
import { describeStop, TEMPORARY_SYNC_CODES } from '../../../src/core/app/views';
import type { StopReason } from '../../../src/core/outbox';

const reasons: StopReason[] = ['network', 'server', 'backoff', 'rate-limited', 'budget', 'auth', 'journal'];

describe('describeStop', () => {
  it.each(reasons)('says why sending stopped (%s) in words, without HTTP details', (reason) => {
    const e = describeStop({
      reason,
      message: 'Exist had a server error (HTTP 502, /api/2/attributes/update/)',
      retryAt: Date.UTC(2026, 0, 1, 12, 30),
    });
    expect(e.message.length).toBeGreaterThan(20);
    if (reason === 'journal') expect(e.message).toMatch(/^Exist Tray could not write its outbox file/);
    else expect(e.message).not.toMatch(/HTTP|\/api\//);
  });

  it('marks exactly the conditions that clear up by themselves as temporary', () => {
    const temporary = reasons.filter((reason) => TEMPORARY_SYNC_CODES.has(describeStop({ reason, message: '' }).code));
    expect(temporary).toEqual(['network', 'server', 'backoff', 'rate-limited', 'budget']);
  });

  it('a server error (5xx) is Exist having trouble, distinct from offline; the back-off keeps saying which', () => {
    const server = describeStop({ reason: 'server', message: 'Exist answered with an error (HTTP 503)' });
    const offline = describeStop({ reason: 'network', message: 'ECONNREFUSED' });
    expect(server.code).toBe('server');
    expect(server.message).toMatch(/^Exist had a problem \(it answered with an error\)/);
    expect(server.message).not.toMatch(/can.t be reached|503/);
    expect(offline.code).toBe('offline');
    expect(offline.message).toMatch(/can’t be reached/);
    // The next flush is held back by the back-off: it says what caused it, not a guess.
    expect(describeStop({ reason: 'backoff', message: '' }, server).code).toBe('server');
    expect(describeStop({ reason: 'backoff', message: '' }, offline).code).toBe('offline');
    const unknown = describeStop({ reason: 'backoff', message: '' });
    expect(unknown.code).toBe('backoff');
    expect(unknown.message).not.toMatch(/can.t be reached|had trouble|had a problem/);
    // A write Exist did not confirm: never claimed as a lost network answer (it may have been a 500).
    expect(describeStop({ reason: 'checking', message: '' }).message).not.toMatch(/lost|network/i);
  });
});
