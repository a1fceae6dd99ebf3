/**
 * The one error type of tirkeu. Domain code throws it with a stable code; only the HTTP error
 * handler (src/http/problem.ts) and the CLI decide how a code is shown (status, exit code).
 */
export const errorCodes = [
  'validation_failed', // input is malformed: names the field
  'not_found',
  'conflict', // the state of the world does not allow this (duplicate, already exists)
  'version_conflict', // optimistic concurrency: the record changed since the caller read it
  'action_not_allowed', // the record's status does not allow this action: lists the allowed ones
  'idempotency_key_reused', // same idempotency key, different request body
  'unauthenticated',
  'forbidden',
  'payload_too_large',
  'unsupported_media_type',
  'duplicate_suspected', // the record may repeat another: a registrar must decide before it goes on (lists the suspects)
  'rate_limited', // too many requests from one address: retryAfterSeconds says when to come back
  'unavailable',
  'migration_changed', // an applied migration file was edited afterwards
  'log_broken', // verify-log found a broken link
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorDetails {
  /** JSON pointer or dotted path of the offending input, when there is one. */
  field?: string;
  /** What the caller can do about it. */
  hint?: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * The one answer for a record (or a document, user, client) that does not exist or that the caller
 * may not see: identical byte for byte, so nobody can probe what exists outside their jurisdiction.
 * `field` names the URL parameter the caller sent (`id`), the same whichever reason applies.
 */
export function notFound(field = 'id'): AppError {
  return new AppError('not_found', 'not found, or outside what you may see', {
    field,
    hint: 'check the identifier; records outside your jurisdiction answer the same way as missing ones',
  });
}
