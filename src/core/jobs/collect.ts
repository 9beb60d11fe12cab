/**
 * One job run's reading step: read the job's source, keep the days of its window (today and
 * `daysBack` days before, in the user's Exist timezone) and check each reading against the
 * attribute's value type. Any invalid day fails the whole run, so a job never writes half a
 * window. Writing what changed is the service's (./index).
 */
import type { IsoDate } from '../../shared/domain';
import { UserError } from '../errors';
import type { PublicHttpsOptions } from '../net/public-https';
import { addDays, isTextType, parseValue, todayIn, validateStoredValue } from '../values';
import type { AttributeLookup, OwnedAttributeInfo } from './import';
import { readSource, SourceError, type CommandRunner, type RawValue, type Readings } from './sources';
import type { StoredJob } from './store';

export interface CollectDeps {
  attribute: AttributeLookup;
  https?: PublicHttpsOptions;
  runCommand?: CommandRunner;
  sourceTimeoutMs?: number;
}

/** Checks a raw reading against the attribute's value type; the value in Exist's form, or why not. */
export function toStoredValue(
  a: OwnedAttributeInfo,
  raw: RawValue,
): { ok: true; value: number | string } | { ok: false; message: string } {
  if (typeof raw === 'string') return parseValue(a.value_type, raw, { attributeName: a.name });
  if (isTextType(a.value_type)) return validateStoredValue(a.value_type, String(raw), a.name);
  return validateStoredValue(a.value_type, raw, a.name);
}

/** The job's window of values in Exist's form, oldest first; throws a UserError or SourceError. */
export async function collectValues(
  deps: CollectDeps,
  j: StoredJob,
  tz: string,
  nowMs: number,
): Promise<{ date: IsoDate; value: number | string }[]> {
  const a = await deps.attribute(j.attribute);
  if (!a)
    throw new UserError(
      'not-owned',
      `Exist Tray does not own “${j.attribute}” any more; add it again in Settings → Attributes.`,
    );
  const readings: Readings = await readSource(j.source, {
    ...(deps.https ? { https: deps.https } : {}),
    ...(deps.runCommand ? { runCommand: deps.runCommand } : {}),
    ...(deps.sourceTimeoutMs ? { timeoutMs: deps.sourceTimeoutMs } : {}),
  });
  const today = todayIn(tz, nowMs);
  const wanted = Array.from({ length: j.daysBack + 1 }, (_, i) => addDays(today, -i)).reverse();
  const raw = new Map<IsoDate, RawValue>();
  if (readings.kind === 'today') raw.set(today, readings.value);
  else for (const d of wanted) if (readings.values.has(d)) raw.set(d, readings.values.get(d)!);
  if (raw.size === 0) throw new SourceError(`The source has no value for ${wanted.join(' or ')}.`);
  const out: { date: IsoDate; value: number | string }[] = [];
  const problems: string[] = [];
  for (const d of wanted) {
    if (!raw.has(d)) continue;
    const v = toStoredValue(a, raw.get(d)!);
    if (v.ok) out.push({ date: d, value: v.value });
    else problems.push(`${d}: ${v.message}`);
  }
  if (problems.length > 0) throw new SourceError(`Not a valid value for ${a.label}: ${problems.join('; ')}.`);
  return out;
}
