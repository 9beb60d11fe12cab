/**
 * The embedded sandbox listens on a new port every run while its state persists in the data
 * folder (as src/main/sandbox-launcher.ts starts it). The owned attributes are cached under
 * the account's identity, so they survive restarts: three restarts, still "Pages read".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app';
import { DEFAULT_SETTINGS } from '../../../src/core/app/settings-store';
import { createFileSecretStore, createSecretAccountStore } from '../../../src/core/auth';
import { createExistClient, staticTokenProvider } from '../../../src/core/exist/client';
import { systemClock, type SecretStore } from '../../../src/core/ports';
import type { SandboxLauncher } from '../../../src/core/app/types';
import type { OwnedAttributeView } from '../../../src/shared/ipc-contract';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { quietShell, testInfo } from '../../support/app-core';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const trusted = { url: 't', trusted: true };

/** What createSandboxLauncher does (port 0, state in the data folder), keeping the Sandbox for the test. */
function launcher(dataDir: string): SandboxLauncher & { sandbox: Sandbox | null } {
  const l: SandboxLauncher & { sandbox: Sandbox | null } = {
    sandbox: null,
    async start() {
      l.sandbox ??= await startSandbox({ port: 0, autoApprove: false, dataFile: join(dataDir, 'sandbox-state.json') });
      return { url: l.sandbox.url, clientId: l.sandbox.clientId, clientSecret: l.sandbox.clientSecret };
    },
    async stop() {
      await l.sandbox?.close();
      l.sandbox = null;
    },
  };
  return l;
}

function core(dataDir: string, secrets: SecretStore, sandbox: SandboxLauncher): AppCore {
  return createAppCore({
    dataDir,
    secrets,
    sandbox,
    notifier: { notify() {} },
    opener: { openExternal: async () => {} },
    clock: systemClock,
    shell: quietShell(),
    autoFlush: false,
    info: testInfo(),
  });
}

/** Connects the data folder to the embedded sandbox as "Try it with the local sandbox" leaves it. */
async function connectToSandbox(dataDir: string, secrets: SecretStore, s: Sandbox): Promise<void> {
  const t = s.issueToken(['media_write', 'media_read']);
  const profile = await createExistClient({ baseUrl: s.url, auth: staticTokenProvider(t.access_token) }).getProfile();
  const now = Date.now();
  await createSecretAccountStore(secrets).save({
    baseUrl: s.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: ['media_write', 'media_read'],
    expiresAt: now + t.expires_in * 1000,
    obtainedAt: now,
    status: 'connected',
    profile,
  });
  const prefs = { version: 1, settings: DEFAULT_SETTINGS, server: { kind: 'sandbox', baseUrl: s.url }, attributes: {} };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(prefs));
}

describe('owned attributes with the embedded sandbox', () => {
  it('survive three restarts (a new port each run)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exist-owned-'));
    dirs.push(dir);
    const secrets = createFileSecretStore(join(dir, 'cli-secrets.json'));
    const first = launcher(dir);
    await first.start();
    await connectToSandbox(dir, secrets, first.sandbox!);
    const c1 = core(dir, secrets, first);
    await c1.start();
    await c1.invoke['attributes:acquire']({ by: 'template', name: 'pages_read' }, trusted);
    await c1.stop();

    const ports = [first.sandbox?.port ?? 0];
    for (let run = 2; run <= 4; run++) {
      const l = launcher(dir);
      const c = core(dir, secrets, l);
      await c.start();
      ports.push(l.sandbox!.port);
      const owned = (await c.invoke['attributes:list-owned']({}, trusted)) as OwnedAttributeView[];
      expect(
        owned.map((a) => a.name),
        `run ${run}`,
      ).toEqual(['pages_read']);
      await c.stop();
    }
    expect(new Set(ports).size).toBe(4); // really a new address each run
    expect(JSON.parse(readFileSync(join(dir, 'owned.json'), 'utf8'))).toMatchObject({
      account: expect.stringMatching(/^sandbox-/),
    });
  }, 60_000);
});
