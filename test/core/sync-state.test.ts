import { describe, expect, it } from 'vitest';
import { clockTime, syncState, type SyncStateInput } from '../../src/core/sync-state';
import type { FailedWriteView, SyncView } from '../../src/shared/ipc-contract';

const NOW = Date.UTC(2026, 11, 1, 13, 0);
const item = (id: string): FailedWriteView => ({
  id,
  name: 'pages_read',
  date: '2026-12-01',
  kind: 'increment',
  value: 5,
  errorCode: 'rejected',
  message: 'Exist refused it',
  at: NOW,
});
const sync = (over: Partial<SyncView> = {}): SyncStateInput['sync'] => ({
  pending: 0,
  sending: false,
  failed: [],
  maybeDoubled: [],
  lastSyncAt: null,
  lastError: null,
  rate: { used: 0, limit: 300, pausedUntil: null },
  ...over,
});
const state = (s: Partial<SyncView>, account: SyncStateInput['account'] = 'connected') =>
  syncState({ account, sync: sync(s), now: NOW }, { timeZone: 'UTC' });

describe('syncState', () => {
  it('is "All synced" only when nothing is queued, failed or flagged', () => {
    expect(state({}).label).toBe('All synced');
    expect(state({}).kind).toBe('synced');
    for (const s of [{ pending: 1 }, { failed: [item('a')] }, { maybeDoubled: [item('b')] }]) {
      const st = state(s);
      expect(st.kind).not.toBe('synced');
      expect(st.label).not.toMatch(/synced/i);
      expect(st.sentence).not.toMatch(/everything/i);
    }
  });

  it('names every count, the most important first', () => {
    const st = state({ pending: 2, failed: [item('a')], maybeDoubled: [item('b'), item('c')] });
    expect(st.kind).toBe('failed');
    expect(st.label).toBe('1 failed · 2 to check · 2 queued');
    expect(st.tone).toBe('error');
    expect(state({ pending: 3, sending: true }).label).toBe('Sending 3…');
    expect(state({ pending: 3 }).label).toBe('3 queued');
    expect(state({ maybeDoubled: [item('b')] }).kind).toBe('flagged');
  });

  it('never counts one write as both failed and flagged', () => {
    const st = state({ failed: [item('a')], maybeDoubled: [item('a')] });
    expect(st.failed).toBe(1);
    expect(st.flagged).toBe(0);
    expect(st.label).toBe('1 failed');
  });

  it('says until when and why sending is paused, only while something waits', () => {
    const until = NOW + 65 * 60_000;
    const st = state({
      pending: 4,
      lastError: { code: 'rate-limited', message: 'x' },
      rate: { used: 300, limit: 300, pausedUntil: until },
    });
    expect(st.kind).toBe('paused');
    expect(st.pausedUntil).toBe(until);
    expect(st.label).toBe('Paused until 14:05 (Exist’s hourly limit) · 4 queued');
    expect(st.sentence).toMatch(/^Paused until 14:05 .*4 entries are kept/);
    expect(state({ pending: 1, lastError: { code: 'offline', message: 'x' } }).label).toBe(
      'Paused (Exist can’t be reached) · 1 queued',
    );
    // A 5xx is Exist having trouble, not Exist out of reach.
    const server = state({ pending: 1, lastError: { code: 'server', message: 'x' } });
    expect(server.pauseReason).toBe('server');
    expect(server.label).toBe('Paused (Exist had a problem; retrying) · 1 queued');
    expect(server.sentence).not.toMatch(/can.t be reached/);
    expect(state({ pending: 1, lastError: { code: 'backoff', message: 'x' } }).label).not.toMatch(
      /can.t be reached|had trouble/,
    );
    // Nothing waiting: an old pause is history.
    expect(state({ rate: { used: 300, limit: 300, pausedUntil: until } }).kind).toBe('synced');
    // A pause that has ended is no pause.
    expect(state({ pending: 1, rate: { used: 0, limit: 300, pausedUntil: NOW - 1 } }).kind).toBe('queued');
  });

  it('the account comes first: disconnected, connecting, reconnect needed', () => {
    const off = state({ pending: 2 }, 'disconnected');
    expect(off.kind).toBe('disconnected');
    expect(off.label).toBe('Disconnected · 2 queued');
    expect(off.sentence).toMatch(/^Disconnected from Exist/);
    expect(off.sentence).not.toMatch(/token/);
    expect(state({}, 'needs-reconnect').label).toBe('Reconnect needed');
    expect(state({}, 'connecting').kind).toBe('connecting');
  });

  it('writes times as HH:MM, 24-hour', () => {
    expect(clockTime(Date.UTC(2026, 0, 1, 9, 7), 'UTC')).toBe('09:07');
    expect(clockTime(Date.UTC(2026, 0, 1, 21, 30), 'Pacific/Auckland')).toBe('10:30');
  });
});
