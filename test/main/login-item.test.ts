/**
 * Launch at login per platform on a recording `app`: Windows asks back with the same
 * args it set (Electron compares them); macOS passes no args, reads a login launch from
 * `wasOpenedAtLogin`, and says an approval state in words.
 */
import { describe, expect, it } from 'vitest';
import type { App } from 'electron';
import { LOGIN_ARGS, launchedHidden, macLoginStatusMessage, setLaunchAtLogin } from '../../src/main/login-item';

/** Electron's documented Windows semantics: openAtLogin only for the same path and args. */
function windowsApp() {
  const run = new Map<string, string[]>();
  const calls: unknown[] = [];
  const app = {
    isPackaged: true,
    setLoginItemSettings(s: { openAtLogin: boolean; args?: string[] }) {
      calls.push(s);
      if (s.openAtLogin) run.set('io.exist.tray', s.args ?? []);
      else run.delete('io.exist.tray');
    },
    getLoginItemSettings(o: { args?: string[] } = {}) {
      const args = run.get('io.exist.tray');
      return { openAtLogin: !!args && JSON.stringify(args) === JSON.stringify(o.args ?? []) };
    },
  };
  return { app: app as unknown as App, run, calls };
}

describe('setLaunchAtLogin on Windows', () => {
  it('turns on and off, asking back with the args it set', () => {
    const { app, run } = windowsApp();
    expect(setLaunchAtLogin(app, true, 'win32')).toBe(true);
    expect(run.get('io.exist.tray')).toEqual(LOGIN_ARGS);
    expect(setLaunchAtLogin(app, false, 'win32')).toBe(true);
    expect(run.size).toBe(0);
  });
});

describe('setLaunchAtLogin on macOS', () => {
  const macApp = (status: string) => {
    const calls: Record<string, unknown>[] = [];
    const app = {
      isPackaged: true,
      setLoginItemSettings: (s: Record<string, unknown>) => calls.push(s),
      getLoginItemSettings: () => ({ openAtLogin: status === 'enabled', status }),
    } as unknown as App;
    return { app, calls };
  };
  it('passes no args (they are Windows-only)', () => {
    const { app, calls } = macApp('enabled');
    expect(setLaunchAtLogin(app, true, 'darwin')).toBe(true);
    expect(calls).toEqual([{ openAtLogin: true }]);
  });
  it('requires-approval is said in words, not "refused"', () => {
    const { app } = macApp('requires-approval');
    expect(() => setLaunchAtLogin(app, true, 'darwin')).toThrow(/System Settings → General → Login Items/);
    expect(macLoginStatusMessage('not-found')).toMatch(/Applications folder/);
    expect(macLoginStatusMessage('enabled')).toBeNull();
  });
});

describe('launchedHidden', () => {
  const app = (wasOpenedAtLogin: boolean) => ({ getLoginItemSettings: () => ({ wasOpenedAtLogin }) }) as unknown as App;
  it('--hidden anywhere; on macOS a login launch without it', () => {
    expect(launchedHidden(app(false), ['/exe', '--hidden'], 'win32')).toBe(true);
    expect(launchedHidden(app(true), ['/exe'], 'win32')).toBe(false);
    expect(launchedHidden(app(true), ['/Applications/Exist Tray.app/Contents/MacOS/Exist Tray'], 'darwin')).toBe(true);
    expect(launchedHidden(app(false), ['/exe'], 'darwin')).toBe(false);
  });
});
