/**
 * The CLI as a host of the same app core as the tray app: file-backed secrets
 * (cli-secrets.json, 0600; see core/auth/secrets-files.ts), the system browser through the platform's opener, notifications on
 * stderr, no windows, and no background sending — writes go out on `sync` (or at
 * once unless --no-sync, by the command's choice).
 */
import { spawn } from 'node:child_process';
import { createAppCore, type AppCore } from '../core/app';
import { openPlainSecretStore } from '../core/auth/secrets-files';
import { ensurePrivateDir } from '../core/fs';
import { createDispatcher } from '../core/ipc/dispatch';
import { systemClock, type Clock, type Opener } from '../core/ports';
import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../shared/ipc-contract';
import { UserError } from '../core/errors';
import type { CliContext } from './context';

/** Opens a URL in the system browser; never throws (the URL is also printed). */
export const systemOpener: Opener = {
  async openExternal(url) {
    if (!/^https?:\/\//.test(url)) return;
    const [cmd, args] =
      process.platform === 'darwin'
        ? ['open', [url]]
        : process.platform === 'win32'
          ? ['cmd', ['/c', 'start', '', url]]
          : ['xdg-open', [url]];
    await new Promise<void>((resolve) => {
      try {
        const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
        child.on('error', () => resolve());
        child.unref();
        resolve();
      } catch {
        resolve();
      }
    });
  },
};

export interface CliCore {
  core: AppCore;
  /** Calls a contract channel with the same validation as the app; failures become UserErrors. */
  call<K extends InvokeChannel>(channel: K, request: InvokeRequest<K>): Promise<InvokeResponse<K>>;
  close(): Promise<void>;
}

export async function openCliCore(
  ctx: CliContext,
  opts: {
    opener?: Opener | null;
    clock?: Clock;
    version?: string;
    redirectUri?: string;
    /** 'wait': start even while another process holds the outbox (account commands do not need it). */
    whenOutboxLocked?: 'fail' | 'wait';
  } = {},
): Promise<CliCore> {
  ensurePrivateDir(ctx.dataDir);
  const core = createAppCore({
    dataDir: ctx.dataDir,
    secrets: openPlainSecretStore(ctx.dataDir),
    notifier: { notify: (n) => (n.kind === 'token-refreshed' ? undefined : ctx.io.stderr(`${n.title}: ${n.body}`)) },
    opener: opts.opener === null ? { openExternal: async () => {} } : (opts.opener ?? systemOpener),
    clock: opts.clock ?? systemClock,
    shell: {
      closePopover() {},
      openSettings() {},
      setLaunchAtLogin: () => false,
      setGlobalShortcut: () => false,
      setPendingCount() {},
    },
    existUrl: ctx.existUrl,
    autoFlush: false,
    ...(opts.whenOutboxLocked ? { whenOutboxLocked: opts.whenOutboxLocked } : {}),
    ...(opts.redirectUri ? { redirectUri: opts.redirectUri } : {}),
    info: {
      name: 'exist-tray',
      productName: 'Exist Tray',
      version: opts.version ?? '0.0.0',
      platform: process.platform,
      host: 'cli',
    },
  });
  try {
    await core.start();
  } catch (e) {
    await core.stop().catch(() => undefined); // e.g. the outbox is busy: leave nothing running
    throw e;
  }
  const dispatcher = createDispatcher(core.invoke, core.send);
  return {
    core,
    async call(channel, request) {
      const r = await dispatcher.invoke(channel, request, { url: 'cli:', trusted: true });
      if (!r.ok) throw new UserError(r.error.code, r.error.message, r.error.field);
      return r.value as InvokeResponse<typeof channel>;
    },
    close: () => core.stop(),
  };
}
