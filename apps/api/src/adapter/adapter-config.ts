import Ajv, { type ValidateFunction } from 'ajv';

import {
  ADAPTER_CONFIG_KINDS,
  ADAPTER_CONFIG_SCHEMAS,
  secretPointers,
  type AdapterConfigKind,
} from '@integrixs/domain';
import { mergeOverlay, setAt, valueAt, type Config } from '@integrixs/runtime';

import { jsonSchemaFieldErrors } from '../core/http/json-schema-errors';
import { AdapterConfigurationError } from './adapter-errors';

// The pure overlay helpers live in @integrixs/runtime (the worker merges overlays too).
export { mergeOverlay, setAt, valueAt, type Config };

/** Strict (the schemas are checked to hold it in libs/domain) and every error, not the first. */
const ajv = new Ajv({ allErrors: true, strict: true });
const VALIDATORS = Object.fromEntries(
  ADAPTER_CONFIG_KINDS.map((kind) => [kind, ajv.compile(ADAPTER_CONFIG_SCHEMAS[kind])]),
) as Record<AdapterConfigKind, ValidateFunction>;

/** JSON pointers of each kind's secret (`writeOnly`) fields. */
export const SECRET_POINTERS = Object.fromEntries(
  ADAPTER_CONFIG_KINDS.map((kind) => [kind, secretPointers(ADAPTER_CONFIG_SCHEMAS[kind])]),
) as Record<AdapterConfigKind, string[]>;

const isObject = (value: unknown): value is Config =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema's errors as pointers under `base`; `if` errors only repeat their `then` errors. */
export function configurationErrors(kind: AdapterConfigKind, config: unknown, base: string) {
  return jsonSchemaFieldErrors(
    VALIDATORS[kind],
    config,
    base,
    'is not a field of this adapter type',
  );
}

/** 422 naming every wrong or missing field of `config`, with pointers under `base`. */
export function assertValidConfiguration(kind: AdapterConfigKind, config: unknown, base: string) {
  const errors = configurationErrors(kind, config, base);
  if (errors.length > 0) throw new AdapterConfigurationError(errors);
}

const segments = (pointer: string) => pointer.split('/').slice(1);

function removeAt(config: Config, pointer: string): void {
  const keys = segments(pointer);
  let node: unknown = config;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node)) return;
    node = node[key];
  }
  if (isObject(node)) delete node[keys[keys.length - 1]];
}

/** A deep copy of plain JSON. */
export const copyOf = <T>(value: T): T => structuredClone(value);

/**
 * Takes the secret fields out of a configuration: their values (strings) become `secrets` by
 * pointer; a `{ "set": true }` placeholder (what GET shows) means "keep what is stored" and is
 * just removed. What is left is the configuration that may be versioned.
 */
export function splitConfiguration(
  kind: AdapterConfigKind,
  configuration: Config,
): { config: Config; secrets: Record<string, string>; placeholders: string[] } {
  const config = copyOf(configuration);
  const secrets: Record<string, string> = {};
  const placeholders: string[] = [];
  for (const pointer of SECRET_POINTERS[kind]) {
    const value = valueAt(config, pointer);
    if (value === undefined) continue;
    if (isObject(value) && value['set'] === true && Object.keys(value).length === 1) {
      placeholders.push(pointer);
    } else if (typeof value === 'string') {
      secrets[pointer] = value;
    } else {
      continue; // left in place: the schema refuses it with its pointer
    }
    removeAt(config, pointer);
  }
  return { config, secrets, placeholders };
}

/** The configuration as responses show it: `{ "set": true }` where a secret is stored. */
export function maskSecrets(config: Config, setPointers: Iterable<string>): Config {
  const masked = copyOf(config);
  for (const pointer of setPointers) setAt(masked, pointer, { set: true });
  return masked;
}

/** Overlay and configuration values are plain JSON objects; anything else is refused. */
export function asConfig(value: unknown, path: string): Config {
  if (!isObject(value)) throw AdapterConfigurationError.of(path, 'must be a JSON object', 'type');
  return value;
}
