/**
 * "Try it with the local sandbox": starts the embedded Exist-compatible server on a
 * loopback ephemeral port, once, and reports its URL so the opener may open its
 * consent page (http on loopback is otherwise refused).
 */
import { join } from 'node:path';
import type { SandboxLauncher } from '../core/app/types';
import { startSandbox, type Sandbox } from '../sandbox/index';

export function createSandboxLauncher(dataDir: string, onUrl: (url: string | null) => void): SandboxLauncher {
  let running: Promise<Sandbox> | null = null;
  return {
    async start() {
      running ??= startSandbox({ port: 0, autoApprove: false, dataFile: join(dataDir, 'sandbox-state.json') }).catch(
        (e: unknown) => {
          running = null;
          throw e;
        },
      );
      const s = await running;
      onUrl(s.url);
      return { url: s.url, clientId: s.clientId, clientSecret: s.clientSecret };
    },
    async stop() {
      const r = running;
      running = null;
      if (!r) return;
      onUrl(null);
      await (await r.catch(() => null))?.close();
    },
  };
}
