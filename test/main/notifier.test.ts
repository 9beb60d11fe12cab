import { beforeEach, describe, expect, it } from 'vitest';
import { Notification, resetElectronStub } from '../stubs/electron';
import { createDedupingNotifier, showElectronNotification, type Notice } from '../../src/main/adapters/notifier';

beforeEach(() => resetElectronStub());

function setup(isEnabled?: (k: Notice['kind']) => boolean) {
  const shown: Notice[] = [];
  const n = createDedupingNotifier({ show: (x) => shown.push(x), ...(isEnabled ? { isEnabled } : {}) });
  return { n, shown };
}

describe('deduping notifier', () => {
  it('shows a failing condition once across retries, and again after it clears', () => {
    const { n, shown } = setup();
    for (let i = 0; i < 5; i++) n.notify({ kind: 'writes-failing', title: 'Exist refused a write', body: `try ${i}` });
    expect(shown.map((s) => s.body)).toEqual(['try 0']);
    n.clear('writes-failing');
    n.notify({ kind: 'writes-failing', title: 'Exist refused a write', body: 'later' });
    expect(shown.map((s) => s.body)).toEqual(['try 0', 'later']);
  });

  it('a refreshed token clears "reconnect needed"; a new failure clears "refreshed"', () => {
    const { n, shown } = setup();
    n.notify({ kind: 'reconnect-needed', title: 'R', body: '1' });
    n.notify({ kind: 'reconnect-needed', title: 'R', body: '2' });
    n.notify({ kind: 'token-refreshed', title: 'T', body: '3' });
    n.notify({ kind: 'token-refreshed', title: 'T', body: '4' });
    n.notify({ kind: 'reconnect-needed', title: 'R', body: '5' });
    n.notify({ kind: 'token-refreshed', title: 'T', body: '6' });
    expect(shown.map((s) => s.body)).toEqual(['1', '3', '5', '6']);
  });

  it('never suppresses info notices; job failures are per job', () => {
    const { n, shown } = setup();
    n.notify({ kind: 'info', title: 'I', body: 'a' });
    n.notify({ kind: 'info', title: 'I', body: 'b' });
    n.notify({ kind: 'job-failing', title: 'Job steps failed', body: '1' });
    n.notify({ kind: 'job-failing', title: 'Job steps failed', body: '2' });
    n.notify({ kind: 'job-failing', title: 'Job sleep failed', body: '3' });
    expect(shown.map((s) => s.body)).toEqual(['a', 'b', '1', '3']);
  });

  it('respects a filter', () => {
    const { n, shown } = setup((k) => k !== 'token-refreshed');
    n.notify({ kind: 'token-refreshed', title: 'T', body: 'x' });
    expect(shown).toEqual([]);
  });

  it('shows through Electron Notification where supported', () => {
    showElectronNotification({ kind: 'info', title: 'Hello', body: 'World' });
    expect(Notification.shown.map((s) => s.options)).toMatchObject([{ title: 'Hello', body: 'World' }]);
    Notification.supported = false;
    showElectronNotification({ kind: 'info', title: 'Hello', body: 'again' });
    expect(Notification.shown).toHaveLength(1);
  });
});
