/**
 * Attribute templates and groups, as Exist knows them. The list comes from
 * ../shared/exist-templates.json when the checkout has it (the reference the
 * project codes against), else from the copy bundled beside this file so the
 * sandbox also runs from a clean clone or a packaged app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ATTRIBUTE_GROUPS } from '../shared/domain';
import bundledTemplates from './exist-templates.json' with { type: 'json' };

/** A template as the sandbox serves it (with a readable label and its group's priority order). */
export interface SandboxTemplate {
  name: string;
  label: string;
  group: string;
  value_type: number;
  value_type_description: string;
  priority: number;
}

const TemplateFileSchema = z.object({
  templates: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9_]+$/, 'template names are lowercase ASCII identifiers'),
        label: z.string().min(1).optional(),
        group: z.enum(ATTRIBUTE_GROUPS),
        value_type: z.number().int().min(0).max(8),
        value_type_description: z.string(),
      }),
    )
    .min(1),
});

const GROUP_LABELS: Record<string, string> = {
  activity: 'Activity',
  productivity: 'Productivity',
  mood: 'Mood',
  sleep: 'Sleep',
  workouts: 'Workouts',
  events: 'Events',
  finance: 'Finance',
  food: 'Food and drink',
  health: 'Health',
  location: 'Location',
  media: 'Media',
  social: 'Social',
  weather: 'Weather',
  symptoms: 'Symptoms',
  medication: 'Medication',
  custom: 'Custom tags',
};

/** Group object `{name, label, priority}` as attributes carry it; priority follows Exist's group order. */
export function groupInfo(name: string): { name: string; label: string; priority: number } {
  const i = (ATTRIBUTE_GROUPS as readonly string[]).indexOf(name);
  return { name, label: GROUP_LABELS[name] ?? name, priority: i < 0 ? 99 : i + 1 };
}

/** True when `name` is one of Exist's attribute groups. */
export const isGroup = (name: unknown): name is string =>
  typeof name === 'string' && (ATTRIBUTE_GROUPS as readonly string[]).includes(name);

const WORDS: Record<string, string> = {
  min: 'minutes',
  tv: 'TV',
  heartrate: 'heart rate',
  rem: 'REM',
};

/** A readable label for a template without one: `pages_read` → "Pages read", `tv_min` → "TV minutes". */
export function labelFromName(name: string): string {
  const text = name
    .split('_')
    .filter(Boolean)
    .map((w) => WORDS[w] ?? w)
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Parses a templates file's JSON; throws an error naming `source` when it is malformed. */
export function parseTemplates(json: unknown, source: string): SandboxTemplate[] {
  const parsed = TemplateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid templates file ${source}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const perGroup = new Map<string, number>();
  return parsed.data.templates.map((t) => {
    const priority = (perGroup.get(t.group) ?? 0) + 1;
    perGroup.set(t.group, priority);
    return {
      name: t.name,
      label: t.label ?? labelFromName(t.name),
      group: t.group,
      value_type: t.value_type,
      value_type_description: t.value_type_description,
      priority,
    };
  });
}

/** Where the shared reference list lives relative to this file in the checkout (`<repo>/../shared`). */
export const SHARED_TEMPLATES_PATH = fileURLToPath(new URL('../../../shared/exist-templates.json', import.meta.url));

/**
 * Loads templates: `file` when given (must exist), else the shared reference file when
 * present, else the bundled copy.
 */
export function loadTemplates(file?: string): SandboxTemplate[] {
  const path = file ?? (existsSync(SHARED_TEMPLATES_PATH) ? SHARED_TEMPLATES_PATH : undefined);
  if (path === undefined) return parseTemplates(bundledTemplates, 'src/sandbox/exist-templates.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read templates file ${path}: ${(e as Error).message}`);
  }
  return parseTemplates(json, path);
}
