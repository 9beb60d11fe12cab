/**
 * The local-socket protocol between the CLI (or a second app launch) and the running
 * app: newline-delimited JSON, one request per line, one response per line.
 * The app owns the outbox while it runs, so other processes hand it commands here
 * instead of writing the same outbox at the same time.
 * Electron-free: used by the app, the CLI and tests under plain Node.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppError, Result } from '../../shared/result';
import { windowsPipeName } from './pipe-name';
import { runtimeDir, type RuntimeDirEnv } from './private-dir';

/** Exist attribute names are ASCII identifiers (same rule as the IPC schemas). */
export const attributeNameSchema = z
  .string()
  .min(1, 'An attribute name is required')
  .max(100, 'An attribute name is at most 100 characters')
  .regex(/^[a-z0-9_]+$/, 'An attribute name uses only a–z, 0–9 and _ (e.g. pages_read)');

/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date looks like 2026-11-30')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'Not a real date');

const finite = z.number().refine(Number.isFinite, 'Must be a finite number');

const incrementArgs = z.strictObject({ name: attributeNameSchema, delta: finite, date: isoDateSchema.optional() });
const setArgs = z.strictObject({
  name: attributeNameSchema,
  value: z.union([finite, z.string().max(10_000)]),
  date: isoDateSchema.optional(),
});
const noArgs = z.strictObject({});

/** One command, without the request id: what a launch argument or deep link turns into. */
export const remoteCommandSchema = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('increment'), args: incrementArgs }),
  z.strictObject({ command: z.literal('set'), args: setArgs }),
  z.strictObject({ command: z.literal('sync'), args: noArgs }),
  z.strictObject({ command: z.literal('status'), args: noArgs }),
]);

export type RemoteCommand = z.infer<typeof remoteCommandSchema>;
export type RemoteCommandName = RemoteCommand['command'];

const requestId = z.string().min(1).max(100);

/** A request line: a command plus the id its response will carry. */
export const remoteRequestSchema = z.discriminatedUnion('command', [
  z.strictObject({ id: requestId, command: z.literal('increment'), args: incrementArgs }),
  z.strictObject({ id: requestId, command: z.literal('set'), args: setArgs }),
  z.strictObject({ id: requestId, command: z.literal('sync'), args: noArgs.default({}) }),
  z.strictObject({ id: requestId, command: z.literal('status'), args: noArgs.default({}) }),
]);

export type RemoteRequest = z.infer<typeof remoteRequestSchema>;

/** A response line. `id` is null when the request was too broken to carry one. */
export type RemoteResponse =
  { id: string | null; ok: true; value: unknown } | { id: string | null; ok: false; error: AppError };

export const remoteResponseSchema = z.union([
  z.strictObject({ id: z.string().nullable(), ok: z.literal(true), value: z.unknown() }),
  z.strictObject({
    id: z.string().nullable(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  }),
]);

/** What the client hands back: the app's answer, as a Result. */
export type RemoteResult = Result<unknown>;

/** Longest accepted line; commands are tiny, so anything bigger is refused. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Where the running app listens: on Windows a named pipe named from the data folder and a
 * key inside it (./pipe-name.ts: another user cannot guess it);
 * elsewhere `<hash of the data folder>.sock` in the user's private runtime folder (see
 * ./private-dir.ts: XDG_RUNTIME_DIR, else a 0700 folder under the temp dir that both
 * sides verify before use). Both the app and the CLI must pass the same data folder.
 * The path is short whatever the data folder (Unix sockets allow ~104 bytes).
 */
export function remoteSocketPath(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  where: RuntimeDirEnv = {},
): string {
  if (platform === 'win32') return windowsPipeName(dataDir);
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join(runtimeDir({ platform, ...where }), `${hash}.sock`);
}
