import type { AppError } from '../shared/result';

/**
 * An error meant for the person using the app: handlers throw it, and the IPC
 * dispatcher and the CLI turn it into `{ok: false, error}` or one stderr line.
 * Anything else thrown is treated as a bug and shown as a generic message.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toAppError(): AppError {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
