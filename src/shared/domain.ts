/**
 * Exist domain types shared by main, renderer, CLI and sandbox.
 * Types and constants only: no runtime dependencies, no I/O.
 */

/** Exist's value type codes (API v2). */
export const VALUE_TYPES = {
  integer: 0,
  decimal: 1,
  string: 2,
  duration: 3,
  time: 4,
  percentage: 5,
  timeFromMidday: 6,
  boolean: 7,
  scale: 8,
} as const;

export type ValueTypeName = keyof typeof VALUE_TYPES;
export type ValueTypeCode = (typeof VALUE_TYPES)[ValueTypeName];

/** Names used by the CLI `create --type` and the settings form (value type 6 cannot be created). */
export const CREATABLE_VALUE_TYPES = [
  'integer',
  'decimal',
  'string',
  'duration',
  'time',
  'percentage',
  'boolean',
  'scale',
] as const satisfies readonly ValueTypeName[];
export type CreatableValueTypeName = (typeof CREATABLE_VALUE_TYPES)[number];

/** Value types the increment endpoint accepts. */
export const INCREMENTABLE_VALUE_TYPES: readonly ValueTypeCode[] = [0, 1, 3];

export const ATTRIBUTE_GROUPS = [
  'activity',
  'productivity',
  'mood',
  'sleep',
  'workouts',
  'events',
  'finance',
  'food',
  'health',
  'location',
  'media',
  'social',
  'weather',
  'symptoms',
  'medication',
  'custom',
] as const;
export type AttributeGroupName = (typeof ATTRIBUTE_GROUPS)[number];

/** Every OAuth scope Exist knows: `<group>_read|write` plus manual_read/manual_write. */
export const ALL_SCOPES: readonly string[] = [
  ...ATTRIBUTE_GROUPS.flatMap((g) => [`${g}_read`, `${g}_write`]),
  'manual_read',
  'manual_write',
];

/** Exist writes at most this many objects per call. */
export const MAX_OBJECTS_PER_CALL = 35;
/** Exist allows this many calls per hour per user token. */
export const CALLS_PER_HOUR = 300;
/** The redirect URI registered at Exist; the port cannot move. */
export const REDIRECT_URI = 'http://localhost:8000/';
export const DEFAULT_EXIST_URL = 'https://exist.io';

/** A day in the user's Exist timezone, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface AttributeTemplate {
  name: string;
  group: string;
  value_type: ValueTypeCode;
  value_type_description: string;
}

export interface Profile {
  username: string;
  first_name: string;
  last_name: string;
  avatar: string | null;
  timezone: string;
  local_time: string | null;
  imperial_distance: boolean;
  imperial_weight: boolean;
  imperial_energy: boolean;
  imperial_liquid: boolean;
  imperial_temperature: boolean;
  trial: boolean;
  delinquent: boolean;
}

export interface AttributeGroup {
  name: string;
  label: string;
  priority: number;
}

export interface Attribute {
  template: string | null;
  name: string;
  label: string;
  group: AttributeGroup;
  service: { name: string; label: string } | null;
  active: boolean;
  priority: number;
  manual: boolean;
  value_type: ValueTypeCode;
  value_type_description: string;
  available_services?: { name: string; label: string }[];
  values?: { date: IsoDate; value: number | string | null }[];
}

/** The outbox's error code for a write Exist refused because another service owns the attribute now. */
export const NOT_OWNER = 'not-owner';
