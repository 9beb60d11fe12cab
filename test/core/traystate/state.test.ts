/** The tray's state: worst state wins, and every state is said in words. */
import { describe, expect, it } from 'vitest';
import { trayState, trayStateFrom, type TrayStateInput } from '../../../src/core/traystate';
import type { SyncState } from '../../../src/shared/sync-state';

const base: TrayStateInput = { account: 'connected', pending: 0, failed: 0, stopCode: null, pausedUntil: null };

describe('trayState', () => {
  it('all synced', () => {
    expect(trayState(base)).toEqual({
      iconVariant: 'ok',
      tooltip: 'Exist Tray — all synced',
      menuHeader: 'All synced',
      title: '',
    });
  });
  it('2 waiting while offline', () => {
    const s = trayState({ ...base, pending: 2, stopCode: 'offline' });
    expect(s.iconVariant).toBe('offline');
    expect(s.tooltip).toBe("Exist Tray — 2 waiting — Exist can't be reached");
    expect(s.menuHeader).toBe("2 waiting — Exist can't be reached");
  });
  it('a server error (5xx) is not "can’t be reached", nor is a back-off of unknown cause', () => {
    const s = trayState({ ...base, pending: 2, stopCode: 'server' });
    expect(s.iconVariant).not.toBe('offline');
    expect(s.tooltip).toBe('Exist Tray — 2 waiting — Exist had a problem; retrying');
    expect(trayState({ ...base, pending: 2, stopCode: 'backoff' }).tooltip).not.toMatch(/can't be reached/);
    expect(
      trayStateFrom({
        kind: 'paused',
        queued: 1,
        failed: 0,
        flagged: 0,
        sending: false,
        pausedUntil: null,
        pauseReason: 'server',
        lastSyncAt: null,
        label: '',
        sentence: '',
        tone: 'warn',
      }).menuHeader,
    ).toBe('1 waiting — Exist had a problem; retrying');
  });
  it('pending while sending normally', () => {
    expect(trayState({ ...base, pending: 3 })).toMatchObject({
      iconVariant: 'pending',
      menuHeader: '3 waiting to sync',
    });
  });
  it('reconnect needed beats everything, and keeps the waiting count', () => {
    const s = trayState({ ...base, account: 'needs-reconnect', pending: 2, failed: 1, stopCode: 'offline' });
    expect(s).toMatchObject({ iconVariant: 'reconnect', tooltip: 'Exist Tray — reconnect needed (2 waiting)' });
    expect(trayState({ ...base, stopCode: 'needs-reconnect' }).iconVariant).toBe('reconnect');
  });
  it('failed beats paused; paused says until when', () => {
    expect(trayState({ ...base, failed: 2, pending: 1, stopCode: 'rate-limited', pausedUntil: 0 })).toMatchObject({
      iconVariant: 'failed',
      menuHeader: '2 writes failed',
    });
    const paused = trayState({
      ...base,
      pending: 4,
      stopCode: 'rate-limited',
      pausedUntil: new Date(2026, 11, 1, 22, 5).getTime(),
    });
    expect(paused).toMatchObject({
      iconVariant: 'paused',
      menuHeader: "Paused by Exist's rate limit until 22:05 (4 waiting)",
    });
  });
  it('disconnected, and the macOS title of the chosen attribute', () => {
    expect(trayState({ ...base, account: 'disconnected' }).iconVariant).toBe('disconnected');
    expect(trayState({ ...base, titleValue: '12' }).title).toBe('12');
  });
});

describe('trayStateFrom (the sync-state model)', () => {
  const synced: SyncState = {
    kind: 'synced',
    queued: 0,
    failed: 0,
    flagged: 0,
    sending: false,
    pausedUntil: null,
    pauseReason: null,
    lastSyncAt: null,
    label: 'All synced',
    sentence: '',
    tone: 'ok',
  };
  it('maps each kind to its variant and words', () => {
    expect(trayStateFrom(synced).iconVariant).toBe('ok');
    expect(
      trayStateFrom({ ...synced, kind: 'paused', queued: 2, pauseReason: 'offline', pausedUntil: 1 }).tooltip,
    ).toBe("Exist Tray — 2 waiting — Exist can't be reached");
    expect(trayStateFrom({ ...synced, kind: 'reconnect', queued: 2 }).tooltip).toBe(
      'Exist Tray — reconnect needed (2 waiting)',
    );
    expect(trayStateFrom({ ...synced, kind: 'flagged', flagged: 1 }).iconVariant).toBe('failed');
    expect(trayStateFrom({ ...synced, kind: 'queued', queued: 3 }).iconVariant).toBe('pending');
    expect(trayStateFrom({ ...synced, kind: 'disconnected' }).iconVariant).toBe('disconnected');
    expect(
      trayStateFrom({ ...synced, kind: 'paused', queued: 1, pauseReason: 'rate-limit', pausedUntil: Date.now() })
        .iconVariant,
    ).toBe('paused');
  });
});
