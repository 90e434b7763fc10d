import type { ErrorObject, ValidateFunction } from 'ajv';

import type { ProblemFieldError } from '@integrixs/domain';

/**
 * Runs an ajv validator and answers its errors as field errors with JSON pointers under `base`:
 * a missing or unknown property is named by its own pointer, not its parent's. `if` errors are
 * left out (they only repeat the errors of their `then`).
 */
export function jsonSchemaFieldErrors(
  validate: ValidateFunction,
  value: unknown,
  base: string,
  unknownField = 'is not a field here',
): ProblemFieldError[] {
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e: ErrorObject) => {
      const params = e.params as { missingProperty?: string; additionalProperty?: string };
      const leaf = params.missingProperty ?? params.additionalProperty;
      const message =
        e.keyword === 'required'
          ? 'is required'
          : e.keyword === 'additionalProperties'
            ? unknownField
            : (e.message ?? 'is not valid');
      return {
        path: `${base}${e.instancePath}${leaf ? `/${leaf}` : ''}`,
        message,
        code: e.keyword,
      };
    });
}
