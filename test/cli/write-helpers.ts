/**
 * Helpers for the write-command tests: connect a CLI data folder to a sandbox without the
 * browser flow (a token minted by the sandbox, stored as the app stores an account), run
 * the CLI in-process against it, read the sandbox's truth, and a loopback HTTP proxy that
 * can act at an exact call (e.g. kill -9 the client after Exist applied a write but before
 * the answer reaches it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFileSecretStore,
  createSecretAccountStore,
  PLAIN_SECRETS_FILE,
  type StoredAccount,
} from '../../src/core/auth';
import { createExistClient, staticTokenProvider } from '../../src/core/exist/client';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';
import { runInProcess, type InProcessResult } from './helpers';

/** A sandbox with a rate limit high enough that only the client's own budget matters. */
export const startWriteSandbox = (opts: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({ rateLimit: 100_000, ...opts });

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'exist-cli-write-'));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/**
 * Stores a connected account in `dataDir` as `login` would: a sandbox token with `scopes`,
 * the profile Exist answers, and `baseUrl` (the sandbox, or a proxy in front of it).
 */
export async function connectDataDir(
  sandbox: Sandbox,
  dataDir: string,
  scopes: string[],
  baseUrl: string = sandbox.url,
): Promise<StoredAccount> {
  const t = sandbox.issueToken(scopes);
  const profile = await createExistClient({
    baseUrl: sandbox.url,
    auth: staticTokenProvider(t.access_token),
  }).getProfile();
  const now = Date.now();
  const account: StoredAccount = {
    baseUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    scope: t.scope.split(/\s+/).filter(Boolean),
    expiresAt: now + t.expires_in * 1000,
    obtainedAt: now,
    status: 'connected',
    profile,
    profileFetchedAt: now,
  };
  await createSecretAccountStore(createFileSecretStore(join(dataDir, PLAIN_SECRETS_FILE))).save(account);
  return account;
}

/** `exist-tray --data-dir D --exist-url URL ...args` in this process. */
export function cliIn(dataDir: string, url: string, args: string[]): Promise<InProcessResult> {
  return runInProcess(['--data-dir', dataDir, '--exist-url', url, ...args], {});
}

/** Like cliIn, but throws with the output when the exit code is not `expected`. */
export async function cliOk(dataDir: string, url: string, args: string[], expected = 0): Promise<InProcessResult> {
  const r = await cliIn(dataDir, url, args);
  if (r.code !== expected)
    throw new Error(
      `exist-tray ${args.join(' ')} → ${r.code} (wanted ${expected})\nstdout: ${r.stdout.join('\n')}\nstderr: ${r.stderr.join('\n')}`,
    );
  return r;
}

/** The last stdout line parsed as JSON (for --json runs). */
export const lastJson = <T = Record<string, unknown>>(r: InProcessResult): T =>
  JSON.parse(r.stdout.at(-1) ?? 'null') as T;

/** The sandbox's stored value of `name` on `date` (undefined when none). */
export function dayValue(sandbox: Sandbox, name: string, date: string): number | string | undefined {
  return sandbox.admin.getState().attributes.find((a) => a.name === name)?.values[date];
}

export function allValues(sandbox: Sandbox, name: string): Record<string, number | string> {
  return sandbox.admin.getState().attributes.find((a) => a.name === name)?.values ?? {};
}

/**
 * API write calls the sandbox logged for an endpoint ('increment' | 'update'): status, object
 * count, and the injected fault if any (a 'drop-after' call was applied, status is what it would have answered).
 */
export function writeCalls(
  sandbox: Sandbox,
  endpoint: 'increment' | 'update',
): { status: number; objects: number; fault?: string }[] {
  return sandbox.admin
    .getState()
    .calls.filter((c) => c.method === 'POST' && c.path.replace(/\/+$/, '') === `/api/2/attributes/${endpoint}`)
    .map((c) => ({ status: c.status, objects: c.objects ?? 0, ...(c.fault ? { fault: c.fault } : {}) }));
}

/** The calendar date in `timeZone` at `ms` (what Exist calls the user's today). */
export function dateIn(timeZone: string, ms = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `date` plus `days` calendar days. */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface ProxyCall {
  method: string;
  path: string;
  /** 1-based count of calls to this path so far. */
  n: number;
}

/**
 * A loopback HTTP proxy in front of the sandbox. `beforeReply` runs after the sandbox
 * answered (so the call is applied) and before the answer is relayed; returning 'drop'
 * destroys the client's connection instead of answering.
 */
export interface TestProxy {
  url: string;
  beforeReply: ((call: ProxyCall) => Promise<'relay' | 'drop'> | 'relay' | 'drop') | null;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<TestProxy> {
  const counts = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const proxy: TestProxy = { url: '', beforeReply: null, close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const up = httpRequest(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: { ...req.headers } },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            void (async () => {
              const decision = proxy.beforeReply
                ? await proxy.beforeReply({ method: req.method ?? 'GET', path, n })
                : 'relay';
              if (decision === 'drop') {
                req.socket.destroy();
                return;
              }
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              res.end(Buffer.concat(body));
            })();
          });
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
