import { type SchemaField } from '@integrixs/schema-engine';

/**
 * The conventions of the canonical JSON view of an XML document (see the README): what a schema
 * field is called in the JSON, whether it is an array, and how its text is typed. Both directions
 * (xml-to-json.ts, json-to-xml.ts) and the JSONata reference check use these, so they agree.
 */

/** Attribute `currencyID` → key `@currencyID`. */
export const ATTRIBUTE_PREFIX = '@';
/** The text of an element that also has attributes (declared by its type). */
export const TEXT_KEY = '#text';
/** Mixed content in document order: strings and `{ child: value }` objects. */
export const MIXED_KEY = '#mixed';

export type ValueKind = 'string' | 'number' | 'integer' | 'boolean';

const NUMBER_TYPES = new Set(['decimal', 'float', 'double']);
const INTEGER_TYPES = new Set([
  'integer',
  'int',
  'long',
  'short',
  'byte',
  'nonNegativeInteger',
  'positiveInteger',
  'nonPositiveInteger',
  'negativeInteger',
  'unsignedLong',
  'unsignedInt',
  'unsignedShort',
  'unsignedByte',
]);

export interface CanonicalOptions {
  /**
   * Named simple types (type label such as `QuantityType`, or `{ns}name`) → the value kind of the
   * XSD built-in they derive from. The structure names only the declared type, so a caller that
   * knows more (its schema model) says so here; built-ins (`xs:decimal`) are known already.
   */
  types?: Record<string, ValueKind>;
  /** `text`: every value stays a string (exact lexical round trip); default `typed`. */
  values?: 'typed' | 'text';
  /**
   * Expands a field the structure cut short (`truncated`: depth or size cap), e.g. with
   * {@link xsdExpander}; without it such content is read and written generically. `undefined`:
   * it cannot be expanded (remembered); `null`: not available yet (not remembered — a mapping
   * worker asks its caller for the expansion and reads the document again).
   */
  expand?: (field: SchemaField) => SchemaField | undefined | null;
}

const expansions = new WeakMap<SchemaField, SchemaField>();

/** The field itself, or its expansion when the structure cut it short. */
export function resolved(field: SchemaField, options: CanonicalOptions): SchemaField {
  if (!field.truncated || !options.expand) return field;
  let full = expansions.get(field);
  if (!full) {
    const expansion = options.expand(field);
    if (expansion === null) return field;
    full = expansion ?? field;
    expansions.set(field, full);
  }
  return full;
}

/** The value kind of an element's (or attribute's) text. */
export function valueKind(field: SchemaField, options: CanonicalOptions): ValueKind {
  if (options.values === 'text' || !field.type) return 'string';
  const named =
    options.types?.[field.type] ??
    (field.typeNamespace ? options.types?.[`{${field.typeNamespace}}${field.type}`] : undefined);
  if (named) return named;
  if (!field.type.startsWith('xs:')) return 'string';
  const local = field.type.slice(3);
  if (NUMBER_TYPES.has(local)) return 'number';
  if (INTEGER_TYPES.has(local)) return 'integer';
  return local === 'boolean' ? 'boolean' : 'string';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Digits of a decimal's mantissa without its leading zeros (`0.050` → 2, `100.00` → 5). */
function significantDigits(decimal: string): number {
  let count = 0;
  for (let i = 0; i < decimal.length; i++) {
    const c = decimal.charCodeAt(i);
    if (c === 0x65 || c === 0x45) break; // e, E: the exponent
    if (c < 0x30 || c > 0x39 || (count === 0 && c === 0x30)) continue; // sign, point, leading 0
    count++;
  }
  return count;
}

/** Text → typed value; text that a JS number cannot hold exactly stays a string. */
export function typedValue(text: string, kind: ValueKind): string | number | boolean {
  const trimmed = text.trim();
  switch (kind) {
    case 'boolean':
      if (trimmed === 'true' || trimmed === '1') return true;
      if (trimmed === 'false' || trimmed === '0') return false;
      return text;
    case 'integer': {
      const n = Number(trimmed);
      return /^[+-]?\d+$/.test(trimmed) && Number.isSafeInteger(n) ? n : text;
    }
    case 'number': {
      // More than 15 significant digits would not survive a JS number: keep the text.
      if (!DECIMAL.test(trimmed)) return text;
      const n = Number(trimmed);
      return Number.isFinite(n) && significantDigits(trimmed) <= 15 ? n : text;
    }
    default:
      return text;
  }
}

/** A typed value → XML text (decimals never in exponent form, which xs:decimal refuses). */
export function lexicalValue(value: unknown, kind: ValueKind): string {
  if (typeof value === 'number' && kind !== 'number' && kind !== 'integer') return String(value);
  if (typeof value === 'number') {
    const text = String(value);
    return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function isRepeating(field: SchemaField): boolean {
  return field.maxOccurs === 'unbounded' || (field.maxOccurs ?? 1) > 1;
}

export interface FieldChildren {
  /** JSON key → element field, in schema (sequence) order. */
  elements: Map<string, SchemaField>;
  /** JSON key (`@name`) → attribute field. */
  attributes: Map<string, SchemaField>;
  /** `{ns}local` → JSON key, for reading. */
  byQName: Map<string, string>;
  /** The type has an `xs:any` wildcard: unknown children are kept generically. */
  wildcard: boolean;
}

const childCache = new WeakMap<SchemaField, FieldChildren>();

/**
 * The children of a field under their JSON keys: local names, or `{ns}local` for the fields
 * whose local name clashes with a sibling's in another namespace.
 */
export function fieldChildren(field: SchemaField): FieldChildren {
  const cached = childCache.get(field);
  if (cached) return cached;
  const children = field.children ?? [];
  // Namespaces per local name: a clash is one name in two namespaces (a type derived by
  // extension may list an inherited attribute twice, in the same namespace: no clash).
  const spaces = new Map<string, Set<string>>();
  for (const c of children) {
    const key = (c.kind === 'attribute' ? ATTRIBUTE_PREFIX : '') + c.name;
    spaces.set(key, (spaces.get(key) ?? new Set()).add(c.namespace ?? ''));
  }
  const result: FieldChildren = {
    elements: new Map(),
    attributes: new Map(),
    byQName: new Map(),
    wildcard: false,
  };
  for (const c of children) {
    if (c.kind === 'any') {
      result.wildcard = true;
      continue;
    }
    const prefix = c.kind === 'attribute' ? ATTRIBUTE_PREFIX : '';
    const clash = (spaces.get(prefix + c.name)?.size ?? 0) > 1;
    const key = prefix + (clash ? `{${c.namespace ?? ''}}${c.name}` : c.name);
    const qname = `${prefix}{${c.namespace ?? ''}}${c.name}`;
    if (result.byQName.has(qname)) continue;
    (c.kind === 'attribute' ? result.attributes : result.elements).set(key, c);
    result.byQName.set(qname, key);
  }
  childCache.set(field, result);
  return result;
}

/**
 * The field whose children a field has: itself, or for a `recursive` field the ancestor with
 * the same type (the structure does not repeat a recursive type's subtree).
 */
export function expanded(field: SchemaField, ancestors: SchemaField[]): SchemaField {
  if (!field.recursive) return field;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.type === field.type && a.typeNamespace === field.typeNamespace && !a.recursive) return a;
  }
  return field;
}

/** Simple content with attributes: the element's JSON is an object with `#text`. */
export function hasAttributes(field: SchemaField): boolean {
  return fieldChildren(field).attributes.size > 0;
}

/** No element children and no wildcard: the element holds text (and maybe attributes). */
export function isSimple(field: SchemaField): boolean {
  const children = fieldChildren(field);
  return children.elements.size === 0 && !children.wildcard && !field.truncated;
}

/** The text of a libxmljs2 text or CDATA node (its typings declare `text()` on Element only). */
export function nodeText(node: object): string {
  return (node as { text(): string }).text();
}
