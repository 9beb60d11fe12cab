/**
 * The client's reads: profile, templates, attributes (owned, all, with values), values and
 * averages, one page at a time or every page through `paginate`. Each answer is validated
 * against its schema (./schemas) and mapped to the domain types of src/shared/domain.
 * Reads never apply anything, so their errors are never `maybeApplied`.
 */
import type { z } from 'zod';
import { averageSchema, toAverage } from '../averages/schema';
import { ExistError } from './errors';
import {
  attributeSchema,
  pageSchema,
  profileSchema,
  templateSchema,
  toAttribute,
  toTemplate,
  valueSchema,
} from './schemas';
import type { Page } from './schemas';
import type { Query, Transport } from './transport';
import type { ExistClient, ListFilters } from './types';
import { checkRange, parseWith } from './validate';

/** Pages followed by `paginate` before it gives up (100 × 100 items is far beyond a real account). */
export const DEFAULT_MAX_PAGES = 100;

/**
 * Collects every page, asking for page 1, 2, … while the answer says there is a
 * next one. Throws `bad-response` past `maxPages` rather than silently truncating.
 */
export async function paginate<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
  opts: { maxPages?: number; endpoint?: string } = {},
): Promise<T[]> {
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const out: T[] = [];
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      throw new ExistError('bad-response', `More than ${maxPages} pages of results; stopped.`, {
        endpoint: opts.endpoint,
      });
    }
    const p = await fetchPage(page);
    out.push(...p.results);
    if (!p.hasNext || p.results.length === 0) return out;
  }
}

/** The read methods of `ExistClient`; `self` is the whole client (the `listAll*` methods page through it). */
export type ExistReads = Pick<
  ExistClient,
  | 'getProfile'
  | 'getTemplates'
  | 'listOwned'
  | 'listAttributes'
  | 'withValues'
  | 'getValues'
  | 'getAverages'
  | 'listAllAverages'
  | 'listAllTemplates'
  | 'listAllOwned'
  | 'listAllAttributes'
>;

export function createReads(transport: Transport, self: () => ExistReads): ExistReads {
  async function getPage<S extends z.ZodType, T>(
    path: string,
    query: Query,
    item: S,
    map: (x: z.output<S>) => T,
  ): Promise<Page<T>> {
    const r = await transport.api('GET', path, query);
    const p = parseWith(pageSchema(item), r.json, `/api/2/${path}`, false, r.status);
    return {
      count: p.count,
      hasNext: p.next != null && p.next !== '',
      hasPrevious: p.previous != null && p.previous !== '',
      results: (p.results as z.output<S>[]).map(map),
    };
  }

  return {
    async getProfile() {
      const r = await transport.api('GET', 'accounts/profile/');
      const p = parseWith(profileSchema, r.json, '/api/2/accounts/profile/', false, r.status);
      return {
        username: p.username,
        first_name: p.first_name,
        last_name: p.last_name,
        avatar: p.avatar,
        timezone: p.timezone,
        local_time: p.local_time,
        imperial_distance: p.imperial_distance,
        imperial_weight: p.imperial_weight,
        imperial_energy: p.imperial_energy,
        imperial_liquid: p.imperial_liquid,
        imperial_temperature: p.imperial_temperature,
        trial: p.trial,
        delinquent: p.delinquent,
      };
    },

    async getTemplates(opts = {}) {
      checkRange('limit', opts.limit, 1, 100);
      return getPage(
        'attributes/templates/',
        { groups: opts.groups, include_low_priority: opts.includeLowPriority, page: opts.page, limit: opts.limit },
        templateSchema,
        toTemplate,
      );
    },

    async listOwned(f = {}) {
      checkRange('limit', f.limit, 1, 100);
      return getPage('attributes/owned/', listQuery(f), attributeSchema, toAttribute);
    },

    async listAttributes(f = {}) {
      checkRange('limit', f.limit, 1, 100);
      return getPage('attributes/', { ...listQuery(f), owned: f.owned }, attributeSchema, toAttribute);
    },

    async withValues(o = {}) {
      checkRange('days', o.days, 1, 31);
      checkRange('limit', o.limit, 1, 100);
      return getPage(
        'attributes/with-values/',
        {
          days: o.days,
          date_max: o.dateMax,
          groups: o.groups,
          attributes: o.attributes,
          templates: o.templates,
          manual: o.manual,
          page: o.page,
          limit: o.limit,
        },
        attributeSchema,
        toAttribute,
      );
    },

    async getValues(name, o = {}) {
      checkRange('limit', o.limit, 1, 100);
      return getPage(
        'attributes/values/',
        { attribute: name, limit: o.limit, page: o.page, date_max: o.dateMax },
        valueSchema,
        (v) => ({ date: v.date, value: v.value }),
      );
    },

    async getAverages(o = {}) {
      checkRange('limit', o.limit, 1, 100);
      const query = {
        attributes: o.attributes,
        groups: o.groups,
        date_min: o.dateMin,
        date_max: o.dateMax,
        include_historical: o.includeHistorical,
        page: o.page,
        limit: o.limit,
      };
      return getPage('averages/', query, averageSchema, toAverage);
    },
    listAllAverages(o = {}) {
      return paginate((page) => self().getAverages({ ...o, page, limit: o.limit ?? 100 }), {
        endpoint: '/api/2/averages/',
      });
    },

    listAllTemplates(opts = {}) {
      return paginate((page) => self().getTemplates({ ...opts, page, limit: 100 }), {
        endpoint: '/api/2/attributes/templates/',
      });
    },
    listAllOwned(f = {}) {
      return paginate((page) => self().listOwned({ ...f, page, limit: f.limit ?? 100 }), {
        endpoint: '/api/2/attributes/owned/',
      });
    },
    listAllAttributes(f = {}) {
      return paginate((page) => self().listAttributes({ ...f, page, limit: f.limit ?? 100 }), {
        endpoint: '/api/2/attributes/',
      });
    },
  };
}

function listQuery(f: ListFilters): Query {
  return {
    groups: f.groups,
    attributes: f.attributes,
    exclude_custom: f.excludeCustom,
    manual: f.manual,
    include_inactive: f.includeInactive,
    include_low_priority: f.includeLowPriority,
    page: f.page,
    limit: f.limit,
  };
}
