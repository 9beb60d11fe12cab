/**
 * The only tests that bind the real redirect port 8000 (serialised here; another test file
 * may hold the port briefly, so each test waits for it to be free first).
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCallbackListener } from '../../../src/core/auth/callback-listener';
import { connectAccount } from '../../../src/core/auth/connect';
import { AuthFlowError } from '../../../src/core/auth/errors';
import { createFileAccountStore } from '../../../src/core/auth/token-store';
import { createExistClient } from '../../../src/core/exist/client';
import { REDIRECT_URI } from '../../../src/shared/domain';
import { startSandbox } from '../../../src/sandbox/index';
import { browse } from './browser';
import { hasIPv6Loopback } from './helpers';

const MESSAGE =
  'Port 8000 is in use by another program. Exist sends you back to http://localhost:8000/ (the redirect URI registered for your client), so it cannot move: close the other program and try again.';

function bind(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port, ipv6Only: host.includes(':') }, () => resolve(s));
  });
}
const unbind = (s: Server) => new Promise<void>((r) => s.close(() => r()));

/** Binds host:8000, waiting up to 15 s for another test file to release it. */
async function take8000(host: string): Promise<Server> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await bind(host, 8000);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EADDRINUSE' || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe.sequential('redirect port 8000', () => {
  it('busy on 127.0.0.1: rejects with the clear message', async () => {
    const blocker = await take8000('127.0.0.1');
    try {
      const e = await startCallbackListener({ expectedState: 's' }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(AuthFlowError);
      expect((e as AuthFlowError).code).toBe('port-in-use');
      expect((e as AuthFlowError).message).toBe(MESSAGE);
    } finally {
      await unbind(blocker);
    }
  });

  it('busy on ::1 only: also rejects (the browser may resolve localhost to ::1) and frees 127.0.0.1', async () => {
    if (!(await hasIPv6Loopback())) return;
    const blocker = await take8000('::1');
    try {
      await expect(startCallbackListener({ expectedState: 's' })).rejects.toThrow(MESSAGE);
      // Our 127.0.0.1 socket was released on the way out.
      await unbind(await bind('127.0.0.1', 8000));
    } finally {
      await unbind(blocker);
    }
  });

  it('a full login on the registered redirect URI, then the port is free again', async () => {
    await unbind(await take8000('127.0.0.1')); // wait until free
    const sbx = await startSandbox({ autoApprove: true });
    const dir = await fs.mkdtemp(join(tmpdir(), 'exist-tray-8000-'));
    try {
      expect(sbx.redirectUri).toBe(REDIRECT_URI);
      let page: Promise<{ text: string }> | undefined;
      const acc = await connectAccount({
        client: createExistClient({ baseUrl: sbx.url }),
        opener: { openExternal: async (url) => void (page = browse(url)) },
        clientId: sbx.clientId,
        clientSecret: sbx.clientSecret,
        scopes: ['media_write'],
        store: createFileAccountStore(join(dir, 'account.json')),
      });
      expect(acc.profile?.username).toBe('demo');
      expect((await page!).text).toContain('Connected to Exist as demo');
      await unbind(await bind('127.0.0.1', 8000));
    } finally {
      await sbx.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
