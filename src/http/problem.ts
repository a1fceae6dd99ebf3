import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.ts';

/**
 * The one place where error codes become HTTP statuses. Bodies are RFC 9457 problem+json with a
 * stable `type` per code, the field at fault, and a hint saying what to do.
 */
const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  action_not_allowed: 409,
  idempotency_key_reused: 422,
  unauthenticated: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  duplicate_suspected: 409,
  rate_limited: 429,
  unavailable: 503,
  migration_changed: 500,
  log_broken: 500,
  internal: 500,
};

const titleOf: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  not_found: 'Not found',
  conflict: 'Conflict with the current state',
  version_conflict: 'The record changed since you read it',
  action_not_allowed: 'This action is not allowed now',
  idempotency_key_reused: 'Idempotency key already used for another request',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not permitted',
  payload_too_large: 'Request too large',
  unsupported_media_type: 'Unsupported content type',
  duplicate_suspected: 'The record may be a duplicate of another',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  migration_changed: 'Internal error',
  log_broken: 'Internal error',
  internal: 'Internal error',
};

export function problemType(code: ErrorCode): string {
  return `urn:tirkeu:problem:${code.replaceAll('_', '-')}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  requestId: string;
  field?: string;
  hint?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** Fastify's own errors (schema validation, body parsing, size limits) in the project's terms. */
function fromFastify(error: FastifyError): AppError {
  if (error.validation) {
    const errors = error.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
      const path = `${v.instancePath || ''}${missing ? `/${missing}` : ''}`;
      const where = error.validationContext ?? 'body';
      return { field: `${where}${path.replaceAll('/', '.')}`, message: v.message ?? 'is not valid' };
    });
    const first = errors[0];
    return new AppError('validation_failed', first ? `${first.field} ${first.message}` : error.message, {
      field: first?.field,
      errors,
      hint: 'correct the named field and send the request again',
    });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('payload_too_large', 'the request body is larger than this server accepts', {
      hint: 'send a smaller body; documents are uploaded one at a time',
    });
  }
  if (error.statusCode === 415) {
    return new AppError('unsupported_media_type', error.message, {
      field: 'content-type',
      hint: 'send application/json, or for a document upload application/pdf, image/jpeg or image/png',
    });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('validation_failed', error.message, { hint: 'check the request format' });
  }
  return new AppError('internal', 'internal error', {}, { cause: error });
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const appError = error instanceof AppError ? error : fromFastify(error as FastifyError);
  const status = statusOf[appError.code];
  const hidden = status >= 500 && appError.code !== 'unavailable';
  const { field, hint, ...extensions } = appError.details;
  return {
    // Extensions first: the RFC 9457 members below must never be overridden by an error's details.
    ...(hidden ? {} : { ...extensions, field, hint }),
    type: problemType(appError.code),
    title: titleOf[appError.code],
    status,
    // A 500's message may carry internals (SQL, file paths): the caller gets only the request id.
    detail: hidden
      ? `An internal error occurred; quote request id ${request.id} to the administrator.`
      : appError.message,
    instance: request.url.split('?')[0] ?? request.url,
    code: appError.code,
    requestId: request.id,
  };
}

/**
 * What a 500 may write to the log: the error's kind, SQLSTATE and stack frames, never its message
 * (a database driver quotes the submitted values there, names and phone numbers included).
 */
export function safeError(error: unknown): Record<string, unknown> {
  const chain: Record<string, unknown>[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) {
    const { code, constraint, table, column } = e as Error & Record<string, unknown>;
    chain.push({
      type: e.name,
      code: typeof code === 'string' ? code : undefined,
      constraint,
      table,
      column,
      stack: e.stack?.split('\n').slice(1, 8).join('\n'),
    });
  }
  return { chain };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  // A lockout says when to try again; so does a database away for a moment (restart, failover).
  const retryAfter = typeof problem.retryAfterSeconds === 'number' ? problem.retryAfterSeconds : problem.status === 503 ? 5 : undefined;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
