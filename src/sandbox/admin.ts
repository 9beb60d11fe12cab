/**
 * The sandbox's admin surface: the in-process `Sandbox.admin` object tests drive (faults,
 * token expiry and revocation, state snapshots, counted calls, late applies), `issueToken`,
 * and the same operations over HTTP under `/__sandbox/` — loopback peers only.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ALL_SCOPES } from '../shared/domain';
import { detail, HttpProblem } from './api';
import type { SandboxContext } from './context';
import type { Reply } from './core';
import { FailNextSchema } from './faults';
import { isLoopback } from './http';
import { giveToService, GiveToServiceSchema } from './ownership';
import type { Sandbox, SandboxFault, SandboxStateSnapshot } from './types';

const IssueSchema = z.object({
  scopes: z.array(z.string()),
  ttlSeconds: z.number().int().min(1).optional(),
});

export interface SandboxAdmin {
  admin: Sandbox['admin'];
  issueToken: Sandbox['issueToken'];
  /** Runs the due late applies, then copies the state. */
  snapshot(): SandboxStateSnapshot;
  /** The `/__sandbox/…` HTTP endpoints. */
  adminHttp(req: IncomingMessage, url: URL, body: string): Reply;
}

export function createAdmin(ctx: SandboxContext): SandboxAdmin {
  const { config, core, faults, changes, throttle, calls, runLateApplies } = ctx;
  const failNext = (count: number, fault: SandboxFault, opts?: { pathPrefix?: string }): void =>
    faults.add(count, fault, opts);

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
    giveToService: (name, service) => giveToService(core, name, service),
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
      if (p === '/__sandbox/give-to-service' && req.method === 'POST') {
        const g = GiveToServiceSchema.safeParse(json());
        if (!g.success) return detail(400, g.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        if (!core.attributes.has(g.data.name)) return detail(404, `No attribute '${g.data.name}'.`);
        giveToService(core, g.data.name, g.data.service);
        return { status: 200, json: { ok: true } };
      }
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

  return { admin, issueToken, snapshot, adminHttp };
}
