import { type Document, type Element } from 'libxmljs2';

/** Reading XSD (and WSDL) documents parsed by libxmljs2: names, QNames, top-level components. */

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

export interface QName {
  /** Absent for no namespace. */
  namespace?: string;
  name: string;
}

/** `{namespace}name`, or just `name` without a namespace. */
export function clark(q: QName): string {
  return q.namespace ? `{${q.namespace}}${q.name}` : q.name;
}

interface ElementInfo {
  name: string;
  namespace: string;
}

/**
 * libxmljs2 hands out one wrapper per node, so facts about elements can be cached: structure
 * trees visit the same type definitions thousands of times (UBL), and every native call costs.
 */
const infos = new WeakMap<Element, ElementInfo>();
const children = new WeakMap<Element, Element[]>();

function info(el: Element): ElementInfo {
  let known = infos.get(el);
  if (!known) {
    known = { name: el.name(), namespace: el.namespace()?.href() ?? '' };
    infos.set(el, known);
  }
  return known;
}

/** Element children of `el`, optionally only those with this local name and namespace. */
export function childElements(el: Element, localName?: string, namespace?: string): Element[] {
  let all = children.get(el);
  if (!all) {
    all = el.childNodes().filter((node) => node.type() === 'element') as Element[];
    children.set(el, all);
  }
  if (localName === undefined && namespace === undefined) return all;
  return all.filter((child) => {
    const { name, namespace: ns } = info(child);
    return (
      (localName === undefined || name === localName) &&
      (namespace === undefined || ns === namespace)
    );
  });
}

export function firstChild(
  el: Element,
  localName: string,
  namespace?: string,
): Element | undefined {
  return childElements(el, localName, namespace)[0];
}

const attributes = new WeakMap<Element, Map<string, string | undefined>>();

export function attr(el: Element, name: string): string | undefined {
  let known = attributes.get(el);
  if (!known) {
    known = new Map();
    attributes.set(el, known);
  }
  if (!known.has(name)) known.set(name, el.attr(name)?.value());
  return known.get(name);
}

export function namespaceOf(el: Element): string {
  return info(el).namespace;
}

export function localNameOf(el: Element): string {
  return info(el).name;
}

/** In-scope namespaces of each document's root element, by prefix ('' for the default). */
const rootNamespaces = new WeakMap<Element, Map<string, string>>();

function namespacesAtRoot(root: Element): Map<string, string> {
  let map = rootNamespaces.get(root);
  if (!map) {
    map = new Map(root.namespaces().map((ns) => [ns.prefix() ?? '', ns.href()]));
    rootNamespaces.set(root, map);
  }
  return map;
}

/** The namespace bound to `prefix` at `el` (declarations on the way up, then the root's). */
function lookupPrefix(el: Element, prefix: string): string | undefined {
  for (let node: Element | null = el; node;) {
    const parent = node.parent();
    if (!parent || parent.type() === 'document') return namespacesAtRoot(node).get(prefix);
    for (const ns of node.namespaces(true)) {
      if ((ns.prefix() ?? '') === prefix) return ns.href();
    }
    node = parent as Element;
  }
  return undefined;
}

const qnames = new WeakMap<Element, Map<string, QName>>();

/** Resolves a QName-valued attribute (`tns:Foo`) with the namespaces in scope at `el`. */
export function resolveQName(el: Element, value: string | undefined): QName | undefined {
  if (!value) return undefined;
  let known = qnames.get(el);
  if (!known) {
    known = new Map();
    qnames.set(el, known);
  }
  let qname = known.get(value);
  if (!qname) {
    qname = resolveUncached(el, value);
    known.set(value, qname);
  }
  return qname;
}

function resolveUncached(el: Element, value: string): QName {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const prefix = colon < 0 ? '' : trimmed.slice(0, colon);
  const name = colon < 0 ? trimmed : trimmed.slice(colon + 1);
  const namespace = lookupPrefix(el, prefix);
  if (namespace !== undefined) return { namespace: namespace || undefined, name };
  if (prefix === 'xml') return { namespace: 'http://www.w3.org/XML/1998/namespace', name };
  // No default namespace in scope: unprefixed means no namespace. A missing prefix: keep it
  // visible so the caller can report it.
  return prefix === '' ? { name } : { namespace: `urn:undeclared-prefix:${prefix}`, name };
}

export const XSD_BUILTIN_TYPES = new Set([
  'anyType',
  'anySimpleType',
  'string',
  'normalizedString',
  'token',
  'language',
  'Name',
  'NCName',
  'ID',
  'IDREF',
  'IDREFS',
  'ENTITY',
  'ENTITIES',
  'NMTOKEN',
  'NMTOKENS',
  'boolean',
  'base64Binary',
  'hexBinary',
  'float',
  'double',
  'decimal',
  'integer',
  'nonPositiveInteger',
  'negativeInteger',
  'long',
  'int',
  'short',
  'byte',
  'nonNegativeInteger',
  'unsignedLong',
  'unsignedInt',
  'unsignedShort',
  'unsignedByte',
  'positiveInteger',
  'duration',
  'dateTime',
  'time',
  'date',
  'gYearMonth',
  'gYear',
  'gMonthDay',
  'gDay',
  'gMonth',
  'anyURI',
  'QName',
  'NOTATION',
]);

export function isBuiltinType(q: QName): boolean {
  return q.namespace === XSD_NS && XSD_BUILTIN_TYPES.has(q.name);
}

export type XsdComponentKind =
  'element' | 'complexType' | 'simpleType' | 'group' | 'attributeGroup' | 'attribute';

const COMPONENT_KINDS = new Set<string>([
  'element',
  'complexType',
  'simpleType',
  'group',
  'attributeGroup',
  'attribute',
]);

/** One schema document of a compiled set. */
export interface XsdDocument {
  /** Where it is, for messages: a bundle path, or `library:<ref>/<path>`. */
  file: string;
  doc: Document;
  /** The `xs:schema` element (the document root, or embedded in a WSDL). */
  schema: Element;
  /** Effective target namespace (an included schema without one takes the includer's). */
  targetNamespace?: string;
  /** `qualified` or `unqualified` for local elements / attributes. */
  elementFormDefault: string;
  attributeFormDefault: string;
}

export interface XsdComponent {
  kind: XsdComponentKind;
  qname: QName;
  el: Element;
  doc: XsdDocument;
}

/** The top-level components of a set of schema documents, by kind and QName. */
export class XsdModel {
  private readonly components = new Map<string, XsdComponent>();

  constructor(readonly documents: XsdDocument[]) {
    for (const doc of documents) {
      for (const child of childElements(doc.schema, undefined, XSD_NS)) {
        // Components inside xs:redefine replace the redefined ones.
        const holders =
          child.name() === 'redefine' ? childElements(child, undefined, XSD_NS) : [child];
        for (const el of holders) this.index(doc, el);
      }
    }
  }

  private index(doc: XsdDocument, el: Element): void {
    const kind = localNameOf(el);
    const name = attr(el, 'name');
    if (!COMPONENT_KINDS.has(kind) || !name) return;
    const qname = { namespace: doc.targetNamespace, name };
    this.components.set(`${kind} ${clark(qname)}`, {
      kind: kind as XsdComponentKind,
      qname,
      el,
      doc,
    });
  }

  get(kind: XsdComponentKind, qname: QName): XsdComponent | undefined {
    return this.components.get(`${kind} ${clark(qname)}`);
  }

  /** A type (complex or simple) by QName. */
  type(qname: QName): XsdComponent | undefined {
    return this.get('complexType', qname) ?? this.get('simpleType', qname);
  }

  hasType(qname: QName): boolean {
    return isBuiltinType(qname) || this.type(qname) !== undefined;
  }

  list(kind: XsdComponentKind, namespace?: string | null): XsdComponent[] {
    const out: XsdComponent[] = [];
    for (const component of this.components.values()) {
      if (component.kind !== kind) continue;
      if (namespace !== undefined && (component.qname.namespace ?? null) !== (namespace ?? null)) {
        continue;
      }
      out.push(component);
    }
    return out;
  }
}
