/**
 * The browser host: the Exist Tray core under Node behind a local web page, for
 * development without Electron and for the Playwright suite.
 *
 *   npx tsx src/host/index.ts [--exist-url URL] [--data-dir DIR] [--port N] [--no-open] [--allow-command-jobs]
 *
 * It prints one start link with a one-time token (see ./gate.ts): the only way in.
 *
 * Run directly, it is the CLI (`npm run dev:browser`); imported, it is the library.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { homedir } from 'node:os';
import { defaultAppDataDir } from '../core/paths';
import { startBrowserHost, type BrowserHost } from './host';

export { startBrowserHost, injectBridge, type BrowserHost, type BrowserHostOptions } from './host';
export { ensureBridgeBuilt, ensureRendererBuilt, REPO_ROOT, type BuildMode } from './build';
export type { HostMessage, HostNotification, DeskSnapshot } from './protocol';

const parsePort = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
};
const parseUrl = (v: string): string => {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InvalidArgumentError('not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgumentError('must be an http(s) URL');
  return u.href.replace(/\/$/, '');
};

/** Parses the command line, starts the host and keeps it running until Ctrl-C or the tray's Quit. */
export async function runCli(argv: string[]): Promise<BrowserHost> {
  const program = new Command()
    .name('dev:browser')
    .description('Run Exist Tray in your browser: the core under Node, the renderer served on 127.0.0.1.')
    .option('--exist-url <url>', 'an Exist-compatible server (default: start the local sandbox)', parseUrl)
    .option(
      '--data-dir <dir>',
      'where the app keeps its data',
      join(defaultAppDataDir(process.platform, process.env, homedir()), 'browser-host'),
    )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', parsePort, 0)
    .option('--no-open', 'only list the pages the app opens, do not also open them in a new tab')
    .option('--rebuild', 'rebuild the renderer even if it looks up to date')
    .option('--allow-command-jobs', 'let the page add and run command jobs (they run a program as you; off by default)')
    .parse(argv);
  const o = program.opts<{
    existUrl?: string;
    dataDir: string;
    port: number;
    open: boolean;
    rebuild?: boolean;
    allowCommandJobs?: boolean;
  }>();

  let host: BrowserHost | null = null;
  const shutdown = (code: number) => {
    void (host?.close() ?? Promise.resolve()).finally(() => process.exit(code));
  };
  host = await startBrowserHost({
    dataDir: resolve(o.dataDir),
    port: o.port,
    ...(o.existUrl ? { existUrl: o.existUrl } : {}),
    // The sandbox keeps its state (user, tokens, values) across runs, as the app's does.
    sandbox: { dataFile: join(resolve(o.dataDir), 'sandbox-state.json') },
    openInBrowser: o.open,
    allowCommandJobs: o.allowCommandJobs === true,
    build: o.rebuild ? 'always' : 'auto',
    onQuit: () => shutdown(0),
    log: (line) => console.error(line),
  });
  process.once('SIGINT', () => shutdown(130));
  process.once('SIGTERM', () => shutdown(143));
  console.log(`Exist Tray browser host: ${host.launchUrl}`);
  console.log(
    `  Exist server: ${host.existUrl ?? 'https://exist.io (default)'}${host.sandbox ? ' (local sandbox)' : ''}`,
  );
  console.log(`  Data: ${resolve(o.dataDir)}`);
  console.log(
    '  Open the link above in a browser; it works once (it lets that browser in). Ctrl-C stops; restart for a new link.',
  );
  if (o.allowCommandJobs) console.log('  Command jobs are allowed: this page can run programs as you.');
  return host;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runCli(process.argv).catch((e: unknown) => {
    console.error(`Could not start the browser host: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
