/** The answer of every IPC handler and of core operations that can fail for a user-facing reason. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** A failure a person can read; `code` is for programs, `message` for people. */
export interface AppError {
  code: string;
  message: string;
  /** Field or path the error is about, when it is about one input. */
  field?: string;
  /** The raw text behind `message` (an error's own words), for logs and a "details" disclosure; not shown by default. */
  detail?: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: string, message: string, field?: string): Result<never> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});

/** Exhaustiveness guard for switches over unions: a new case fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
