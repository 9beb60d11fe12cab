/** Attribute facts in words and the quick-steps parser (pure; shared by the Attributes sections). */
import type { CreatableValueTypeName, ValueTypeCode } from '../../../../shared/domain';
import type { OwnedAttributeView } from '../../../../shared/ipc-contract';
import { formatDelta, parseDelta, valueTypeSpec } from '../../values';

/** The template-vs-name rule, in one sentence (shown where people choose). */
export const ACQUIRE_RULE =
  "Adding from a template gives you Exist's own attribute with its type, creating it if needed; adding by name takes over an attribute you already have, whatever its type.";

export const TYPE_LABELS: Record<CreatableValueTypeName, string> = {
  integer: 'Whole number',
  decimal: 'Decimal number',
  string: 'Text',
  duration: 'Duration (minutes)',
  time: 'Time of day',
  percentage: 'Percentage',
  boolean: 'Yes/no (tag)',
  scale: 'Scale 1–9',
};

/** Reads "5, 10" or "5m, 15m, 1h" into steps in the stored unit; a message on bad input. */
export function parseSteps(
  attr: Pick<OwnedAttributeView, 'valueType'>,
  input: string,
): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = input
    .split(/[,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length > 4) return { ok: false, message: 'At most 4 steps besides +1' };
  const out: number[] = [];
  for (const part of parts) {
    const r = parseDelta(attr.valueType, part);
    if (!r.ok) return { ok: false, message: `${part}: ${r.message}` };
    const n = r.value as number;
    if (n <= 0) return { ok: false, message: `${part}: steps add, so they must be more than 0` };
    if (n > 100_000) return { ok: false, message: `${part}: a step is at most 100,000` };
    if (!out.includes(n)) out.push(n);
  }
  return { ok: true, value: out };
}

/**
 * The value type in words: "Whole number", "Decimal (km)", "Time of day" — not Exist's
 * API descriptions ("Time of day (minutes from midday as integer)"), which are for developers.
 */
export function friendlyType(valueType: ValueTypeCode, description: string): string {
  const spec = valueTypeSpec(valueType);
  const base = spec.kindLabel;
  const unit = /\(([^()`"=]{1,32})\)$/.exec(description)?.[1];
  if (spec.hasUnits && unit && !unit.includes('percentage')) {
    return `${base} (${unit === "user's local currency unit" ? 'your currency' : unit})`;
  }
  return base;
}

export function stepsText(attr: OwnedAttributeView): string {
  return attr.prefs.steps.map((s) => formatDelta(attr.valueType, s).replace(/^\+/, '')).join(', ');
}
