/**
 * The demo user's seed data and the `--data FILE` persistence of the sandbox.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../core/fs';
import { z } from 'zod';
import type { AttributeRecord, PersistedState, SandboxUser } from './types';
import type { SandboxTemplate } from './templates';
import { addDays, VALUE_TYPE_DESCRIPTIONS } from './values';

/** Services other than the sandbox's OAuth client that own seeded attributes. */
export const OTHER_SERVICES: Record<string, string> = {
  exist_android: 'Exist for Android',
  fitbit: 'Fitbit',
};

/** The demo user (username 'demo'); metric display, not on trial. */
export function demoUser(timezone: string): SandboxUser {
  return {
    username: 'demo',
    first_name: 'Demo',
    last_name: 'User',
    timezone,
    imperial_distance: false,
    imperial_weight: false,
    imperial_energy: false,
    imperial_liquid: false,
    imperial_temperature: false,
    trial: false,
    delinquent: false,
  };
}

/**
 * The demo user's existing attributes, with two weeks of values ending `today`:
 * `mood`/`mood_note` owned by Exist for Android, `steps`/`sleep` by Fitbit, an inactive
 * `floors`, a manual `coffees`, a custom tag `tired`, and `meditation_min`: a manual
 * attribute the user made themselves that is named like the `meditation_min` template
 * but is a *percentage*, so the acquire-by-template vs acquire-by-name rule can be tested.
 * `pages_read` is deliberately absent: acquiring it by template creates it.
 */
export function seedAttributes(templates: SandboxTemplate[], today: string): AttributeRecord[] {
  const created = addDays(today, -30);
  const byName = new Map(templates.map((t) => [t.name, t]));
  const fromTemplate = (
    name: string,
    owner: string | null,
    manual: boolean,
    values: Array<number | string>,
    active = true,
  ): AttributeRecord => {
    const t = byName.get(name);
    if (t === undefined) throw new Error(`Seed needs template '${name}', which the templates file lacks`);
    return {
      name,
      label: t.label,
      group: t.group,
      value_type: t.value_type,
      value_type_description: t.value_type_description,
      template: name,
      manual,
      owner,
      active,
      priority: t.priority,
      created,
      values: series(today, values),
    };
  };
  return [
    fromTemplate('mood', 'exist_android', false, [7, 6, 8, 5, 7, 7, 9, 6, 4, 6, 7, 8, 7, 6]),
    fromTemplate('mood_note', 'exist_android', false, [
      'Long walk by the lagoon, finished a chapter.',
      'Slow start, good afternoon.',
      'Too much coffee.',
    ]),
    fromTemplate(
      'steps',
      'fitbit',
      false,
      [8234, 10412, 6120, 12877, 9003, 4410, 7765, 11020, 5300, 9870, 8800, 7012, 6654, 10001],
    ),
    fromTemplate('sleep', 'fitbit', false, [452, 401, 478, 390, 505, 420, 433]),
    fromTemplate('floors', null, false, [], false),
    fromTemplate('coffees', null, true, [2, 3, 1, 2, 2, 4, 1]),
    {
      name: 'meditation_min',
      label: 'Meditation min',
      group: 'health',
      value_type: 5,
      value_type_description: VALUE_TYPE_DESCRIPTIONS[5] ?? 'Float',
      template: null,
      manual: true,
      owner: null,
      active: true,
      priority: 50,
      created,
      values: series(today, [1, 0.5, 1, 0.75, 0, 1, 1]),
    },
    {
      name: 'tired',
      label: 'Tired',
      group: 'custom',
      value_type: 7,
      value_type_description: VALUE_TYPE_DESCRIPTIONS[7] ?? 'Boolean',
      template: null,
      manual: true,
      owner: null,
      active: true,
      priority: 1,
      created,
      values: series(today, [0, 1, 0, 0, 1, 0, 0]),
    },
  ];
}

/** Values for `today`, yesterday, ... in order; the first entry is today's. */
function series(today: string, values: Array<number | string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  values.forEach((v, i) => {
    out[addDays(today, -i)] = v;
  });
  return out;
}

const valueSchema = z.union([z.number(), z.string()]);
const PersistedSchema = z.object({
  version: z.literal(1),
  user: z.object({
    username: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    timezone: z.string(),
    imperial_distance: z.boolean(),
    imperial_weight: z.boolean(),
    imperial_energy: z.boolean(),
    imperial_liquid: z.boolean(),
    imperial_temperature: z.boolean(),
    trial: z.boolean(),
    delinquent: z.boolean(),
  }),
  attributes: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      group: z.string(),
      value_type: z.number().int(),
      value_type_description: z.string(),
      template: z.string().nullable(),
      manual: z.boolean(),
      owner: z.string().nullable(),
      active: z.boolean(),
      priority: z.number(),
      created: z.string(),
      values: z.record(z.string(), valueSchema),
    }),
  ),
  tokens: z.array(
    z.object({
      access: z.string(),
      refresh: z.string(),
      clientId: z.string(),
      scopes: z.array(z.string()),
      issuedAt: z.number(),
      expiresAt: z.number(),
      family: z.string(),
      revoked: z.boolean(),
      personal: z.boolean().optional(),
    }),
  ),
});

/** Reads a state file; undefined when it does not exist; throws a clear error when it is not valid. */
export function loadState(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Sandbox data file ${file} is not valid JSON (${(e as Error).message}); fix or move it`);
  }
  const parsed = PersistedSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Sandbox data file ${file} is not a sandbox state file (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}); fix or move it`,
    );
  }
  return parsed.data;
}

/** Writes state atomically (temp file + rename) with owner-only permissions: it holds tokens. */
export function saveState(file: string, state: PersistedState): void {
  writeFileAtomicSync(file, JSON.stringify(state, null, 1));
}
