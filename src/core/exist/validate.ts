/**
 * Checks on both sides of a call: `parseWith` validates an answer against its zod schema
 * (a mismatch is a `bad-response` naming the field path, `maybeApplied` for writes), and
 * `checkBatch` / `checkRange` refuse bad arguments before anything is sent (programming
 * errors: a TypeError or RangeError, never an ExistError). The schemas are in ./schemas.
 */
import type { z } from 'zod';
import { MAX_OBJECTS_PER_CALL } from '../../shared/domain';
import { ExistError } from './errors';
import { issuePath } from './schemas';

export function parseWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  endpoint: string,
  isWrite: boolean,
  status: number,
): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue ? issuePath(issue.path) : '(root)';
  const what = issue ? issue.message : 'invalid';
  throw new ExistError('bad-response', `Unexpected answer from ${endpoint}: ${where}: ${what}.`, {
    status,
    endpoint,
    maybeApplied: isWrite,
  });
}

export function checkBatch(items: readonly unknown[], endpoint: string): void {
  if (!Array.isArray(items)) throw new TypeError(`${endpoint} takes an array of objects.`);
  if (items.length > MAX_OBJECTS_PER_CALL) {
    throw new RangeError(
      `${endpoint} takes at most ${MAX_OBJECTS_PER_CALL} objects per call; got ${items.length}. Split the batch.`,
    );
  }
}

export function checkRange(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}; got ${v}.`);
}
