import Ajv, {
  type AnySchemaObject,
  type ErrorObject,
  type Options,
  type ValidateFunction,
} from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';

import { addLinearFormats } from './json-formats';
import { linearRegExp } from './json-regexp';

/**
 * The one ajv set-up, used by the compiler on the main thread and by the JSON Schema validator
 * workers (json-validator.worker.ts), so both validate alike. Framework-free, and free of path
 * aliases: the worker loads it on its own.
 */

export type JsonSchemaDraft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

/** What ajv needs to build a validator: every document, and the main one's URI. */
export interface AjvInput {
  draft: JsonSchemaDraft;
  /** Each schema document, with the key it is added under (none: its own `$id`). */
  schemas: { schema: unknown; key?: string }[];
  main: string;
}

const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  validateSchema: false,
  addUsedSchema: false,
  // `pattern` and `patternProperties` on RE2: linear time, whatever the pattern.
  code: { regExp: linearRegExp },
};

export function createAjv(draft: JsonSchemaDraft): Ajv {
  let ajv: Ajv;
  switch (draft) {
    case 'draft-04':
      ajv = new AjvDraft04(AJV_OPTIONS);
      break;
    case '2019-09':
      ajv = new Ajv2019(AJV_OPTIONS);
      ajv.addMetaSchema(draft07);
      break;
    case '2020-12':
      ajv = new Ajv2020(AJV_OPTIONS);
      ajv.addMetaSchema(draft07);
      break;
    default:
      ajv = new Ajv(AJV_OPTIONS);
  }
  if (draft === 'draft-06' || draft === 'draft-07') ajv.addMetaSchema(draft06);
  addLinearFormats(ajv);
  return ajv;
}

/** Adds every document to `ajv` and compiles the main one (throws what ajv throws). */
export function buildValidator(ajv: Ajv, input: AjvInput): ValidateFunction | undefined {
  for (const { schema, key } of input.schemas) {
    ajv.addSchema(schema as AnySchemaObject, key, undefined, false);
  }
  return ajv.getSchema(input.main);
}

/** ajv's message with the parameter that makes it useful (which property, which values). */
export function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `must not have the property "${String(params['additionalProperty'])}"`;
    case 'required':
      return `must have the property "${String(params['missingProperty'])}"`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** A JSON payload problem: the JSON pointer of the offending value. */
export interface JsonPayloadError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface JsonValidationResult {
  valid: boolean;
  errors: JsonPayloadError[];
}

/** Runs a compiled validator on a parsed value; a stack overflow is an answer, not a crash. */
export function runValidator(
  validate: ValidateFunction,
  value: unknown,
  maxErrors: number,
): JsonValidationResult {
  let valid: boolean;
  try {
    valid = validate(value);
  } catch (error) {
    // A parsed value (from the HTTP body) is not depth-checked; ajv recursing into a deep
    // recursive structure runs out of stack, which is an answer, not a crash.
    if (!(error instanceof RangeError)) throw error;
    return {
      valid: false,
      errors: [{ path: '', message: 'the document is nested too deeply to validate' }],
    };
  }
  if (valid) return { valid: true, errors: [] };
  const errors = (validate.errors ?? []).slice(0, maxErrors);
  return {
    valid: false,
    errors: errors.map((e) => ({ path: e.instancePath || '/', message: describeError(e) })),
  };
}
