import { type Element } from 'libxmljs2';

import {
  xsdStructure,
  type CompiledSchema,
  type CompiledXsd,
  type SchemaEngine,
  type SchemaField,
} from '@integrixs/schema-engine';

import { type PayloadSide } from '../run/payload-io';
import { valueKind, type ValueKind } from './canonical-fields';

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/**
 * The value kind of every named type of a compiled XSD, by `{ns}name`, for
 * {@link CanonicalOptions.types}: the structure names only a field's declared type
 * (`AmountType`), while its typing comes from the built-in it finally derives from (UBL's
 * `AmountType` → `udt:AmountType` → `ccts-cct:AmountType` → `xs:decimal`). Lists and unions are
 * strings.
 */
export function xsdValueTypes(schema: CompiledXsd): Record<string, ValueKind> {
  const out: Record<string, ValueKind> = {};
  const visiting = new Set<string>();
  const kindOf = (ns: string | undefined, name: string): ValueKind => {
    if (ns === XSD_NS)
      return valueKind({ path: '', name: '', kind: 'element', type: `xs:${name}` }, {});
    const key = `{${ns ?? ''}}${name}`;
    if (out[key] || visiting.has(key)) return out[key] ?? 'string';
    const component = schema.model.type({ namespace: ns, name });
    if (!component) return 'string';
    visiting.add(key);
    const base = baseOf(component.el);
    out[key] = base ? kindOf(base.ns, base.name) : 'string';
    visiting.delete(key);
    return out[key];
  };
  for (const kind of ['simpleType', 'complexType'] as const) {
    for (const c of schema.model.list(kind)) kindOf(c.qname.namespace, c.qname.name);
  }
  return out;
}

/**
 * Expands fields an XSD structure cut short ({@link CanonicalOptions.expand}): UBL's Invoice
 * has far more fields than one tree holds, so deep aggregates are built on demand, `depth`
 * levels at a time, and cached by the caller.
 */
export function xsdExpander(
  schema: CompiledXsd,
  root: string,
  depth = 6,
): (field: SchemaField) => SchemaField | undefined {
  return (field) => {
    const tree = xsdStructure(schema, { root, under: field.path, maxDepth: depth }).roots[0];
    let node: SchemaField | undefined = tree;
    const steps = field.path.split('/').filter(Boolean).slice(1);
    for (const step of steps)
      node = node?.children?.find((c) => c.name === step && c.kind === 'element');
    return node && !node.truncated ? node : undefined;
  };
}

/** The base type of a simple type's restriction or a complex type's simple content. */
function baseOf(def: Element): { ns?: string; name: string } | undefined {
  const holder = def.name() === 'simpleType' ? def : xsChild(def, 'simpleContent');
  if (!holder) return undefined;
  const derivation = xsChild(holder, 'restriction') ?? xsChild(holder, 'extension');
  const value = derivation?.attr('base')?.value();
  if (!derivation || !value) return undefined;
  const colon = value.indexOf(':');
  const prefix = colon < 0 ? '' : value.slice(0, colon);
  const ns = derivation
    .namespaces()
    .find((n) => (n.prefix() ?? '') === prefix)
    ?.href();
  return { ns: ns || undefined, name: value.slice(colon + 1) };
}

function xsChild(el: Element, name: string): Element | undefined {
  return (el.childNodes() as Element[]).find(
    (n) => n.type() === 'element' && n.name() === name && n.namespace()?.href() === XSD_NS,
  );
}

/** How deep an XSD root is built up front; deeper fields are expanded on demand. */
const XSD_DEPTH = 3;

/**
 * What a mapping reads or writes at `root` of a compiled schema: the root field with the value
 * types (XML) and the on-demand expander of deep XSD structures; undefined when the schema has
 * no such root. The API (tests, previews) and the runtime (flows) build sides the same way.
 */
export function payloadSideOf(
  engine: Pick<SchemaEngine, 'structure'>,
  compiled: CompiledSchema,
  root: string | null,
): PayloadSide | undefined {
  const wanted = root ?? undefined;
  if (compiled.type === 'JSON_SCHEMA') {
    const field = engine.structure(compiled, { root: wanted }).roots[0];
    return field ? { format: 'JSON', root: field } : undefined;
  }
  if (compiled.type === 'WSDL') {
    const field = engine.structure(compiled, { root: wanted }).roots[0];
    if (!field) return undefined;
    const types = compiled.wsdl.schema ? xsdValueTypes(compiled.wsdl.schema) : undefined;
    return { format: 'XML', root: field, types };
  }
  const field = engine.structure(compiled, { root: wanted, maxDepth: XSD_DEPTH }).roots[0];
  if (!field) return undefined;
  const rootName = wanted ?? (field.namespace ? `{${field.namespace}}${field.name}` : field.name);
  return {
    format: 'XML',
    root: field,
    types: xsdValueTypes(compiled.xsd),
    expand: xsdExpander(compiled.xsd, rootName),
  };
}
