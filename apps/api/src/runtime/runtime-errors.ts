import { AppError, StateConflictError } from '../core/errors/app-error';

/** 413: a message larger than RUNTIME_MAX_PAYLOAD_BYTES. */
export class MessageTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly title = 'The message is too large';

  constructor(limit: number, path = 'body') {
    super(
      `the message is larger than the ${limit} bytes a flow accepts (RUNTIME_MAX_PAYLOAD_BYTES)`,
    );
    this.errors.push({ path, message: `is larger than ${limit} bytes`, code: 'too_large' });
    this.extensions['limit'] = limit;
  }
}

/**
 * 409: the flow takes no messages in the environment: it is not deployed there, or its
 * deployment is suspended (`state` says which: NOT_DEPLOYED or SUSPENDED).
 */
export class FlowNotRunningError extends StateConflictError {
  constructor(environment: string, state: 'NOT_DEPLOYED' | 'SUSPENDED') {
    super(
      state === 'SUSPENDED'
        ? `the flow is SUSPENDED in ${environment}: resume it to accept messages`
        : `the flow is not deployed in ${environment} (NOT_DEPLOYED): deploy it first`,
      'environment',
    );
    this.extensions['environment'] = environment;
    this.extensions['state'] = state;
  }
}

/** 409: the dead letter was replayed or discarded already. */
export class DeadLetterResolvedError extends StateConflictError {
  constructor(id: string, status: string) {
    super(`dead letter ${id} is ${status}, not OPEN: only an open dead letter can be changed`);
    this.extensions['status'] = status;
  }
}

/** 409: replay on the active deployment when the flow has none in the environment. */
export class NoActiveDeploymentError extends StateConflictError {
  constructor(environment: string) {
    super(
      `the flow has no active deployment in ${environment}: replay with pins ORIGINAL, or deploy it first`,
      'pins',
    );
    this.extensions['environment'] = environment;
  }
}

/** 409: the stored payload the replay would resume with was removed (payload retention). */
export class PayloadGoneError extends StateConflictError {
  constructor(id: string) {
    super(
      `the payload of dead letter ${id} is no longer stored: replay it with an edited payload`,
      'payload',
    );
  }
}
