import { type ProblemFieldError } from '@integrixs/domain';

import { AppError } from '../core/errors/app-error';

/**
 * 422: the adapter configuration (or an environment overlay, or a schema binding) is refused
 * by its type's JSON Schema or by what it names; one error per JSON pointer
 * (`/configuration/host`), so a client can mark every field at once.
 */
export class AdapterConfigurationError extends AppError {
  readonly status = 422;
  readonly code = 'configuration_invalid';
  readonly title = 'The adapter configuration is not valid';

  constructor(errors: ProblemFieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.errors.push(...errors);
  }

  static of(path: string, message: string, code = 'invalid'): AdapterConfigurationError {
    return new AdapterConfigurationError([{ path, message, code }]);
  }
}
