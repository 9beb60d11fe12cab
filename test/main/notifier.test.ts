import { beforeEach, describe, expect, it } from 'vitest';
import { Notification, resetElectronStub } from '../stubs/electron';
import { showElectronNotification } from '../../src/main/adapters/notifier';

beforeEach(() => resetElectronStub());

describe('Electron notifications', () => {
  it('shows through Electron Notification where supported', () => {
    showElectronNotification({ kind: 'info', title: 'Hello', body: 'World' });
    expect(Notification.shown.map((s) => s.options)).toMatchObject([{ title: 'Hello', body: 'World' }]);
    Notification.supported = false;
    showElectronNotification({ kind: 'info', title: 'Hello', body: 'again' });
    expect(Notification.shown).toHaveLength(1);
  });
});

describe('reminder notifications (actions)', () => {
  const actions = [
    { id: 'log', label: '+1 Pages read' },
    { id: 'snooze', label: 'Snooze 15 min' },
  ];
  it('macOS and Windows: buttons, and the chosen one is answered by id (old and new event shapes)', () => {
    const got: string[] = [];
    showElectronNotification(
      { kind: 'reminder', title: 'R', body: 'B', actions, onAction: (id) => got.push(id) },
      undefined,
      'darwin',
    );
    const n = Notification.shown[0]!;
    expect(n.options.actions).toEqual([
      { type: 'button', text: '+1 Pages read' },
      { type: 'button', text: 'Snooze 15 min' },
    ]);
    n.emit('action', {}, 1);
    n.emit('action', {}, { actionIndex: 0 });
    n.emit('click');
    expect(got).toEqual(['snooze', 'log', 'open']);
  });
  it('Linux: no buttons; a click opens', () => {
    const got: string[] = [];
    showElectronNotification(
      { kind: 'reminder', title: 'R', body: 'B', actions, onAction: (id) => got.push(id) },
      undefined,
      'linux',
    );
    const n = Notification.shown[0]!;
    expect(n.options.actions).toBeUndefined();
    n.emit('click');
    expect(got).toEqual(['open']);
  });
});
