/**
 * An app core over a data folder connected to an in-process sandbox, on a jumpable clock:
 * for tests that run one core, or two one after the other (a restart), as the browser host
 * runs it (reminders on, writes flushed unless `autoFlush: false`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../../src/core/app';
import type { ShellEffects } from '../../src/core/app/types';
import { DEFAULT_SETTINGS } from '../../src/core/app/settings-store';
import { createFileSecretStore, createSecretAccountStore } from '../../src/core/auth';
import { createExistClient, staticTokenProvider } from '../../src/core/exist/client';
import type { Notifier, SecretStore } from '../../src/core/ports';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { jumpableClock } from './jumpable-clock';

export const trusted = { url: 't', trusted: true };

export { jumpableClock } from './jumpable-clock';

export type Notification = Parameters<Notifier['notify']>[0];

export interface World {
  dir: string;
  clock: ReturnType<typeof jumpableClock>;
  sandbox: Sandbox;
  secrets: SecretStore;
  shown: Notification[];
}

export async function world(
  cleanup: (() => Promise<void> | void)[],
  scopes: string[] = ['media_write', 'media_read'],
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'exist-reminders-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const clock = jumpableClock();
  const sandbox = await startSandbox({ port: 0, now: clock.ms, timezone: 'UTC' });
  cleanup.push(() => sandbox.close());
  const secrets = createFileSecretStore(join(dir, 'cli-secrets.json'));
  const t = sandbox.issueToken(scopes);
  const profile = await createExistClient({
    baseUrl: sandbox.url,
    auth: staticTokenProvider(t.access_token),
  }).getProfile();
  const now = clock.now();
  await createSecretAccountStore(secrets).save({
    baseUrl: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: scopes,
    expiresAt: now + t.expires_in * 1000,
    obtainedAt: now,
    status: 'connected',
    profile,
  });
  const prefs = {
    version: 1,
    settings: DEFAULT_SETTINGS,
    server: { kind: 'sandbox', baseUrl: sandbox.url },
    attributes: {},
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(prefs));
  return { dir, clock, sandbox, secrets, shown: [] };
}

/** One run of the app over the folder (the browser host's core: reminders run, writes flush). */
export async function run(
  w: World,
  opts: { autoFlush?: boolean; shell?: Partial<ShellEffects> } = {},
): Promise<AppCore> {
  const core = createAppCore({
    dataDir: w.dir,
    secrets: w.secrets,
    notifier: { notify: (n) => void w.shown.push(n) },
    opener: { openExternal: async () => {} },
    clock: w.clock,
    shell: {
      closePopover() {},
      openSettings() {},
      setLaunchAtLogin: () => true,
      setGlobalShortcut: () => true,
      setPendingCount() {},
      ...opts.shell,
    },
    ...(opts.autoFlush === undefined ? {} : { autoFlush: opts.autoFlush }),
    info: { name: 'exist-tray', productName: 'Exist Tray', version: '0', platform: 'linux', host: 'browser' },
  });
  await core.start();
  return core;
}
