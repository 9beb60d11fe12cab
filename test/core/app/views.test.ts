import { describe, expect, it } from 'vitest';
import { describeStop, TEMPORARY_SYNC_CODES } from '../../../src/core/app/views';
import type { StopReason } from '../../../src/core/outbox';

const reasons: StopReason[] = ['network', 'backoff', 'rate-limited', 'budget', 'auth', 'journal'];

describe('describeStop', () => {
  it.each(reasons)('says why sending stopped (%s) in words, without HTTP details', (reason) => {
    const e = describeStop({
      reason,
      message: 'Exist had a server error (HTTP 502, /api/2/attributes/update/)',
      retryAt: Date.UTC(2026, 0, 1, 12, 30),
    });
    expect(e.message.length).toBeGreaterThan(20);
    if (reason !== 'journal') expect(e.message).not.toMatch(/HTTP|\/api\//);
  });

  it('marks exactly the conditions that clear up by themselves as temporary', () => {
    const temporary = reasons.filter((reason) => TEMPORARY_SYNC_CODES.has(describeStop({ reason, message: '' }).code));
    expect(temporary).toEqual(['network', 'backoff', 'rate-limited', 'budget']);
  });
});
