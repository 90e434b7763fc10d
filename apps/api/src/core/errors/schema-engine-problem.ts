import {
  PayloadTooComplexError,
  problemLocation,
  SchemaInvalidError,
  type SchemaProblem,
} from '@integrixs/schema-engine';

import { type ProblemParts } from './problem-mapper';

/**
 * The schema engine (libs/schema-engine) throws plain errors, since it knows nothing of HTTP and
 * the worker uses it too; this is where the API gives them their answers. A schema that cannot be
 * accepted is a 422 with one `errors` entry per problem (path = where it is) and the structured
 * list under `problems`; a payload that validates too long is a 422 as well.
 */
export function schemaEngineProblem(error: unknown): ProblemParts | undefined {
  if (error instanceof SchemaInvalidError) {
    return {
      status: 422,
      code: 'schema_invalid',
      title: 'The schema is not valid',
      detail: error.message,
      errors: error.problems.map((p: SchemaProblem) => ({
        path: problemLocation(p),
        message: p.message,
        code: p.code,
      })),
      extensions: { problems: error.problems },
    };
  }
  if (error instanceof PayloadTooComplexError) {
    return {
      status: 422,
      code: 'payload_too_complex',
      title: 'The payload is too complex to validate',
      detail: error.message,
    };
  }
  return undefined;
}
