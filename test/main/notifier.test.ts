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
