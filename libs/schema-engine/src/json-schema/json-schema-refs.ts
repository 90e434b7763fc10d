import { type JsonSchemaDocument } from './json-schema-compiler';

/** Finding and resolving `$ref`s and `$id`s in JSON Schema documents, without ajv. */

/** Keywords whose value is one subschema, an array of them, or a map of them. */
const ONE = [
  'not',
  'if',
  'then',
  'else',
  'additionalProperties',
  'additionalItems',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
  'items',
];
const MANY = ['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems'];
const MAP = [
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'dependencies',
];

export interface FoundRef {
  doc: JsonSchemaDocument;
  pointer: string;
  ref: string;
  /** The `$ref` resolved against its base, without fragment. */
  target: string;
  fragment: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function idOf(schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  const id = schema['$id'] ?? schema['id'];
  return typeof id === 'string' && !id.startsWith('#') ? id : undefined;
}

export function stripFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}

export function resolveUri(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Value at a JSON pointer (`/definitions/a`), or undefined. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Every `$ref` in schema positions, with its base URI (changed by nested `$id`s). */
export function findRefs(doc: JsonSchemaDocument, idKey: string): FoundRef[] {
  const out: FoundRef[] = [];
  const visit = (node: unknown, pointer: string, base: string): void => {
    if (!isObject(node)) return;
    const id = node[idKey];
    const here =
      typeof id === 'string' && !id.startsWith('#') ? stripFragment(resolveUri(id, base)) : base;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const hash = ref.indexOf('#');
      const fragment = hash < 0 ? '' : decodeURIComponent(ref.slice(hash + 1));
      const target = hash === 0 ? here : stripFragment(resolveUri(ref, here));
      out.push({ doc, pointer: `${pointer}/$ref`, ref, target, fragment });
    }
    for (const key of ONE) if (isObject(node[key])) visit(node[key], `${pointer}/${key}`, here);
    for (const key of MANY) {
      const list = node[key];
      if (Array.isArray(list))
        list.forEach((item, i) => visit(item, `${pointer}/${key}/${i}`, here));
    }
    for (const key of MAP) {
      const map = node[key];
      if (!isObject(map)) continue;
      for (const [name, value] of Object.entries(map))
        visit(value, `${pointer}/${key}/${escapePointer(name)}`, here);
    }
  };
  visit(doc.schema, '', doc.uri);
  return out;
}

/** Every regular expression in schema positions: `pattern` values, `patternProperties` keys. */
export function findPatterns(schema: unknown): { pointer: string; pattern: string }[] {
  const out: { pointer: string; pattern: string }[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (!isObject(node)) return;
    if (typeof node['pattern'] === 'string') {
      out.push({ pointer: `${pointer}/pattern`, pattern: node['pattern'] });
    }
    if (isObject(node['patternProperties'])) {
      for (const pattern of Object.keys(node['patternProperties']))
        out.push({ pointer: `${pointer}/patternProperties/${escapePointer(pattern)}`, pattern });
    }
    for (const key of ONE) if (isObject(node[key])) visit(node[key], `${pointer}/${key}`);
    for (const key of MANY) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((item, i) => visit(item, `${pointer}/${key}/${i}`));
    }
    for (const key of MAP) {
      const map = node[key];
      if (!isObject(map)) continue;
      for (const [name, value] of Object.entries(map))
        visit(value, `${pointer}/${key}/${escapePointer(name)}`);
    }
  };
  visit(schema, '');
  return out;
}

/** A document containing a subschema with this `$id`. */
export function embeddedId(
  documents: Map<string, JsonSchemaDocument>,
  uri: string,
  idKey: string,
): JsonSchemaDocument | undefined {
  for (const doc of documents.values()) {
    let found = false;
    const visit = (node: unknown, base: string): void => {
      if (found || typeof node !== 'object' || node === null) return;
      if (isObject(node) && typeof node[idKey] === 'string') {
        const id = stripFragment(resolveUri(node[idKey], base));
        if (id === uri) {
          found = true;
          return;
        }
        base = id || base;
      }
      for (const value of Object.values(node as Record<string, unknown>)) visit(value, base);
    };
    visit(doc.schema, doc.uri);
    if (found) return doc;
  }
  return undefined;
}
