/**
 * The sandbox's state and the operations shared by the OAuth2 and API handlers:
 * the demo user, attributes, tokens, codes, and the JSON answer helpers.
 */
import { randomBytes } from 'node:crypto';
import { ALL_SCOPES } from '../shared/domain';
import { demoUser, loadState, OTHER_SERVICES, saveState, seedAttributes } from './state';
import { groupInfo, loadTemplates, type SandboxTemplate } from './templates';
import type { AttributeRecord, PersistedState, SandboxOptions, SandboxUser, TokenRecord } from './types';
import { assertTimezone, dateInZone, slugify } from './values';

/** An HTTP answer produced by a handler; the server writes it (or drops it, for faults). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON body. */
  json?: unknown;
  /** HTML body (consent and error pages). */
  html?: string;
  /** Plain body with its own content type. */
  raw?: { contentType: string; body: string };
}

/** Options with every default applied. */
export interface SandboxConfig {
  port: number;
  host: string;
  clientId: string;
  clientSecret: string;
  clientName: string;
  redirectUri: string;
  autoApprove: boolean;
  tokenTtlSeconds: number;
  codeTtlSeconds: number;
  rateLimit: number;
  rateWindowSeconds: number;
  rateWindow: 'first-call' | 'clock-hour';
  rateLimitRetryAfter: boolean;
  timezone: string;
  dataFile: string | undefined;
  now: () => number;
  seed: boolean;
  templatesFile: string | undefined;
  requireJsonContentType: boolean;
}

const positiveInt = (v: number | undefined, name: string, dflt: number, min = 1): number => {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min)
    throw new Error(`Sandbox option ${name} must be an integer >= ${min} (got ${v})`);
  return v;
};

/** True for an absolute http: or https: URL. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Applies defaults and rejects impossible options with a clear message. */
export function resolveOptions(o: SandboxOptions = {}): SandboxConfig {
  const timezone = o.timezone ?? 'Pacific/Kiritimati';
  assertTimezone(timezone);
  const redirectUri = o.redirectUri ?? 'http://localhost:8000/';
  if (!isHttpUrl(redirectUri)) {
    throw new Error(`Sandbox option redirectUri must be an absolute http(s) URL (got '${redirectUri}')`);
  }
  const clientId = o.clientId ?? 'sandbox-client';
  const clientSecret = o.clientSecret ?? 'sandbox-secret';
  if (clientId === '' || clientSecret === '') throw new Error('Sandbox client id and secret must not be empty');
  return {
    port: positiveInt(o.port, 'port', 0, 0),
    host: o.host ?? '127.0.0.1',
    clientId,
    clientSecret,
    clientName: o.clientName ?? 'Exist Tray (sandbox)',
    redirectUri,
    autoApprove: o.autoApprove ?? false,
    tokenTtlSeconds: positiveInt(o.tokenTtlSeconds, 'tokenTtlSeconds', 31_535_999),
    codeTtlSeconds: positiveInt(o.codeTtlSeconds, 'codeTtlSeconds', 300),
    rateLimit: positiveInt(o.rateLimit, 'rateLimit', 300),
    rateWindowSeconds: positiveInt(o.rateWindowSeconds, 'rateWindowSeconds', 3600),
    rateWindow: o.rateWindow ?? 'first-call',
    rateLimitRetryAfter: o.rateLimitRetryAfter ?? true,
    timezone,
    dataFile: o.dataFile,
    now: o.now ?? Date.now,
    seed: o.seed ?? true,
    templatesFile: o.templatesFile,
    requireJsonContentType: o.requireJsonContentType ?? true,
  };
}

/** A pending authorisation code. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
  /** Token family issued from this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
  family?: string;
}

/** A consent page shown but not yet answered. */
export interface ConsentRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  expiresAt: number;
}

export type TokenCheck = { ok: true; token: TokenRecord } | { ok: false; detail: string };

const token40 = (): string => randomBytes(20).toString('hex');

/** All mutable sandbox state; one instance per running sandbox (no module-level state). */
export class SandboxCore {
  readonly templates: SandboxTemplate[];
  readonly templatesByName: Map<string, SandboxTemplate>;
  user: SandboxUser;
  readonly attributes = new Map<string, AttributeRecord>();
  private readonly byAccess = new Map<string, TokenRecord>();
  private readonly byRefresh = new Map<string, TokenRecord>();
  readonly codes = new Map<string, CodeRecord>();
  readonly consents = new Map<string, ConsentRecord>();
  readonly personalToken: string;

  constructor(readonly config: SandboxConfig) {
    this.templates = loadTemplates(config.templatesFile);
    this.templatesByName = new Map(this.templates.map((t) => [t.name, t]));
    const stored = config.dataFile === undefined ? undefined : loadState(config.dataFile);
    if (stored !== undefined) {
      this.user = { ...stored.user, timezone: config.timezone };
      for (const a of stored.attributes) this.attributes.set(a.name, a);
      for (const t of stored.tokens) this.addToken(t);
    } else {
      this.user = demoUser(config.timezone);
      if (config.seed) for (const a of seedAttributes(this.templates, this.today())) this.attributes.set(a.name, a);
    }
    const existing = [...this.byAccess.values()].find(
      (t) => t.personal === true && !t.revoked && t.clientId === config.clientId && t.expiresAt > config.now(),
    );
    this.personalToken =
      existing?.access ?? this.issue(config.clientId, [...ALL_SCOPES], config.tokenTtlSeconds, undefined, true).access;
    this.persist();
  }

  now(): number {
    return this.config.now();
  }

  /** The user's current date in their Exist timezone. */
  today(): string {
    return dateInZone(this.now(), this.user.timezone);
  }

  private addToken(t: TokenRecord): void {
    this.byAccess.set(t.access, t);
    this.byRefresh.set(t.refresh, t);
  }

  /** Mints a token pair; `family` carries over from a refreshed pair. */
  issue(clientId: string, scopes: string[], ttlSeconds: number, family?: string, personal?: boolean): TokenRecord {
    const now = this.now();
    const t: TokenRecord = {
      access: token40(),
      refresh: token40(),
      clientId,
      scopes,
      issuedAt: now,
      expiresAt: now + ttlSeconds * 1000,
      family: family ?? token40(),
      revoked: false,
      ...(personal === true ? { personal: true } : {}),
    };
    this.addToken(t);
    return t;
  }

  /** The OAuth2 token answer for a pair, `expires_in` computed from `now()`. */
  tokenAnswer(t: TokenRecord): {
    access_token: string;
    token_type: 'Bearer';
    expires_in: number;
    refresh_token: string;
    scope: string;
  } {
    return {
      access_token: t.access,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.round((t.expiresAt - this.now()) / 1000)),
      refresh_token: t.refresh,
      scope: t.scopes.join(' '),
    };
  }

  /** Validates a bearer token: unknown, revoked and expired tokens each get their own message. */
  checkAccess(access: string): TokenCheck {
    const t = this.byAccess.get(access);
    if (t === undefined) return { ok: false, detail: 'Invalid token.' };
    if (t.revoked) return { ok: false, detail: 'Token has been revoked.' };
    if (this.now() >= t.expiresAt) return { ok: false, detail: 'Token has expired.' };
    return { ok: true, token: t };
  }

  /** The family of an access token, valid or not (undefined when unknown). */
  familyOf(access: string): string | undefined {
    return this.byAccess.get(access)?.family;
  }

  findRefresh(refresh: string): TokenRecord | undefined {
    return this.byRefresh.get(refresh);
  }

  /** Revokes every pair of a family (code replay). */
  /** Every OAuth token (not the developer's personal one) revoked: the user removed the app at Exist. */
  revokeAll(): void {
    for (const t of this.byAccess.values()) if (!t.personal) t.revoked = true;
  }

  revokeFamily(family: string): void {
    for (const t of this.byAccess.values()) if (t.family === family) t.revoked = true;
  }

  /** Every access token expires now; refresh tokens keep working. */
  expireAll(): void {
    const now = this.now();
    for (const t of this.byAccess.values()) if (t.expiresAt > now) t.expiresAt = now;
  }

  /** The `service` object of an owner: this sandbox's client, or a seeded other service. */
  serviceFor(owner: string | null): { name: string; label: string } | null {
    if (owner === null) return null;
    if (owner === this.config.clientId)
      return { name: slugify(this.config.clientName) || owner, label: this.config.clientName };
    return { name: owner, label: OTHER_SERVICES[owner] ?? owner };
  }

  /** An attribute as the API shows it; `values` only when given. */
  attributeObject(
    a: AttributeRecord,
    values?: Array<{ date: string; value: number | string | null }>,
  ): Record<string, unknown> {
    const service = this.serviceFor(a.owner);
    return {
      template: a.template,
      name: a.name,
      label: a.label,
      group: groupInfo(a.group),
      service,
      active: a.active,
      priority: a.priority,
      manual: a.manual,
      value_type: a.value_type,
      value_type_description: a.value_type_description,
      available_services: service === null ? [] : [service],
      ...(values === undefined ? {} : { values }),
    };
  }

  /** Attributes sorted as Exist displays them: group priority, then attribute priority, then name. */
  sortedAttributes(): AttributeRecord[] {
    return [...this.attributes.values()].sort(
      (x, y) =>
        groupInfo(x.group).priority - groupInfo(y.group).priority ||
        x.priority - y.priority ||
        x.name.localeCompare(y.name),
    );
  }

  /** Next free priority inside a group, for new attributes. */
  nextPriority(group: string): number {
    let max = 0;
    for (const a of this.attributes.values()) if (a.group === group) max = Math.max(max, a.priority);
    return max + 1;
  }

  toPersisted(): PersistedState {
    return {
      version: 1,
      user: { ...this.user },
      attributes: [...this.attributes.values()].map((a) => ({ ...a, values: { ...a.values } })),
      tokens: [...this.byAccess.values()].map((t) => ({ ...t, scopes: [...t.scopes] })),
    };
  }

  /** Saves to `dataFile` when configured; called after every change. */
  persist(): void {
    if (this.config.dataFile !== undefined) saveState(this.config.dataFile, this.toPersisted());
  }

  /** Short random id for codes and consent forms. */
  static randomId(bytes = 24): string {
    return randomBytes(bytes).toString('base64url');
  }
}
