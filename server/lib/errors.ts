import type { ErrorCode } from '../../domain/messages.ts';

/** A field error, with the message key or text for the field. */
export type FieldError = { field: string; message: string };

/** The one error type code below routes throws; the error handler turns it into problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: { detail?: string; errors?: FieldError[] } = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/** The PostgreSQL error behind a driver or Drizzle wrapper, if any. */
export function pgErrorOf(err: unknown): { code?: string; constraint?: string } | null {
  let current: any = err;
  for (let i = 0; i < 4 && current; i++) {
    if (typeof current.code === 'string' && /^[0-9A-Z]{5}$/.test(current.code)) return current;
    current = current.cause;
  }
  return null;
}
