/**
 * The sandbox's API v2 calls, in Exist's order: route (404) → bearer auth (401) → the rate
 * limit (429, counts the call) → an injected fault, if any → method (405) → body (415/400) →
 * the handler (./api). A write's changed values go to the change log and the data file; a
 * `late-apply` fault runs the call later (./faults). Every authenticated call the throttle
 * admits is counted, whatever a fault then does to it, except an injected 401 or 429.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_ROUTES, detail, HttpProblem } from './api';
import type { SandboxContext } from './context';
import type { Reply } from './core';
import { ChangeLog, reshapeReply } from './faults';
import { send } from './http';
import type { SandboxCall, SandboxFault, TokenRecord } from './types';

type ApiDef = (typeof API_ROUTES)[string];
/** An authenticated, admitted API request, ready to run now or later. */
export interface Admitted {
  def: ApiDef;
  token: TokenRecord;
}

export interface ApiCalls {
  /** Route, auth and rate limit; `count: false` admits without counting. */
  admitApi(req: IncomingMessage, url: URL, count: boolean): Admitted | Reply;
  /** Runs an admitted call, noting every value it changed (and persisting, for writes). */
  applyApi(
    a: Admitted,
    req: IncomingMessage,
    url: URL,
    body: string,
    when: { arrivedAt: number; late: boolean; at?: number },
  ): Reply;
  /** Faults that decide the outcome without running the call. */
  answerFault(req: IncomingMessage, res: ServerResponse, fault: SandboxFault, base: SandboxCall): void;
  /** A whole API call, answered on `res` (see the module comment). */
  handleApi(req: IncomingMessage, res: ServerResponse, url: URL, body: string, base: SandboxCall): void;
}

export function createApiCalls(ctx: SandboxContext): ApiCalls {
  const { config, core, faults, late, changes, throttle, log } = ctx;

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
    const host = req.headers.host ?? ctx.baseUrl.replace(/^http:\/\//, '');
    try {
      return def.handler({
        core,
        token,
        query: url.searchParams,
        body,
        baseUrl: ctx.baseUrl,
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

  return { admitApi, applyApi, answerFault, handleApi };
}
