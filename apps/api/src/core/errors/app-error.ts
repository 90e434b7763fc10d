import { type ProblemCode, type ProblemFieldError } from '@integrixs/domain';

/**
 * Base of every error a module raises on purpose. The global filter turns it into
 * problem+json; services never build HTTP responses themselves.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: ProblemCode;
  abstract readonly title: string;
  readonly errors: ProblemFieldError[] = [];
  /** Extra members for the problem body (RFC 9457 extensions), e.g. the current state on a 412. */
  readonly extensions: Record<string, unknown> = {};
  /** Extra response headers (Retry-After, WWW-Authenticate). */
  readonly headers: Record<string, string> = {};
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  readonly title = 'The request is not valid';

  constructor(errors: ProblemFieldError[], detail?: string) {
    super(detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.errors.push(...errors);
  }

  static of(path: string, message: string, code = 'invalid'): ValidationError {
    return new ValidationError([{ path, message, code }]);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  readonly title = 'Not found';

  constructor(what: string, id: string) {
    super(`${what} ${id} does not exist`);
  }
}

export class NameConflictError extends AppError {
  readonly status = 409;
  readonly code = 'name_conflict';
  readonly title = 'The name is already taken';

  constructor(what: string, name: string, scope: string) {
    super(`${what} named "${name}" already exists ${scope}`);
    this.errors.push({ path: 'name', message: 'already taken', code: 'unique' });
  }
}

/** A write carried a stale `version`: someone else saved first. Carries the current state. */
export class VersionConflictError extends AppError {
  readonly status = 412;
  readonly code = 'version_conflict';
  readonly title = 'The resource was changed by someone else';

  constructor(what: string, sentVersion: number, current: { version: number }) {
    super(
      `${what} is at version ${current.version}, the request was based on version ${sentVersion}; reload and apply your change again`,
    );
    this.extensions['current'] = current;
  }
}

export class VersionRequiredError extends AppError {
  readonly status = 428;
  readonly code = 'version_required';
  readonly title = 'A version is required';

  constructor(
    detail = 'send the version you edited, as "version" in the body or in an If-Match header',
    path = 'version',
  ) {
    super(detail);
    this.errors.push({ path, message: 'is required', code: 'required' });
  }
}

/** The request is valid but the resource's current state does not allow it. */
export class StateConflictError extends AppError {
  readonly status = 409;
  readonly code = 'state_conflict';
  readonly title = 'Not possible in the current state';

  constructor(detail: string, path?: string) {
    super(detail);
    if (path) this.errors.push({ path, message: detail, code: 'state' });
  }
}

/** No valid credentials (missing, expired, forged, revoked). */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  readonly title = 'Sign in first';

  constructor(detail = 'this request needs a valid access token or API token') {
    super(detail);
    this.headers['www-authenticate'] = 'Bearer realm="integrixs"';
  }
}

/** Signed in, but the role does not allow it (only said where the caller may know the resource exists). */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed';
}

/** The action needs a recent MFA confirmation (step-up). */
export class MfaRequiredError extends AppError {
  readonly status = 401;
  readonly code = 'mfa_required';
  readonly title = 'Confirm with your second factor';

  constructor() {
    super(
      'this action needs a recent MFA confirmation: POST /api/auth/mfa/verify with a current code, then retry',
    );
    // RFC 9470 (OAuth 2.0 step-up authentication challenge).
    this.headers['www-authenticate'] =
      'Bearer realm="integrixs", error="insufficient_user_authentication"';
  }
}

/** Administrators must enrol MFA before anything else. */
export class MfaEnrollmentRequiredError extends AppError {
  readonly status = 403;
  readonly code = 'mfa_enrollment_required';
  readonly title = 'Set up multi-factor authentication first';

  constructor() {
    super(
      'administrator accounts need MFA: enrol at POST /api/auth/mfa/enrolment, then confirm it',
    );
  }
}

export class TooManyAttemptsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_attempts';
  readonly title = 'Too many attempts';

  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed attempts; try again in ${retryAfterSeconds} seconds`);
    this.extensions['retryAfter'] = retryAfterSeconds;
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

export class AssetLockedError extends AppError {
  readonly status = 423;
  readonly code = 'asset_locked';
  readonly title = 'The asset is locked';

  constructor(what: string, lockedBy: string) {
    super(
      `${what} is locked by user ${lockedBy}; only they or a package administrator can change it`,
    );
    this.extensions['lockedBy'] = lockedBy;
  }
}

/** The body's media type is not one this route reads. */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  readonly title = 'Unsupported media type';

  constructor(detail: string, expected: string) {
    super(detail);
    this.errors.push({ path: 'content-type', message: `must be ${expected}`, code: 'media_type' });
  }
}

/** A JSON body nested deeper than the configured cap (refused before it is parsed). */
export class BodyTooDeepError extends AppError {
  readonly status = 400;
  readonly code = 'body_too_deep';
  readonly title = 'The body is nested too deeply';

  constructor(maxDepth: number) {
    super(`the JSON body has objects and arrays nested deeper than ${maxDepth} levels`);
    this.errors.push({
      path: 'body',
      message: `is nested deeper than ${maxDepth} levels`,
      code: 'body_too_deep',
    });
  }
}

/** A body that says it is JSON and is not. */
export class MalformedJsonError extends AppError {
  readonly status = 400;
  readonly code = 'malformed_json';
  readonly title = 'The body is not valid JSON';

  constructor(detail: string) {
    super(detail);
    this.errors.push({ path: 'body', message: 'is not valid JSON', code: 'json' });
  }
}
