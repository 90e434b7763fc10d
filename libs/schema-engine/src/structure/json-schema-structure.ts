import { type CompiledJsonSchema } from '../json-schema/json-schema-compiler';
import { resolvePointer } from '../json-schema/json-schema-refs';
import { type SchemaField, type SchemaStructure, type StructureOptions } from './schema-structure';
import { cutShort } from './structure-focus';

const DEFAULTS: StructureOptions = { maxDepth: 16, maxNodes: 20_000 };

type Json = Record<string, unknown>;

const JSON_FACETS = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'multipleOf',
  'const',
];

/** Structure of a JSON Schema: properties, items, required, with `$ref`/`allOf`/`oneOf` resolved. */
export function jsonSchemaStructure(
  schema: CompiledJsonSchema,
  options: Partial<StructureOptions> = {},
): SchemaStructure {
  const caps = { ...DEFAULTS, ...options };
  const main = schema.documents.get(schema.uri);
  let nodes = 0;

  /** Follows `$ref`s: the schema object and its base URI. */
  const deref = (
    node: unknown,
    base: string,
    seen: Set<unknown>,
  ): { node: Json; base: string; recursive: boolean } | undefined => {
    let current = node;
    let currentBase = base;
    for (
      let hops = 0;
      isObject(current) && typeof current['$ref'] === 'string' && hops < 32;
      hops++
    ) {
      const ref = current['$ref'];
      const hash = ref.indexOf('#');
      const uri =
        hash === 0 ? currentBase : safeResolve(hash < 0 ? ref : ref.slice(0, hash), currentBase);
      const doc = schema.documents.get(uri);
      if (!doc) return undefined;
      const fragment = hash < 0 ? '' : decodeURIComponent(ref.slice(hash + 1));
      const target = fragment.startsWith('/')
        ? resolvePointer(doc.schema, fragment)
        : fragment === ''
          ? doc.schema
          : undefined;
      if (!isObject(target)) return undefined;
      if (seen.has(target)) return { node: target, base: doc.uri, recursive: true };
      current = target;
      currentBase = doc.uri;
    }
    return isObject(current) ? { node: current, base: currentBase, recursive: false } : undefined;
  };

  const build = (
    raw: unknown,
    name: string,
    path: string,
    base: string,
    depth: number,
    seen: Set<unknown>,
    required?: boolean,
  ): SchemaField => {
    nodes += 1;
    const field: SchemaField = {
      path,
      name,
      kind: name === '[]' ? 'items' : 'property',
      ...(required !== undefined ? { required } : {}),
    };
    const resolved = deref(raw, base, seen);
    if (!resolved) return field;
    if (resolved.recursive) return { ...field, ...describe(resolved.node), recursive: true };
    const { node } = resolved;
    const here =
      typeof node['$id'] === 'string' ? safeResolve(node['$id'], resolved.base) : resolved.base;
    Object.assign(field, describe(node));
    if (cutShort(path, depth, nodes, caps)) return { ...field, truncated: true };
    const inner = new Set(seen).add(node);

    // allOf merges; oneOf/anyOf add their members' properties as alternatives
    const parts: { node: Json; base: string; choice: boolean }[] = [
      { node, base: here, choice: false },
    ];
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      const list = node[key];
      if (!Array.isArray(list)) continue;
      for (const member of list) {
        const m = deref(member, here, inner);
        if (m && !m.recursive) parts.push({ node: m.node, base: m.base, choice: key !== 'allOf' });
      }
    }
    const children = new Map<string, SchemaField>();
    for (const part of parts) {
      const requiredList = Array.isArray(part.node['required'])
        ? (part.node['required'] as string[])
        : [];
      const properties = isObject(part.node['properties']) ? part.node['properties'] : {};
      for (const [prop, value] of Object.entries(properties)) {
        if (children.has(prop)) continue;
        const child = build(
          value,
          prop,
          `${path}/${prop}`,
          part.base,
          depth + 1,
          inner,
          requiredList.includes(prop) && !part.choice,
        );
        if (part.choice) child.choice = true;
        children.set(prop, child);
      }
      if (!field.type && part !== parts[0]) {
        const t = describe(part.node).type;
        if (t) field.type = t;
      }
    }
    const items = node['items'];
    if (isObject(items))
      children.set('[]', build(items, '[]', `${path}[]`, here, depth + 1, inner));
    const additional = node['additionalProperties'];
    if (isObject(additional))
      children.set('*', build(additional, '*', `${path}/*`, here, depth + 1, inner));
    if (children.size > 0) field.children = [...children.values()];
    return field;
  };

  const root = main ? build(main.schema, '', '', main.uri, 0, new Set()) : undefined;
  return { type: 'JSON_SCHEMA', roots: root ? [{ ...root, path: '/', name: '/' }] : [] };
}

function describe(node: Json): Partial<SchemaField> {
  const type = node['type'];
  const label = Array.isArray(type)
    ? type.join('|')
    : typeof type === 'string'
      ? type
      : isObject(node['properties'])
        ? 'object'
        : node['items'] !== undefined
          ? 'array'
          : undefined;
  const facets: Record<string, string> = {};
  for (const key of JSON_FACETS) {
    const value = node[key];
    if (value !== undefined)
      facets[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const doc =
    typeof node['description'] === 'string'
      ? node['description']
      : typeof node['title'] === 'string'
        ? node['title']
        : undefined;
  return {
    ...(label ? { type: label } : {}),
    ...(doc ? { documentation: doc.slice(0, 1000) } : {}),
    ...(Array.isArray(node['enum'])
      ? {
          enum: (node['enum'] as unknown[]).map((v) =>
            typeof v === 'string' ? v : JSON.stringify(v),
          ),
        }
      : {}),
    ...(Object.keys(facets).length > 0 ? { facets } : {}),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeResolve(ref: string, base: string): string {
  try {
    const url = new URL(ref, base).href;
    const hash = url.indexOf('#');
    return hash < 0 ? url : url.slice(0, hash);
  } catch {
    return ref;
  }
}
