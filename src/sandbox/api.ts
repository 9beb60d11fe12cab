/**
 * Exist API v2 endpoints of the sandbox: profile, templates, attribute lists, values,
 * and the five write endpoints with Exist's per-item `success` / `failed` answers.
 * Errors that are not per-item follow Django REST Framework: `{"detail": "..."}`.
 */
import { MAX_OBJECTS_PER_CALL } from '../shared/domain';
import { isTextType, valueTypeSpecOf } from '../core/values/registry';
import type { Reply, SandboxCore } from './core';
import { groupInfo, isGroup } from './templates';
import type { AttributeRecord, TokenRecord } from './types';
import {
  addDays,
  checkValue,
  daysBetween,
  isIsoDate,
  localTimeInZone,
  slugify,
  VALUE_TYPE_DESCRIPTIONS,
} from './values';

/** A whole-call failure carried to the dispatcher (400, 403, 404). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** What an API handler receives. */
export interface ApiContext {
  core: SandboxCore;
  token: TokenRecord;
  query: URLSearchParams;
  /** Parsed JSON body (write endpoints). */
  body: unknown;
  /** Absolute URL of this endpoint with the given query (DRF-style `next`/`previous`). */
  selfUrl: (q: URLSearchParams) => string;
  /** Base URL of the sandbox, for the avatar. */
  baseUrl: string;
}

export type ApiHandler = (ctx: ApiContext) => Reply;

export const detail = (status: number, text: string, headers?: Record<string, string>): Reply => ({
  status,
  json: { detail: text },
  ...(headers === undefined ? {} : { headers }),
});

// ---------- query parsing ----------

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** Most days `with-values` returns. */
export const MAX_DAYS = 31;

function csv(q: URLSearchParams, key: string): string[] | undefined {
  const all = q.getAll(key);
  if (all.length === 0) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function bool(q: URLSearchParams, key: string): boolean | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const l = v.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(l)) return true;
  if (['false', '0', 'no', 'off'].includes(l)) return false;
  throw new HttpProblem(400, `Invalid value for '${key}': use true or false`);
}

function dateParam(q: URLSearchParams, key: string, dflt: string): string {
  const v = q.get(key);
  if (v === null || v === '') return dflt;
  if (!isIsoDate(v)) throw new HttpProblem(400, `Invalid '${key}': use a date written YYYY-MM-DD`);
  return v;
}

/** DRF page-number pagination with a `limit` page-size parameter (clamped to 100; invalid → default). */
function paginate<T>(ctx: ApiContext, items: T[] | { count: number; slice: (from: number, to: number) => T[] }): Reply {
  const rawLimit = ctx.query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null && /^\d+$/.test(rawLimit) && Number(rawLimit) > 0)
    limit = Math.min(Number(rawLimit), MAX_LIMIT);
  const rawPage = ctx.query.get('page');
  let page = 1;
  if (rawPage !== null && rawPage !== 'last') {
    if (!/^\d+$/.test(rawPage) || Number(rawPage) < 1) throw new HttpProblem(404, 'Invalid page.');
    page = Number(rawPage);
  }
  const count = Array.isArray(items) ? items.length : items.count;
  const pages = Math.max(1, Math.ceil(count / limit));
  if (rawPage === 'last') page = pages;
  if (page > pages) throw new HttpProblem(404, 'Invalid page.');
  const from = (page - 1) * limit;
  const results = Array.isArray(items)
    ? items.slice(from, from + limit)
    : items.slice(from, Math.min(count, from + limit));
  const link = (p: number): string => {
    const q = new URLSearchParams(ctx.query);
    if (p === 1) q.delete('page');
    else q.set('page', String(p));
    return ctx.selfUrl(q);
  };
  return {
    status: 200,
    json: { count, next: page < pages ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results },
  };
}

// ---------- scopes ----------

const has = (t: TokenRecord, scope: string): boolean => t.scopes.includes(scope);

/** Reading needs `<group>_read`, or `manual_read` for a manual attribute. */
export const canRead = (t: TokenRecord, a: AttributeRecord): boolean =>
  has(t, `${a.group}_read`) || (a.manual && has(t, 'manual_read'));

/** Owning and writing need `<group>_write`, or `manual_write` for a manual attribute. */
const canWrite = (t: TokenRecord, group: string, manual: boolean): boolean =>
  has(t, `${group}_write`) || (manual && has(t, 'manual_write'));

const scopeError = (group: string, name: string): string =>
  `This token has no ${group}_write scope (or manual_write for a manual attribute), needed for attribute '${name}'`;

// ---------- reading ----------

function filtered(ctx: ApiContext, list: AttributeRecord[], withTemplates = false): AttributeRecord[] {
  const q = ctx.query;
  const groups = csv(q, 'groups');
  const names = csv(q, 'attributes');
  const templates = withTemplates ? csv(q, 'templates') : undefined;
  const manual = bool(q, 'manual');
  const excludeCustom = bool(q, 'exclude_custom') ?? false;
  const includeInactive = bool(q, 'include_inactive') ?? false;
  bool(q, 'include_low_priority'); // accepted; no sandbox attribute is low priority
  return list.filter(
    (a) =>
      (groups === undefined || groups.includes(a.group)) &&
      (names === undefined || names.includes(a.name)) &&
      (templates === undefined || (a.template !== null && templates.includes(a.template))) &&
      (manual === undefined || a.manual === manual) &&
      (!excludeCustom || a.template !== null) &&
      (includeInactive || a.active),
  );
}

/** Values for the `days` days ending `dateMax`, newest first, `null` where there is no data. */
function valueWindow(
  a: AttributeRecord,
  dateMax: string,
  days: number,
): Array<{ date: string; value: number | string | null }> {
  const out: Array<{ date: string; value: number | string | null }> = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(dateMax, -i);
    out.push({ date, value: a.values[date] ?? null });
  }
  return out;
}

const profile: ApiHandler = ({ core, baseUrl }) => {
  const u = core.user;
  return {
    status: 200,
    json: {
      username: u.username,
      first_name: u.first_name,
      last_name: u.last_name,
      avatar: `${baseUrl}/static/avatar.svg`,
      timezone: u.timezone,
      local_time: localTimeInZone(core.now(), u.timezone),
      imperial_distance: u.imperial_distance,
      imperial_weight: u.imperial_weight,
      imperial_energy: u.imperial_energy,
      imperial_liquid: u.imperial_liquid,
      imperial_temperature: u.imperial_temperature,
      trial: u.trial,
      delinquent: u.delinquent,
    },
  };
};

const templates: ApiHandler = (ctx) => {
  const groups = csv(ctx.query, 'groups');
  bool(ctx.query, 'include_low_priority');
  const list = ctx.core.templates
    .filter((t) => groups === undefined || groups.includes(t.group))
    .sort((x, y) => groupInfo(x.group).priority - groupInfo(y.group).priority || x.priority - y.priority)
    .map((t) => ({
      name: t.name,
      label: t.label,
      group: groupInfo(t.group),
      priority: t.priority,
      value_type: t.value_type,
      value_type_description: t.value_type_description,
    }));
  return paginate(ctx, list);
};

const attributes: ApiHandler = (ctx) => {
  const owned = bool(ctx.query, 'owned') ?? false;
  const list = filtered(ctx, ctx.core.sortedAttributes()).filter(
    (a) => canRead(ctx.token, a) && (!owned || a.owner === ctx.token.clientId),
  );
  return paginate(
    ctx,
    list.map((a) => ctx.core.attributeObject(a)),
  );
};

const owned: ApiHandler = (ctx) => {
  const list = filtered(ctx, ctx.core.sortedAttributes()).filter((a) => a.owner === ctx.token.clientId);
  return paginate(
    ctx,
    list.map((a) => ctx.core.attributeObject(a)),
  );
};

const withValues: ApiHandler = (ctx) => {
  const rawDays = ctx.query.get('days');
  let days = 1;
  if (rawDays !== null && rawDays !== '') {
    if (!/^\d+$/.test(rawDays) || Number(rawDays) < 1 || Number(rawDays) > MAX_DAYS) {
      throw new HttpProblem(400, `Invalid 'days': use a whole number from 1 to ${MAX_DAYS}`);
    }
    days = Number(rawDays);
  }
  const dateMax = dateParam(ctx.query, 'date_max', ctx.core.today());
  const list = filtered(ctx, ctx.core.sortedAttributes(), true).filter((a) => canRead(ctx.token, a));
  return paginate(
    ctx,
    list.map((a) => ctx.core.attributeObject(a, valueWindow(a, dateMax, days))),
  );
};

const values: ApiHandler = (ctx) => {
  const name = ctx.query.get('attribute');
  if (name === null || name === '') throw new HttpProblem(400, "Missing required parameter 'attribute'");
  const a = ctx.core.attributes.get(name);
  if (a === undefined) throw new HttpProblem(404, `Attribute '${name}' not found.`);
  if (!canRead(ctx.token, a)) {
    throw new HttpProblem(403, `This token cannot read attribute '${name}': it needs the ${a.group}_read scope.`);
  }
  const dateMax = dateParam(ctx.query, 'date_max', ctx.core.today());
  let earliest = a.created;
  for (const d of Object.keys(a.values)) if (d < earliest) earliest = d;
  const count = Math.max(0, daysBetween(earliest, dateMax) + 1);
  return paginate(ctx, {
    count,
    slice: (from: number, to: number) => {
      const out: Array<{ date: string; value: number | string | null }> = [];
      for (let i = from; i < to; i++) {
        const date = addDays(dateMax, -i);
        out.push({ date, value: a.values[date] ?? null });
      }
      return out;
    },
  });
};

// ---------- averages ----------

/** How many days before today the sandbox's averages look back (Exist: "medians of the last 60 days"). */
export const AVERAGE_DAYS = 60;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Medians per weekday and overall of the stored values of the 60 days before `today`. */
function averageOf(a: AttributeRecord, today: string): Record<string, unknown> {
  const byDay: number[][] = WEEKDAYS.map(() => []);
  const all: number[] = [];
  for (let i = 1; i <= AVERAGE_DAYS; i++) {
    const date = addDays(today, -i);
    const v = a.values[date];
    if (typeof v !== 'number') continue;
    byDay[new Date(`${date}T12:00:00Z`).getUTCDay()]?.push(v);
    all.push(v);
  }
  const out: Record<string, unknown> = { attribute: a.name, date: today, overall: median(all) };
  WEEKDAYS.forEach((d, i) => (out[d] = median(byDay[i] ?? [])));
  return out;
}

/** `GET /api/2/averages/`: the current averages of every readable numeric attribute (one per attribute). */
const averages: ApiHandler = (ctx) => {
  dateParam(ctx.query, 'date_min', ctx.core.today());
  dateParam(ctx.query, 'date_max', ctx.core.today());
  bool(ctx.query, 'include_historical'); // accepted; the sandbox keeps no history of averages
  const today = ctx.core.today();
  const list = filtered(ctx, ctx.core.sortedAttributes()).filter(
    (a) => canRead(ctx.token, a) && !isTextType(a.value_type),
  );
  return paginate(
    ctx,
    list.map((a) => averageOf(a, today)),
  );
};

// ---------- writing ----------

type Item = Record<string, unknown>;
interface ItemResult {
  ok: boolean;
  out: Record<string, unknown>;
}
const failed = (item: Item, code: string, error: string): ItemResult => ({
  ok: false,
  out: { ...item, error_code: code, error },
});
const succeeded = (out: Record<string, unknown>): ItemResult => ({ ok: true, out });

const wantsObjects = (q: URLSearchParams): boolean =>
  ['1', 'true', 'yes'].includes((q.get('success_objects') ?? '').toLowerCase());

const present = (item: Item, key: string): boolean => item[key] !== undefined && item[key] !== null && item[key] !== '';

function manualFlag(item: Item): boolean | undefined | 'bad' {
  const m = item['manual'];
  if (m === undefined || m === null) return undefined;
  return typeof m === 'boolean' ? m : 'bad';
}

/** Common owner check for update / increment / release. */
function ownedAttribute(ctx: ApiContext, item: Item, name: string): AttributeRecord | ItemResult {
  const a = ctx.core.attributes.get(name);
  if (a === undefined) return failed(item, 'not_found', `Attribute '${name}' not found`);
  if (!canWrite(ctx.token, a.group, a.manual)) return failed(item, 'unauthorised', scopeError(a.group, name));
  if (a.owner !== ctx.token.clientId) {
    return failed(item, 'unauthorised', `Attribute '${name}' does not belong to this service`);
  }
  return a;
}

const isResult = <T extends object>(x: T | ItemResult): x is ItemResult => 'ok' in x && 'out' in x;

function acquireOne(ctx: ApiContext, item: Item): ItemResult {
  const { core, token } = ctx;
  const hasTemplate = present(item, 'template');
  const hasName = present(item, 'name');
  if (!hasTemplate && !hasName) return failed(item, 'missing_field', "Each object needs a 'template' or a 'name'");
  if (hasTemplate && hasName) return failed(item, 'validation', "Send either 'template' or 'name', not both");
  const manual = manualFlag(item);
  if (manual === 'bad') return failed(item, 'validation', "'manual' must be true or false");
  let a: AttributeRecord | undefined;
  if (hasTemplate) {
    const tname = item['template'];
    if (typeof tname !== 'string') return failed(item, 'validation', "'template' must be a string");
    const t = core.templatesByName.get(tname);
    if (t === undefined) return failed(item, 'not_found', `No template named '${tname}'`);
    a = core.attributes.get(tname);
    if (a !== undefined && a.template !== tname) {
      // The user already has an attribute with the template's name that is not the template
      // (the seed's pages_read-as-percentage case). Exist's names are unique per user, so
      // the template cannot be created alongside it; acquiring by name takes it as it is.
      return failed(
        item,
        'conflict',
        `You already have an attribute named '${tname}' that is not the '${tname}' template ` +
          `(it is '${a.value_type_description}', the template is '${t.value_type_description}'); acquire it by name to take it as it is`,
      );
    }
    if (!canWrite(token, t.group, a?.manual ?? manual ?? false))
      return failed(item, 'unauthorised', scopeError(t.group, tname));
    if (a === undefined) {
      a = {
        name: t.name,
        label: t.label,
        group: t.group,
        value_type: t.value_type,
        value_type_description: t.value_type_description,
        template: t.name,
        manual: manual ?? false,
        owner: token.clientId,
        active: true,
        priority: core.nextPriority(t.group),
        created: core.today(),
        values: {},
      };
      core.attributes.set(a.name, a);
    }
  } else {
    const name = item['name'];
    if (typeof name !== 'string') return failed(item, 'validation', "'name' must be a string");
    a = core.attributes.get(name);
    if (a === undefined) return failed(item, 'not_found', `Attribute '${name}' not found`);
    if (!canWrite(token, a.group, a.manual)) return failed(item, 'unauthorised', scopeError(a.group, name));
  }
  a.owner = token.clientId;
  a.active = true;
  if (manual !== undefined) a.manual = manual;
  return succeeded(
    wantsObjects(ctx.query)
      ? core.attributeObject(a)
      : { name: a.name, active: a.active, ...(hasTemplate ? { template: a.template } : {}) },
  );
}

function releaseOne(ctx: ApiContext, item: Item): ItemResult {
  if (!present(item, 'name')) return failed(item, 'missing_field', "Missing field 'name'");
  const name = item['name'];
  if (typeof name !== 'string') return failed(item, 'validation', "'name' must be a string");
  const a = ownedAttribute(ctx, item, name);
  if (isResult(a)) return a;
  a.owner = null;
  return succeeded(wantsObjects(ctx.query) ? ctx.core.attributeObject(a) : { name });
}

function createOne(ctx: ApiContext, item: Item): ItemResult {
  const { core, token } = ctx;
  const manual = manualFlag(item);
  if (manual === 'bad') return failed(item, 'validation', "'manual' must be true or false");
  let a: AttributeRecord;
  if (present(item, 'template')) {
    const tname = item['template'];
    const t = typeof tname === 'string' ? core.templatesByName.get(tname) : undefined;
    if (t === undefined) return failed(item, 'not_found', `No template named '${String(tname)}'`);
    if (!canWrite(token, t.group, manual ?? true)) return failed(item, 'unauthorised', scopeError(t.group, t.name));
    if (core.attributes.has(t.name)) return failed(item, 'exists', `Attribute '${t.name}' already exists`);
    a = {
      name: t.name,
      label: t.label,
      group: t.group,
      value_type: t.value_type,
      value_type_description: t.value_type_description,
      template: t.name,
      manual: manual ?? true,
      owner: token.clientId,
      active: true,
      priority: core.nextPriority(t.group),
      created: core.today(),
      values: {},
    };
  } else {
    for (const f of ['label', 'group', 'value_type']) {
      if (item[f] === undefined || item[f] === null || item[f] === '') {
        return failed(item, 'missing_field', `Missing field '${f}' (or send a 'template')`);
      }
    }
    const { label, group, value_type: vt } = item;
    if (typeof label !== 'string' || label.trim() === '') return failed(item, 'validation', "'label' must be text");
    if (!isGroup(group)) return failed(item, 'validation', `Unknown group '${String(group)}'`);
    if (typeof vt !== 'number' || !Number.isInteger(vt) || vt < 0 || vt > 8) {
      return failed(item, 'validation', `Unknown value_type '${String(vt)}': use 0 to 8`);
    }
    if (vt === 6) return failed(item, 'validation', 'Value type 6 (time of day from midday) cannot be created');
    const name = slugify(label);
    if (name === '')
      return failed(item, 'validation', 'The label needs at least one letter or digit to make a name from');
    if (!canWrite(token, group, manual ?? true)) return failed(item, 'unauthorised', scopeError(group, name));
    if (core.attributes.has(name)) return failed(item, 'exists', `Attribute '${name}' already exists`);
    a = {
      name,
      label: label.trim(),
      group,
      value_type: vt,
      value_type_description: VALUE_TYPE_DESCRIPTIONS[vt] ?? '',
      template: null,
      manual: manual ?? true,
      owner: token.clientId,
      active: true,
      priority: core.nextPriority(group),
      created: core.today(),
      values: {},
    };
  }
  core.attributes.set(a.name, a);
  return succeeded(
    wantsObjects(ctx.query)
      ? core.attributeObject(a)
      : {
          name: a.name,
          label: a.label,
          group: a.group,
          value_type: a.value_type,
          template: a.template,
          manual: a.manual,
        },
  );
}

function valueTarget(
  ctx: ApiContext,
  item: Item,
  needDate: boolean,
): { a: AttributeRecord; date: string } | ItemResult {
  if (!present(item, 'name')) return failed(item, 'missing_field', "Missing field 'name'");
  if (needDate && !present(item, 'date')) return failed(item, 'missing_field', "Missing field 'date'");
  if (!('value' in item)) return failed(item, 'missing_field', "Missing field 'value'");
  const name = item['name'];
  if (typeof name !== 'string') return failed(item, 'validation', "'name' must be a string");
  const a = ownedAttribute(ctx, item, name);
  if (isResult(a)) return a;
  const date = item['date'] ?? ctx.core.today();
  if (!isIsoDate(date)) return failed(item, 'validation', "Invalid 'date': use a date written YYYY-MM-DD");
  return { a, date };
}

function updateOne(ctx: ApiContext, item: Item): ItemResult {
  const t = valueTarget(ctx, item, true);
  if (isResult(t)) return t;
  const value = item['value'];
  if (value === null) {
    if (t.a.values[t.date] !== undefined) {
      return failed(item, 'validation', 'A value cannot be set back to null once it has been set');
    }
    return succeeded({ ...item });
  }
  const problem = checkValue(t.a.value_type, value, t.a.name);
  if (problem !== null) return failed(item, 'validation', problem);
  t.a.values[t.date] = value as number | string;
  return succeeded({ ...item });
}

function incrementOne(ctx: ApiContext, item: Item): ItemResult {
  const t = valueTarget(ctx, item, false);
  if (isResult(t)) return t;
  if (!valueTypeSpecOf(t.a.value_type)?.incrementable) {
    return failed(
      item,
      'validation',
      `Cannot increment attribute '${t.a.name}' of type '${t.a.value_type_description}'`,
    );
  }
  const value = item['value'];
  const problem = checkValue(t.a.value_type, value, t.a.name);
  if (problem !== null) return failed(item, 'validation', problem);
  const before = t.a.values[t.date];
  const current = (typeof before === 'number' ? before : 0) + (value as number);
  t.a.values[t.date] = current;
  return succeeded({ ...item, date: t.date, current });
}

function writeEndpoint(one: (ctx: ApiContext, item: Item) => ItemResult): ApiHandler {
  return (ctx) => {
    const body = ctx.body;
    if (!Array.isArray(body)) throw new HttpProblem(400, 'Expected a JSON array of objects.');
    if (body.length > MAX_OBJECTS_PER_CALL) {
      throw new HttpProblem(400, `Too many objects: at most ${MAX_OBJECTS_PER_CALL} per call, got ${body.length}.`);
    }
    if (body.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) {
      throw new HttpProblem(400, 'Expected a JSON array of objects: every element must be an object.');
    }
    if (!ctx.token.scopes.some((s) => s.endsWith('_write'))) {
      throw new HttpProblem(403, 'You do not have permission to perform this action.');
    }
    const success: unknown[] = [];
    const fails: unknown[] = [];
    for (const item of body as Item[]) {
      const r = one(ctx, item);
      (r.ok ? success : fails).push(r.out);
    }
    return { status: fails.length > 0 ? 202 : 200, json: { success, failed: fails } };
  };
}

/** Route table: path under /api/2/ without slashes → method and handler. */
export const API_ROUTES: Record<string, { method: 'GET' | 'POST'; handler: ApiHandler }> = {
  'accounts/profile': { method: 'GET', handler: profile },
  'attributes/templates': { method: 'GET', handler: templates },
  attributes: { method: 'GET', handler: attributes },
  'attributes/owned': { method: 'GET', handler: owned },
  'attributes/with-values': { method: 'GET', handler: withValues },
  'attributes/values': { method: 'GET', handler: values },
  averages: { method: 'GET', handler: averages },
  'attributes/acquire': { method: 'POST', handler: writeEndpoint(acquireOne) },
  'attributes/release': { method: 'POST', handler: writeEndpoint(releaseOne) },
  'attributes/create': { method: 'POST', handler: writeEndpoint(createOne) },
  'attributes/update': { method: 'POST', handler: writeEndpoint(updateOne) },
  'attributes/increment': { method: 'POST', handler: writeEndpoint(incrementOne) },
};
