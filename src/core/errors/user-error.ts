/**
 * An error meant for the person using the app: handlers throw it, and the one mapper
 * (./index.ts describeError) turns it into `{ok: false, error}` or one stderr line.
 * Anything else thrown is treated as a bug and shown as a generic message.
 */
import type { AppError } from '../../shared/result';

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Raw text behind the message (another error's), for logs; never shown by default. */
    readonly detail?: string,
  ) {
    super(message);
  }

  toAppError(): AppError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    };
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
