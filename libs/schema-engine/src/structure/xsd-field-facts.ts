import { type Element } from 'libxmljs2';

import {
  attr,
  childElements,
  firstChild,
  localNameOf,
  resolveQName,
  XSD_NS,
  type QName,
} from '../xsd/xsd-model';
import { type SchemaField } from './schema-structure';

/**
 * What one XSD declaration contributes to a structure field: its type label, occurrences,
 * documentation, enumeration and facets.
 */

const FACETS = [
  'length',
  'minLength',
  'maxLength',
  'pattern',
  'minInclusive',
  'maxInclusive',
  'minExclusive',
  'maxExclusive',
  'totalDigits',
  'fractionDigits',
];

export function typeLabel(type: QName): string {
  return type.namespace === XSD_NS ? `xs:${type.name}` : type.name;
}

export function occurs(el: Element): Pick<SchemaField, 'minOccurs' | 'maxOccurs'> {
  const min = attr(el, 'minOccurs');
  const max = attr(el, 'maxOccurs');
  return {
    minOccurs: min === undefined ? 1 : Number(min),
    maxOccurs: max === undefined ? 1 : max === 'unbounded' ? 'unbounded' : Number(max),
  };
}

const documentations = new WeakMap<Element, string | undefined>();

export function documentation(el: Element): string | undefined {
  if (documentations.has(el)) return documentations.get(el);
  const text = readDocumentation(el);
  documentations.set(el, text);
  return text;
}

function readDocumentation(el: Element): string | undefined {
  const annotation = firstChild(el, 'annotation', XSD_NS);
  const doc = annotation && firstChild(annotation, 'documentation', XSD_NS);
  const text = doc?.text().replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 1000) : undefined;
}

/** Facts of a simple type: its base, enumeration, facets (following named restriction bases). */
export function simpleFacts(
  simple: Element,
  lookUp: (q: QName) => Element | undefined,
  seen = new Set<Element>(),
): Pick<SchemaField, 'enum' | 'facets'> & { type?: string } {
  const restriction = firstChild(simple, 'restriction', XSD_NS);
  if (!restriction || seen.size > 20) return {};
  seen.add(simple);
  const base = resolveQName(restriction, attr(restriction, 'base'));
  const inherited = base && base.namespace !== XSD_NS ? lookUp(base) : undefined;
  const parent =
    inherited && localNameOf(inherited) === 'simpleType'
      ? simpleFacts(inherited, lookUp, seen)
      : {};
  const own = restrictionFacts(restriction);
  return {
    enum: own.enum ?? parent.enum,
    facets: parent.facets || own.facets ? { ...parent.facets, ...own.facets } : undefined,
  };
}

export function restrictionFacts(restriction: Element): Pick<SchemaField, 'enum' | 'facets'> {
  const values = childElements(restriction, 'enumeration', XSD_NS).map(
    (e) => attr(e, 'value') ?? '',
  );
  const facets: Record<string, string> = {};
  for (const facet of FACETS) {
    const el = firstChild(restriction, facet, XSD_NS);
    const value = el && attr(el, 'value');
    if (value !== undefined) facets[facet] = value;
  }
  return {
    ...(values.length > 0 ? { enum: values } : {}),
    ...(Object.keys(facets).length > 0 ? { facets } : {}),
  };
}
