/**
 * Builds the electron-free core with the Electron adapters: safeStorage secrets,
 * notifications, the vetted opener, power events, the sandbox launcher. The shell's
 * effects (windows, tray, login item, shortcut) are passed in by src/main/shell.ts.
 */
import { app } from 'electron';
import { createAppCore } from '../core/app/index';
import type { AppCore, ShellEffects } from '../core/app/types';
import { systemClock, type Notifier, type Opener, type PowerEvents } from '../core/ports';
import type { Settings } from '../shared/ipc-contract';
import { electronSecretStore } from './adapters/secret-store';
import { createSandboxLauncher } from './sandbox-launcher';

export interface CoreHostDeps {
  dataDir: string;
  platform: NodeJS.Platform;
  notifier: Notifier;
  opener: Opener;
  power: PowerEvents;
  shell: ShellEffects;
  existUrl: string | undefined;
  /** The settings as last pushed (for the plaintext-secrets opt-in). */
  settings(): Settings | null;
  onSandboxUrl(url: string | null): void;
}

export function createCoreHost(deps: CoreHostDeps): AppCore {
  return createAppCore({
    whenOutboxLocked: 'wait',
    dataDir: deps.dataDir,
    secrets: electronSecretStore(deps.dataDir, () => deps.settings()?.allowPlaintextSecrets ?? false),
    notifier: deps.notifier,
    opener: deps.opener,
    clock: systemClock,
    power: deps.power,
    shell: deps.shell,
    sandbox: createSandboxLauncher(deps.dataDir, deps.onSandboxUrl),
    ...(deps.existUrl ? { existUrl: deps.existUrl } : {}),
    info: {
      name: 'exist-tray',
      productName: 'Exist Tray',
      version: app.getVersion(),
      platform: deps.platform,
      host: 'electron',
    },
  });
}
