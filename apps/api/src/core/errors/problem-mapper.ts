import { HttpException } from '@nestjs/common';

import {
  PROBLEM_TYPE_BASE,
  type ProblemCode,
  type ProblemDetails,
  type ProblemFieldError,
} from '@integrixs/domain';

import {
  isDatabaseUnavailable,
  isRetryableConflict,
  isStatementTimeout,
  sqlState,
} from '../database/database-errors';
import { AppError } from './app-error';
import { referenceProblem } from './reference-problem';
import { schemaEngineProblem } from './schema-engine-problem';

interface ProblemParts {
  status: number;
  code: ProblemCode;
  title: string;
  detail: string;
  errors?: ProblemFieldError[];
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const invalid = (status: number, detail: string): ProblemParts => ({
  status,
  code: 'validation_failed',
  title: 'The request is not valid',
  detail,
});

const INTERNAL_ERROR: ProblemParts = {
  status: 500,
  code: 'internal_error',
  title: 'Internal error',
  detail: 'the server failed to answer; the error is logged with this traceId',
};

const PAYLOAD_TOO_LARGE: ProblemParts = {
  status: 413,
  code: 'payload_too_large',
  title: 'The request body is too large',
  detail: 'the request body is larger than this server accepts (MAX_BODY_BYTES)',
};

const UNSUPPORTED_MEDIA_TYPE: ProblemParts = {
  status: 415,
  code: 'unsupported_media_type',
  title: 'Unsupported media type',
  detail: 'send the body as application/json',
  errors: [{ path: 'content-type', message: 'must be application/json', code: 'media_type' }],
};

const DATABASE_UNAVAILABLE: ProblemParts = {
  status: 503,
  code: 'database_unavailable',
  title: 'The database is unavailable',
  detail: 'the database cannot be reached right now; try again shortly',
  headers: { 'retry-after': '5' },
};

const CONFLICT_RETRY: ProblemParts = {
  status: 409,
  code: 'conflict_retry',
  title: 'The change collided with concurrent changes',
  detail:
    'the database aborted this change because of concurrent changes (a deadlock or serialization failure), also when it was tried again; send the request again',
  headers: { 'retry-after': '1' },
};

const DATABASE_TIMEOUT: ProblemParts = {
  status: 503,
  code: 'database_timeout',
  title: 'The database took too long',
  detail:
    'the database did not finish this request within the time allowed (DATABASE_STATEMENT_TIMEOUT_MS); try again shortly',
  headers: { 'retry-after': '5' },
};

/**
 * Errors Nest raises itself: unknown routes (404) and, via its error handler, Fastify's
 * request errors (body parsing, size, media type) re-thrown as HttpException with their status.
 */
function fromHttpException(error: HttpException): ProblemParts {
  const status = error.getStatus();
  switch (status) {
    case 404:
      return { status, code: 'not_found', title: 'Not found', detail: error.message };
    case 405:
      return {
        status,
        code: 'method_not_allowed',
        title: 'Method not allowed',
        detail: error.message,
      };
    case 413:
      return PAYLOAD_TOO_LARGE;
    case 415:
      return UNSUPPORTED_MEDIA_TYPE;
  }
  if (status === 400 && /JSON/i.test(error.message)) {
    return {
      status,
      code: 'malformed_json',
      title: 'The body is not valid JSON',
      detail: error.message,
      errors: [{ path: 'body', message: 'is not valid JSON', code: 'json' }],
    };
  }
  return status >= 400 && status < 500 ? invalid(status, error.message) : INTERNAL_ERROR;
}

/** Turns any thrown value into the parts of a problem; unknown errors become a 500. */
export function toProblemParts(error: unknown): ProblemParts {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      title: error.title,
      detail: error.message,
      errors: error.errors,
      extensions: error.extensions,
      headers: error.headers,
    };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  const engine = schemaEngineProblem(error);
  if (engine) return engine;
  if (isDatabaseUnavailable(error)) return DATABASE_UNAVAILABLE;
  // Deadlocks and serialization failures that runInTransaction's one retry did not cure.
  if (isRetryableConflict(error)) return CONFLICT_RETRY;
  if (isStatementTimeout(error)) return DATABASE_TIMEOUT;
  const reference = referenceProblem(error);
  if (reference) return reference;
  // Safety net: a value the database refused as data (SQLSTATE class 22) is the client's input.
  if (sqlState(error)?.startsWith('22')) {
    return invalid(400, 'a value in the request cannot be stored (out of range or not valid text)');
  }
  return INTERNAL_ERROR;
}

export function buildProblem(
  parts: ProblemParts,
  instance: string,
  traceId: string,
): ProblemDetails {
  return {
    ...parts.extensions,
    type: `${PROBLEM_TYPE_BASE}${parts.code.replace(/_/g, '-')}`,
    title: parts.title,
    status: parts.status,
    detail: parts.detail,
    instance,
    code: parts.code,
    errors: parts.errors ?? [],
    traceId,
  };
}

export type { ProblemParts };
