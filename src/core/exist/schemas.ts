/**
 * zod schemas for Exist API answers. Loose on purpose: unknown fields are kept
 * (and ignored) so a new field at Exist never breaks the app; fields the app
 * relies on are required, so a missing one becomes a `bad-response` with the
 * field path instead of an `undefined` deep inside the outbox. Cosmetic fields
 * (names, avatar, imperial flags) get safe defaults.
 */
import { z } from 'zod';
import { VALUE_TYPES } from '../../shared/domain';
import type { Attribute, AttributeTemplate, IsoDate, Profile, ValueTypeCode } from '../../shared/domain';

/**
 * Exist's value type codes (derived from `VALUE_TYPES`, so a new type needs no change here); an
 * unknown code is a bad answer (the app would not know how to validate values).
 */
export const valueTypeSchema = z.literal(Object.values(VALUE_TYPES)) satisfies z.ZodType<ValueTypeCode>;

export const profileSchema = z.looseObject({
  username: z.string().min(1),
  first_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  last_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  avatar: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  timezone: z.string().min(1),
  local_time: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  imperial_distance: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  imperial_weight: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  imperial_energy: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  imperial_liquid: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  imperial_temperature: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  trial: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  delinquent: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});

/** The stored/cached profile (plain, no transforms) — used by the token store. */
export const storedProfileSchema = z.object({
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  avatar: z.string().nullable(),
  timezone: z.string(),
  local_time: z.string().nullable(),
  imperial_distance: z.boolean(),
  imperial_weight: z.boolean(),
  imperial_energy: z.boolean(),
  imperial_liquid: z.boolean(),
  imperial_temperature: z.boolean(),
  trial: z.boolean(),
  delinquent: z.boolean(),
}) satisfies z.ZodType<Profile>;

const groupSchema = z.looseObject({
  name: z.string(),
  label: z.string().nullish(),
  priority: z.number().nullish(),
});

const serviceSchema = z.looseObject({ name: z.string(), label: z.string().nullish() });

export const valueSchema = z.looseObject({
  date: z.string(),
  value: z.union([z.number(), z.string(), z.null()]),
});

export const attributeSchema = z.looseObject({
  template: z.string().nullish(),
  name: z.string().min(1),
  label: z.string(),
  group: groupSchema,
  service: serviceSchema.nullish(),
  active: z.boolean().nullish(),
  priority: z.number().nullish(),
  manual: z.boolean().nullish(),
  value_type: valueTypeSchema,
  value_type_description: z.string().nullish(),
  available_services: z.array(serviceSchema).nullish(),
  values: z.array(valueSchema).nullish(),
});

/** Normalises a parsed attribute into the shared `Attribute` shape. */
export function toAttribute(a: z.infer<typeof attributeSchema>): Attribute {
  const out: Attribute = {
    template: a.template ?? null,
    name: a.name,
    label: a.label,
    group: { name: a.group.name, label: a.group.label ?? a.group.name, priority: a.group.priority ?? 0 },
    service: a.service ? { name: a.service.name, label: a.service.label ?? a.service.name } : null,
    active: a.active ?? true,
    priority: a.priority ?? 0,
    manual: a.manual ?? false,
    value_type: a.value_type,
    value_type_description: a.value_type_description ?? '',
  };
  if (a.available_services) {
    out.available_services = a.available_services.map((s) => ({ name: s.name, label: s.label ?? s.name }));
  }
  if (a.values) out.values = a.values.map((v) => ({ date: v.date as IsoDate, value: v.value }));
  return out;
}

/** Templates: `group` may be a plain name or a group object; both become the name. */
export const templateSchema = z.looseObject({
  name: z.string().min(1),
  group: z.union([z.string(), groupSchema]),
  value_type: valueTypeSchema,
  value_type_description: z.string().nullish(),
});

export function toTemplate(t: z.infer<typeof templateSchema>): AttributeTemplate {
  return {
    name: t.name,
    group: typeof t.group === 'string' ? t.group : t.group.name,
    value_type: t.value_type,
    value_type_description: t.value_type_description ?? '',
  };
}

/** Every list endpoint answers with this page envelope. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    count: z.number().int().nonnegative(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });

/** A page of results, normalised; `next`/`previous` are only tested for presence (never logged). */
export interface Page<T> {
  count: number;
  hasNext: boolean;
  hasPrevious: boolean;
  results: T[];
}

export const writeAnswerSchema = z.looseObject({
  success: z.array(z.looseObject({})),
  failed: z.array(
    z.looseObject({
      error_code: z.string(),
      error: z.string().nullish(),
    }),
  ),
});

export const incrementSuccessSchema = z.looseObject({
  current: z.number().nullish(),
});

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z
    .string()
    .nullish()
    .transform((v) => v ?? 'Bearer'),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1),
  scope: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
});

/** The token endpoint's answer (same shape for code exchange and refresh). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  /** Seconds. About a year at Exist (31535999). */
  expires_in: number;
  refresh_token: string;
  /** Space separated. */
  scope: string;
}

export const oauthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().nullish(),
});

/** `a.b[2].c` from a zod issue path, for messages. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
