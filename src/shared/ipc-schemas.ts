/**
 * Runtime schemas for every renderer → main payload, declared beside the contract.
 * Main (and the browser host) validate with these before any handler runs; the
 * mapped types make a schema that disagrees with the contract a compile error.
 * Kept apart from `ipc-contract.ts` so zod stays out of the renderer bundle.
 */
import { z } from 'zod';
import { ATTRIBUTE_GROUPS, CREATABLE_VALUE_TYPES } from './domain';
import type { InvokeChannel, InvokeRequest, SendChannel, SendContract } from './ipc-contract';

const empty = z.strictObject({});
/** Exist attribute names are ASCII identifiers. */
const attributeName = z
  .string()
  .min(1, 'An attribute name is required')
  .max(100, 'An attribute name is at most 100 characters')
  .regex(/^[a-z0-9_]+$/, 'An attribute name uses only a–z, 0–9 and _');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date looks like 2026-11-30')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'Not a real date',
  );
const finite = z.number().refine(Number.isFinite, 'Must be a finite number');
const scope = z.string().regex(/^[a-z]+_(read|write)$/, 'Not an Exist scope');
const id = z.string().min(1).max(100);
const tab = z.enum(['account', 'attributes', 'sync', 'general']);
const step = finite.refine((n) => n > 0 && n <= 100_000, 'A step is a positive number up to 100,000');

const jobSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('command'), command: z.string().min(1).max(4000) }),
  z.strictObject({
    kind: z.literal('file'),
    path: z.string().min(1).max(4000),
    format: z.enum(['csv', 'json']),
    dateColumn: z.string().max(200).optional(),
    valueColumn: z.string().max(200).optional(),
    jsonPath: z.string().max(500).optional(),
  }),
  z.strictObject({
    kind: z.literal('url'),
    url: z
      .string()
      .url()
      .refine((u) => u.startsWith('https://'), 'Job URLs must be https'),
    jsonPath: z.string().max(500).optional(),
  }),
]);

/** 2 MiB of CSV is about 60,000 rows: plenty for a history import, bounded for IPC. */
/** A reminder rule (issue 18): times and weekdays in the user's Exist timezone. */
export const reminderRule = z.strictObject({
  times: z.array(z.number().int().min(0).max(1439)).min(1, 'Choose at least one time').max(12),
  weekdays: z.array(z.number().int().min(0).max(6)).min(1, 'Choose at least one day').max(7),
  condition: z.enum(['always', 'nothing-logged', 'below']),
  below: finite.optional(),
  snoozeMinutes: z.number().int().min(1).max(720).optional(),
});
const quickText = z.string().max(200, 'That is too long for a quick add');
const csv = z.string().max(2 * 1024 * 1024, 'The file is over 2 MiB; split it');

export const invokeSchemas: { [K in InvokeChannel]: z.ZodType<InvokeRequest<K>> } = {
  'app:get-info': empty,
  'account:get': empty,
  'account:connect': z.strictObject({
    clientId: z.string().trim().max(200),
    clientSecret: z.string().trim().max(500),
    scopes: z.array(scope).max(40),
    server: z.enum(['exist', 'sandbox']),
  }),
  'account:cancel-connect': empty,
  'account:refresh': empty,
  'account:disconnect': empty,
  'attributes:list-owned': z.strictObject({ refresh: z.boolean().optional() }),
  'attributes:list-templates': z.strictObject({ group: z.enum(ATTRIBUTE_GROUPS).optional() }),
  'attributes:acquire': z.strictObject({
    by: z.enum(['template', 'name']),
    name: attributeName,
    manual: z.boolean().optional(),
  }),
  'attributes:create': z.strictObject({
    label: z.string().trim().min(1, 'A label is required').max(100),
    group: z.enum(ATTRIBUTE_GROUPS),
    valueType: z.enum(CREATABLE_VALUE_TYPES),
    manual: z.boolean(),
  }),
  'attributes:release': z.strictObject({ name: attributeName }),
  'attributes:set-prefs': z.strictObject({
    name: attributeName,
    visible: z.boolean().optional(),
    steps: z.array(step).max(4, 'At most 4 steps').optional(),
    reminder: reminderRule.nullable().optional(),
  }),
  'attributes:ownership': z.strictObject({ by: z.enum(['template', 'name']), name: attributeName }),
  'attributes:take-back': z.strictObject({ name: attributeName }),
  'attributes:stop-tracking': z.strictObject({ name: attributeName }),
  'quickadd:preview': z.strictObject({ text: quickText }),
  'quickadd:submit': z.strictObject({ text: quickText }),
  'reminders:act': z.strictObject({ attribute: attributeName, action: z.enum(['log', 'snooze', 'open']) }),
  'attributes:reorder': z.strictObject({ names: z.array(attributeName).max(500) }),
  'tray:get-view': z.strictObject({ date: isoDate.optional() }),
  'values:increment': z.strictObject({ name: attributeName, delta: finite, date: isoDate.optional() }),
  'values:set': z.strictObject({
    name: attributeName,
    value: z.union([finite, z.string().max(10_000)]),
    date: isoDate.optional(),
  }),
  'values:undo': z.strictObject({ id }),
  'sync:get': empty,
  'sync:get-state': empty,
  'sync:now': empty,
  'sync:retry': z.strictObject({ ids: z.array(id).max(10_000) }),
  'sync:discard': z.strictObject({ ids: z.array(id).max(10_000) }),
  'settings:get': empty,
  'settings:set': z.strictObject({
    launchAtLogin: z.boolean().optional(),
    globalShortcut: z.string().max(100).nullable().optional(),
    notifications: z
      .strictObject({ tokenRefreshed: z.boolean(), reconnectNeeded: z.boolean(), writesFailing: z.boolean() })
      .optional(),
    allowPlaintextSecrets: z.boolean().optional(),
    applyLinksWithoutAsking: z.boolean().optional(),
    trayTitleAttribute: attributeName.nullable().optional(),
  }),
  'jobs:list': empty,
  'jobs:add': z.strictObject({
    attribute: attributeName,
    source: jobSource,
    schedule: z.string().trim().min(1).max(200),
    daysBack: z.number().int().min(1).max(31),
  }),
  'jobs:remove': z.strictObject({ id }),
  'jobs:run': z.strictObject({ id }),
  'import:preview': z.strictObject({ csv, attribute: attributeName.optional() }),
  'import:run': z.strictObject({ csv, attribute: attributeName.optional() }),
  'links:get-proposal': empty,
  'links:confirm': z.strictObject({ id: z.string().min(1).max(100) }),
  'links:dismiss': z.strictObject({ id: z.string().min(1).max(100) }),
};

export const sendSchemas: { [K in SendChannel]: z.ZodType<SendContract[K]> } = {
  'window:close': empty,
  'window:open-settings': z.strictObject({ tab: tab.optional() }),
  'shell:open-external': z.strictObject({ url: z.string().max(2000) }),
};
