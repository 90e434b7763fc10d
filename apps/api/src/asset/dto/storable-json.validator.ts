import { ValidateBy, type ValidationOptions } from 'class-validator';

export const CONTENT_MAX_DEPTH = 64;

/** Why `value` cannot be stored as asset content (jsonb), or null when it can. */
export function storableJsonProblem(value: unknown, depth = 0): string | null {
  if (depth > CONTENT_MAX_DEPTH) return `is nested deeper than ${CONTENT_MAX_DEPTH} levels`;
  if (typeof value === 'string')
    return value.includes('\u0000') ? 'must not contain NUL characters' : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = storableJsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = storableJsonProblem(key, depth + 1) ?? storableJsonProblem(item, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** Asset content: any JSON value PostgreSQL jsonb can hold (no NUL in strings), nested ≤ 64 levels. */
export function IsStorableJson(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'storableJson',
      validator: {
        validate: (value: unknown) => storableJsonProblem(value) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'content'} ${storableJsonProblem(args?.value) ?? 'is not storable'}`,
      },
    },
    options,
  );
}
