import { describe, expect, it } from 'vitest';
import { createNotices, notificationEnabled } from '../../../src/core/app/notices';
import { DEFAULT_SETTINGS } from '../../../src/core/app/settings-store';
import type { NotificationKind } from '../../../src/core/ports';
import type { NotificationView, Settings } from '../../../src/shared/ipc-contract';

function setup(settings: Settings = DEFAULT_SETTINGS) {
  const shown: { kind: NotificationKind; body: string }[] = [];
  const pushed: NotificationView[] = [];
  const n = createNotices({
    notifier: { notify: (x) => void shown.push({ kind: x.kind, body: x.body }) },
    enabled: (kind) => notificationEnabled(settings, kind),
    onNotice: (x) => void pushed.push(x),
    now: () => 0,
  });
  return { n, shown, pushed };
}

describe('notices', () => {
  it('shows a failing condition once across retries, and again after it clears', () => {
    const { n, shown } = setup();
    for (let i = 0; i < 5; i++) n.once('writes-failing', 'Exist refused a write', `try ${i}`);
    expect(shown.map((s) => s.body)).toEqual(['try 0']);
    n.clear('writes-failing');
    n.once('writes-failing', 'Exist refused a write', 'later');
    expect(shown.map((s) => s.body)).toEqual(['try 0', 'later']);
  });

  it('shows events every time: two renewals in one run are two notices', () => {
    const { n, shown } = setup();
    n.notify('token-refreshed', 'T', '1');
    n.notify('token-refreshed', 'T', '2');
    n.notify('info', 'I', 'a');
    n.notify('info', 'I', 'b');
    expect(shown.map((s) => s.body)).toEqual(['1', '2', 'a', 'b']);
  });

  it('respects the user’s switches for desktop notifications, and still tells the renderer', () => {
    const off: Settings = {
      ...DEFAULT_SETTINGS,
      notifications: { tokenRefreshed: false, reconnectNeeded: false, writesFailing: true },
    };
    const { n, shown, pushed } = setup(off);
    n.notify('token-refreshed', 'T', 'x');
    n.once('reconnect-needed', 'R', 'y');
    n.once('token-refresh-failed', 'F', 'z');
    n.once('writes-failing', 'W', 'w');
    expect(shown.map((s) => s.body)).toEqual(['w']);
    expect(pushed.map((p) => p.body)).toEqual(['x', 'y', 'z', 'w']);
  });
});
