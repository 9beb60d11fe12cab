/**
 * The sandbox's HTTP server (plain node:http on loopback): routing, bearer auth, the
 * rate limit (throttle.ts), fault injection and late applies (faults.ts), the call log,
 * the value change log and the admin API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { ALL_SCOPES } from '../shared/domain';
import { API_ROUTES, detail, HttpProblem } from './api';
import { resolveOptions, SandboxCore, type Reply } from './core';
import { ChangeLog, FailNextSchema, FaultQueue, LateQueue, reshapeReply } from './faults';
import { authorizeGet, authorizePost, tokenPost } from './oauth';
import { Throttle } from './throttle';
import type { Sandbox, SandboxCall, SandboxFault, SandboxOptions, SandboxStateSnapshot, TokenRecord } from './types';

type ApiDef = (typeof API_ROUTES)[string];
/** An authenticated, admitted API request, ready to run now or later. */
interface Admitted {
  def: ApiDef;
  token: TokenRecord;
}

/** Largest request body the sandbox reads (35 objects fit many times over). */
const MAX_BODY_BYTES = 1024 * 1024;
/** The call log keeps this many most recent entries. */
const MAX_CALLS = 100_000;

const IssueSchema = z.object({
  scopes: z.array(z.string()),
  ttlSeconds: z.number().int().min(1).optional(),
});

/** True for 127.0.0.0/8 and ::1 peers (including IPv4-mapped addresses). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  let body: string;
  let type: string;
  if (reply.html !== undefined) {
    body = reply.html;
    type = 'text/html; charset=utf-8';
  } else if (reply.raw !== undefined) {
    body = reply.raw.body;
    type = reply.raw.contentType;
  } else {
    body = reply.json === undefined ? '' : JSON.stringify(reply.json);
    type = 'application/json';
  }
  res.writeHead(reply.status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}

const AVATAR = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="32" fill="#2f6bff"/><text x="32" y="41" font-family="system-ui,sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="middle">DU</text></svg>`;

/**
 * Starts an Exist-compatible server for tests and demos. Resolves once it listens;
 * throws (with a clear message) on bad options or an unreadable data file.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const config = resolveOptions(options);
  const core = new SandboxCore(config);
  const faults = new FaultQueue();
  const late = new LateQueue();
  const changes = new ChangeLog();
  const throttle = new Throttle({
    limit: config.rateLimit,
    windowMs: config.rateWindowSeconds * 1000,
    window: config.rateWindow,
    retryAfter: config.rateLimitRetryAfter,
  });
  const calls: SandboxCall[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';

  const failNext = (count: number, fault: SandboxFault, opts?: { pathPrefix?: string }): void =>
    faults.add(count, fault, opts);
  const runLateApplies = (): number => late.runDue(core.now());

  const log = (call: SandboxCall): void => {
    calls.push(call);
    if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
  };

  const snapshot = (): SandboxStateSnapshot => {
    runLateApplies();
    return state();
  };
  const state = (): SandboxStateSnapshot => ({
    user: { ...core.user },
    attributes: core.sortedAttributes().map((a) => ({
      name: a.name,
      label: a.label,
      group: a.group,
      value_type: a.value_type,
      template: a.template,
      manual: a.manual,
      owner: a.owner,
      active: a.active,
      priority: a.priority,
      values: { ...a.values },
    })),
    calls: calls.map((c) => ({ ...c })),
    changes: changes.changes.map((c) => ({ ...c })),
  });

  const issueToken: Sandbox['issueToken'] = (scopes, opts) => {
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (unknown.length > 0) throw new Error(`issueToken: unknown scope(s) ${unknown.join(', ')}`);
    const ttl = opts?.ttlSeconds ?? config.tokenTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`issueToken: ttlSeconds must be a positive integer`);
    const t = core.issue(config.clientId, [...new Set(scopes)], ttl);
    core.persist();
    const a = core.tokenAnswer(t);
    return { access_token: a.access_token, refresh_token: a.refresh_token, expires_in: a.expires_in, scope: a.scope };
  };

  const admin: Sandbox['admin'] = {
    failNext,
    clearFaults: () => faults.clear(),
    expireAllTokens: () => {
      core.expireAll();
      core.persist();
    },
    revokeAllTokens: () => {
      core.revokeAll();
      core.persist();
    },
    getState: snapshot,
    countedCalls: (accessToken) => {
      const family = core.familyOf(accessToken);
      if (family === undefined) return { window: 0, total: 0 };
      return { window: throttle.counted(family, core.now()), total: throttle.total(family) };
    },
    tokenFamily: (accessToken) => core.familyOf(accessToken),
    runLateApplies,
  };

  /** API v2, first half: route (404) → auth (401) → rate limit (429, counts the call). */
  const admitApi = (req: IncomingMessage, url: URL, count: boolean): Admitted | Reply => {
    const route = url.pathname.slice('/api/2/'.length).replace(/\/+$/, '');
    const def = url.pathname.startsWith('/api/2/') ? API_ROUTES[route] : undefined;
    if (def === undefined) return detail(404, 'Not found.');
    const auth = req.headers.authorization;
    const m = auth === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m === null || m[1] === undefined) {
      return detail(401, 'Authentication credentials were not provided.', { 'WWW-Authenticate': 'Bearer realm="api"' });
    }
    const check = core.checkAccess(m[1]);
    if (!check.ok)
      return detail(401, check.detail, { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' });
    if (count) {
      const refused = throttle.admit(check.token.family, core.now());
      if (refused) return refused;
    }
    return { def, token: check.token };
  };

  /** API v2, second half: method (405) → body (415/400) → handler. */
  const runApi = (a: Admitted, req: IncomingMessage, url: URL, rawBody: string): Reply => {
    const { def, token } = a;
    if (req.method !== def.method) {
      return detail(405, `Method "${req.method ?? ''}" not allowed.`, { Allow: def.method });
    }
    let body: unknown;
    if (def.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (config.requireJsonContentType && type !== 'application/json') {
        return detail(415, `Unsupported media type "${type}" in request.`);
      }
      try {
        body = JSON.parse(rawBody);
      } catch (e) {
        return detail(400, `JSON parse error - ${(e as Error).message}`);
      }
    }
    const host = req.headers.host ?? baseUrl.replace(/^http:\/\//, '');
    try {
      return def.handler({
        core,
        token,
        query: url.searchParams,
        body,
        baseUrl,
        selfUrl: (q) => {
          const s = q.toString();
          return `http://${host}${url.pathname}${s === '' ? '' : `?${s}`}`;
        },
      });
    } catch (e) {
      if (e instanceof HttpProblem) return detail(e.status, e.detail);
      throw e;
    }
  };

  /** Runs an admitted call, noting every value it changed (and persisting, for writes). */
  const applyApi = (
    a: Admitted,
    req: IncomingMessage,
    url: URL,
    body: string,
    when: { arrivedAt: number; late: boolean; at?: number },
  ): Reply => {
    const before = req.method === 'POST' ? ChangeLog.valuesOf(core.attributes.values()) : null;
    let reply: Reply;
    try {
      reply = runApi(a, req, url, body);
    } catch (e) {
      reply = detail(500, `Sandbox error: ${(e as Error).message}`);
    }
    if (before) {
      const { at = core.now(), arrivedAt, late: isLate } = when;
      changes.note(before, core.attributes.values(), { family: a.token.family, at, arrivedAt, late: isLate });
      try {
        core.persist();
      } catch (e) {
        reply = detail(500, `Sandbox could not save its data file: ${(e as Error).message}`);
      }
    }
    return reply;
  };

  const route = (req: IncomingMessage, url: URL, body: string): Reply => {
    const p = url.pathname;
    if (p.startsWith('/api/')) {
      const a = admitApi(req, url, true);
      return 'def' in a ? applyApi(a, req, url, body, { arrivedAt: core.now(), late: false }) : a;
    }
    if (p === '/oauth2/authorize' || p === '/oauth2/authorize/') {
      if (req.method === 'GET') return authorizeGet(core, url.searchParams);
      if (req.method === 'POST') return authorizePost(core, req.headers, body);
      return detail(405, `Method "${req.method ?? ''}" not allowed.`, { Allow: 'GET, POST' });
    }
    if (p === '/oauth2/access_token' || p === '/oauth2/access_token/') {
      if (req.method !== 'POST') return detail(405, `Method "${req.method ?? ''}" not allowed.`, { Allow: 'POST' });
      return tokenPost(core, req.headers, body);
    }
    if (p === '/static/avatar.svg') return { status: 200, raw: { contentType: 'image/svg+xml', body: AVATAR } };
    if (p === '/' && req.method === 'GET') {
      return {
        status: 200,
        raw: {
          contentType: 'text/plain; charset=utf-8',
          body: `Exist sandbox\nAPI: ${baseUrl}/api/2/\nOAuth2: ${baseUrl}/oauth2/authorize\nClient ID: ${config.clientId}\n`,
        },
      };
    }
    return detail(404, 'Not found.');
  };

  const adminHttp = (req: IncomingMessage, url: URL, body: string): Reply => {
    if (!isLoopback(req.socket.remoteAddress)) return detail(403, 'The sandbox admin API answers loopback peers only.');
    const p = url.pathname.replace(/\/+$/, '');
    const json = (): unknown => {
      try {
        return body === '' ? {} : JSON.parse(body);
      } catch {
        throw new HttpProblem(400, 'Body is not valid JSON.');
      }
    };
    try {
      if (p === '/__sandbox/faults' && req.method === 'POST') {
        const parsed = FailNextSchema.safeParse(json());
        if (!parsed.success)
          return detail(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const opts = parsed.data.pathPrefix === undefined ? undefined : { pathPrefix: parsed.data.pathPrefix };
        failNext(parsed.data.count, parsed.data.fault as SandboxFault, opts);
        return { status: 200, json: { ok: true, pending: faults.size } };
      }
      if (p === '/__sandbox/faults' && req.method === 'DELETE') {
        admin.clearFaults();
        return { status: 200, json: { ok: true } };
      }
      if (p === '/__sandbox/expire-tokens' && req.method === 'POST') {
        admin.expireAllTokens();
        return { status: 200, json: { ok: true } };
      }
      if (p === '/__sandbox/state' && req.method === 'GET') return { status: 200, json: snapshot() };
      if (p === '/__sandbox/tokens' && req.method === 'POST') {
        const parsed = IssueSchema.safeParse(json());
        if (!parsed.success)
          return detail(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        try {
          const o = parsed.data.ttlSeconds === undefined ? undefined : { ttlSeconds: parsed.data.ttlSeconds };
          return { status: 200, json: issueToken(parsed.data.scopes, o) };
        } catch (e) {
          return detail(400, (e as Error).message);
        }
      }
      return detail(404, 'Unknown sandbox admin endpoint.');
    } catch (e) {
      if (e instanceof HttpProblem) return detail(e.status, e.detail);
      throw e;
    }
  };

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

  /** Faults that decide the outcome without running the call. */
  const answerFault = (req: IncomingMessage, res: ServerResponse, fault: SandboxFault, base: SandboxCall): void => {
    switch (fault.kind) {
      case 'drop-before':
        log({ ...base, fault: fault.kind });
        req.socket.destroy();
        return;
      case 'hang':
        log({ ...base, fault: fault.kind });
        return; // the socket stays open until the client gives up or close() runs
      case 'status': {
        log({ ...base, status: fault.status, fault: fault.kind });
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
        send(res, {
          status: fault.status,
          headers,
          json: fault.body ?? { detail: `Injected fault: HTTP ${fault.status}` },
        });
        return;
      }
      case 'drop-after':
      case 'late-apply':
      case 'reshape':
        return;
    }
  };

  /**
   * An API call: 404 → 401 → the rate limit → (fault) → the handler. Every authenticated
   * call the throttle admits is counted, whatever a fault then does to it — except an
   * injected 401 or 429, which stand for the server refusing before it counts.
   */
  const handleApi = (req: IncomingMessage, res: ServerResponse, url: URL, body: string, base: SandboxCall): void => {
    const fault = faults.take(url.pathname);
    const refusesFirst = fault?.kind === 'status' && (fault.status === 401 || fault.status === 429);
    const a = admitApi(req, url, !refusesFirst);
    if (!('def' in a)) {
      if (fault === undefined) {
        log({ ...base, status: a.status });
        send(res, a);
      } else if (fault.kind === 'drop-after' || fault.kind === 'late-apply') {
        log({ ...base, status: a.status, fault: fault.kind });
        req.socket.destroy();
      } else if (fault.kind === 'reshape') {
        log({ ...base, status: a.status });
        send(res, a);
      } else answerFault(req, res, fault, base);
      return;
    }
    const who = { family: a.token.family, counted: !refusesFirst };
    if (fault?.kind === 'status' || fault?.kind === 'hang' || fault?.kind === 'drop-before') {
      answerFault(req, res, fault, { ...base, ...who });
      return;
    }
    if (fault?.kind === 'late-apply') {
      const arrivedAt = core.now();
      const at = arrivedAt + fault.delayMs;
      late.schedule(at, () => void applyApi(a, req, url, body, { arrivedAt, late: true, at }));
      log({ ...base, ...who, fault: fault.kind });
      if ((fault.answer ?? 'drop') === 'drop') req.socket.destroy();
      return;
    }
    const applied = applyApi(a, req, url, body, { arrivedAt: core.now(), late: false });
    const reply = fault?.kind === 'reshape' ? reshapeReply(applied, fault) : applied;
    log({ ...base, ...who, status: reply.status, ...(fault ? { fault: fault.kind } : {}) });
    if (fault?.kind === 'drop-after') req.socket.destroy();
    else send(res, reply);
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
  baseUrl = `http://${hostForUrl}:${port}`;

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
