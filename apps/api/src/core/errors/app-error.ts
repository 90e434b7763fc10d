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

  constructor() {
    super('send the version you edited, as "version" in the body or in an If-Match header');
    this.errors.push({ path: 'version', message: 'is required', code: 'required' });
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
