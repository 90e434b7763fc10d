import { type OpenAPIObject } from '@nestjs/swagger';

import {
  ADAPTER_CONFIG_KINDS,
  ADAPTER_CONFIG_SCHEMAS,
  type AdapterConfigKind,
  type JsonSchema,
} from '@integrixs/domain';

const NAMES: Record<AdapterConfigKind, string> = {
  FILE: 'FileAdapterConfiguration',
  SFTP: 'SftpAdapterConfiguration',
  FTP: 'FtpAdapterConfiguration',
  EMAIL: 'EmailAdapterConfiguration',
  HTTP: 'HttpAdapterConfiguration',
  SOAP: 'SoapAdapterConfiguration',
};

/** `$ref`s to every adapter type's configuration component (the `configuration` body field). */
export const ADAPTER_CONFIGURATION_REFS = ADAPTER_CONFIG_KINDS.map((kind) => ({
  $ref: `#/components/schemas/${NAMES[kind]}`,
}));

/**
 * A configuration JSON Schema as an OpenAPI 3.0 schema object: `$id` dropped, `const` as a
 * one-value enum, `true` as `{}`; `if/then/else` (not in 3.0) dropped, since the API validates
 * with the full JSON Schema anyway and only documentation reads this copy. `writeOnly` (the
 * secret fields) is OpenAPI's own keyword and stays.
 */
export function toOpenApi(node: unknown): unknown {
  if (node === true) return {};
  if (Array.isArray(node)) return node.map(toOpenApi);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if (['$id', '$schema', 'if', 'then', 'else'].includes(key)) continue;
    if (key === 'const') out['enum'] = [value];
    else if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([name, child]) => [name, toOpenApi(child)]),
      );
    else out[key] = toOpenApi(value);
  }
  const allOf = out['allOf'];
  if (Array.isArray(allOf)) {
    const kept = allOf.filter((s) => Object.keys(s as object).length > 0);
    if (kept.length === 0) delete out['allOf'];
    else out['allOf'] = kept;
  }
  return out;
}

/** Adds one component per adapter type's configuration schema to the OpenAPI document. */
export function addAdapterConfigurationSchemas(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  for (const kind of ADAPTER_CONFIG_KINDS) {
    document.components.schemas[NAMES[kind]] = {
      ...(toOpenApi(ADAPTER_CONFIG_SCHEMAS[kind]) as object),
      description: `Configuration of a ${kind} adapter (adapterType ${kind}); writeOnly fields are secrets.`,
    };
  }
  return document;
}
