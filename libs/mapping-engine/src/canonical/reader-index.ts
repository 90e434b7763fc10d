import { type SchemaField } from '@integrixs/schema-engine';

import {
  ATTRIBUTE_PREFIX,
  fieldChildren,
  hasAttributes,
  isRepeating,
  isSimple,
  valueKind,
  type CanonicalOptions,
  type ValueKind,
} from './canonical-fields';

/**
 * Lookups the streaming reader (xml-reader.ts) makes for every element and attribute, answered
 * once per field and remembered: what a child called `{ns}local` is under a field, and how a
 * field's text is typed. Namespaces and names are looked up as they come from the parser, so
 * no `{ns}local` string is built per element.
 */

export interface Child {
  /** Its key in the parent's JSON. */
  key: string;
  /** Its field, when the structure has one. */
  field: SchemaField | undefined;
  repeating: boolean;
  /**
   * The field is read as it is (not cut short, not recursive, not a wildcard): `simple` and
   * `attributes` then hold for it, without resolving or expanding it first.
   */
  plain: boolean;
  simple: boolean;
  attributes: boolean;
  /** Its namespace ('' for none) and local name, to recognise it without a lookup. */
  ns: string;
  local: string;
  /** The sibling that followed it last time: documents follow the schema's order. */
  next: Child | undefined;
}

export interface ChildIndex {
  byNs: Map<string, Map<string, Child>>;
  /** The first child last time. */
  first: Child | undefined;
}

const elementIndex = new WeakMap<SchemaField, ChildIndex>();
const attributeIndex = new WeakMap<SchemaField, ChildIndex>();

/** The index of a field's child elements (a reader keeps it for the element it is in). */
export function elementsOf(field: SchemaField): ChildIndex {
  return indexOf(elementIndex, field);
}

/**
 * A child element `{ns}local` of `parent` (`index` = elementsOf(parent)) that follows
 * `previous` (undefined: the first child): the sibling that followed `previous` last time is
 * checked first, then the index.
 */
export function childOf(
  index: ChildIndex,
  parent: SchemaField,
  ns: string | undefined,
  local: string,
  previous: Child | undefined,
): Child {
  const guess = previous ? previous.next : index.first;
  if (guess !== undefined && guess.local === local && guess.ns === (ns ?? '')) return guess;
  const byLocal = byNamespace(index.byNs, ns ?? '');
  let child = byLocal.get(local);
  if (!child) {
    const children = fieldChildren(parent);
    const known = children.byQName.get(`{${ns ?? ''}}${local}`);
    child = describe(
      known ?? localKey(ns, local, parent.namespace),
      known ? children.elements.get(known) : undefined,
      ns ?? '',
      local,
    );
    byLocal.set(local, child);
  }
  if (previous) previous.next = child;
  else index.first = child;
  return child;
}

/** An attribute `{ns}local` (`ns` '' for none) of `parent`: its key and declared field. */
export function attributeOf(parent: SchemaField, ns: string, local: string): Child {
  const byLocal = byNamespace(indexOf(attributeIndex, parent).byNs, ns);
  let child = byLocal.get(local);
  if (!child) {
    const children = fieldChildren(parent);
    const known = children.byQName.get(`${ATTRIBUTE_PREFIX}{${ns}}${local}`);
    child = describe(
      known ?? ATTRIBUTE_PREFIX + (ns ? `{${ns}}` : '') + local,
      known ? children.attributes.get(known) : undefined,
      ns,
      local,
    );
    byLocal.set(local, child);
  }
  return child;
}

/** The document element, described as a child. */
export function rootChild(root: SchemaField): Child {
  return describe('', root, root.namespace ?? '', root.name);
}

function describe(key: string, field: SchemaField | undefined, ns: string, local: string): Child {
  const plain = !!field && !field.truncated && !field.recursive && field.kind !== 'any';
  return {
    key,
    field,
    repeating: !!field && isRepeating(field),
    plain,
    simple: plain && isSimple(field),
    attributes: plain && hasAttributes(field),
    ns,
    local,
    next: undefined,
  };
}

const kinds = new WeakMap<
  SchemaField,
  { types: CanonicalOptions['types']; values: CanonicalOptions['values']; kind: ValueKind }
>();

/** valueKind, remembered per field for the same `types` and `values` options. */
export function kindOf(field: SchemaField, options: CanonicalOptions): ValueKind {
  const cached = kinds.get(field);
  if (cached && cached.types === options.types && cached.values === options.values) {
    return cached.kind;
  }
  const kind = valueKind(field, options);
  kinds.set(field, { types: options.types, values: options.values, kind });
  return kind;
}

/** A child the structure does not name: its local name, `{ns}local` outside the parent's namespace. */
export function localKey(
  ns: string | undefined,
  local: string,
  parentNs: string | undefined,
): string {
  return ns === parentNs ? local : `{${ns ?? ''}}${local}`;
}

function indexOf(index: WeakMap<SchemaField, ChildIndex>, field: SchemaField): ChildIndex {
  let found = index.get(field);
  if (!found)
    index.set(field, (found = { byNs: new Map<string, Map<string, Child>>(), first: undefined }));
  return found;
}

function byNamespace(index: ChildIndex['byNs'], ns: string): Map<string, Child> {
  let byLocal = index.get(ns);
  if (!byLocal) index.set(ns, (byLocal = new Map<string, Child>()));
  return byLocal;
}
