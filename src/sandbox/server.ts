/**
 * The sandbox's HTTP server (plain node:http on loopback): it reads each request, sends
 * admin paths to ./admin, API paths to ./api-calls and the rest to ./pages (after a fault,
 * if one is queued for the path), logs the call and persists after non-GET requests. The
 * parts share one ./context: the core, the throttle (./throttle), the fault and late-apply
 * queues (./faults), the call log and the value change log.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createAdmin } from './admin';
import { detail } from './api';
import { createApiCalls } from './api-calls';
import { createContext } from './context';
import type { Reply } from './core';
import { BodyTooLarge, readBody, send } from './http';
import { createPageRoutes } from './pages';
import type { Sandbox, SandboxCall, SandboxOptions } from './types';

export { isLoopback } from './http';

/**
 * Starts an Exist-compatible server for tests and demos. Resolves once it listens;
 * throws (with a clear message) on bad options or an unreadable data file.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ctx = createContext(options);
  const { config, core, faults, log, runLateApplies } = ctx;
  const { admin, issueToken, adminHttp } = createAdmin(ctx);
  const api = createApiCalls(ctx);
  const { handleApi, answerFault } = api;
  const route = createPageRoutes(ctx, api);
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    runLateApplies();
    const at = core.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const isAdmin = path === '/__sandbox' || path.startsWith('/__sandbox/');
    let body: string;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        send(res, detail(413, 'Request body too large.'));
        return;
      }
      req.socket.destroy();
      return;
    }
    if (isAdmin) {
      send(res, adminHttp(req, url, body));
      return;
    }
    const base: SandboxCall = {
      method: req.method ?? 'GET',
      path,
      status: 0,
      token: req.headers.authorization === undefined ? 'absent' : 'present',
      at,
    };
    if (req.method === 'POST' && path.startsWith('/api/')) {
      try {
        const parsed: unknown = JSON.parse(body);
        if (Array.isArray(parsed)) base.objects = parsed.length;
      } catch {
        // counted as a call without objects; the handler answers 400
      }
    }
    if (path.startsWith('/api/')) {
      handleApi(req, res, url, body, base);
      return;
    }
    const fault = faults.take(path);
    if (fault?.kind === 'status' || fault?.kind === 'hang' || fault?.kind === 'drop-before') {
      answerFault(req, res, fault, base);
      return;
    }
    let reply: Reply;
    try {
      reply = route(req, url, body);
    } catch (e) {
      reply = detail(500, `Sandbox error: ${(e as Error).message}`);
    }
    if (req.method !== 'GET') {
      try {
        core.persist();
      } catch (e) {
        reply = detail(500, `Sandbox could not save its data file: ${(e as Error).message}`);
      }
    }
    if (fault !== undefined) {
      log({ ...base, status: reply.status, fault: fault.kind });
      req.socket.destroy();
      return;
    }
    log({ ...base, status: reply.status });
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, detail(500, `Sandbox error: ${(e as Error).message}`));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Sandbox did not get a TCP address');
  const port = address.port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const baseUrl = `http://${hostForUrl}:${port}`;
  ctx.baseUrl = baseUrl;

  return {
    url: baseUrl,
    port,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    personalToken: core.personalToken,
    issueToken,
    admin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
