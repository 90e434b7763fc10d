import { type Element, type Node } from 'libxmljs2';

import { XmlSafety, type SchemaField } from '@integrixs/schema-engine';

import { CanonicalError } from './canonical-error';
import {
  ATTRIBUTE_PREFIX,
  expanded,
  fieldChildren,
  hasAttributes,
  isRepeating,
  isSimple,
  MIXED_KEY,
  nodeText,
  resolved,
  TEXT_KEY,
  typedValue,
  valueKind,
  type CanonicalOptions,
} from './canonical-fields';

/**
 * XML → the canonical JSON view, driven by the schema structure (conventions in the README):
 * the JSON is the content of the document element; children by local name (`{ns}name` only
 * when two siblings clash); repeating elements always arrays; attributes `@name`; the text of
 * an element whose type declares attributes under `#text`; mixed content as `#mixed`; values
 * typed from the schema's simple types. Parsing goes through the schema engine's XmlSafety
 * (size cap, no DTD/entities/XInclude, no network).
 */

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export function xmlToJson(
  xml: string,
  root: SchemaField,
  options: CanonicalOptions & { safety?: XmlSafety } = {},
): JsonValue {
  const parsed = (options.safety ?? new XmlSafety()).parse(xml, 'payload');
  if (!parsed.doc || parsed.problems.length > 0) {
    const p = parsed.problems[0];
    throw new CanonicalError(
      `the payload is not accepted as XML: ${p?.message ?? 'no document element'}`,
      p?.line !== undefined ? `line ${p.line}` : '/',
    );
  }
  const element = parsed.doc.root();
  if (!element) throw new CanonicalError('the payload has no document element', '/');
  const ns = element.namespace()?.href() ?? undefined;
  if (element.name() !== root.name || (root.namespace ?? undefined) !== ns) {
    throw new CanonicalError(
      `the document element is {${ns ?? ''}}${element.name()}; the schema expects {${root.namespace ?? ''}}${root.name}`,
      root.path,
    );
  }
  return new Reader(options).element(element, root, []);
}

class Reader {
  constructor(private readonly options: CanonicalOptions) {}

  element(el: Element, cut: SchemaField | undefined, ancestors: SchemaField[]): JsonValue {
    if (isNil(el)) return null;
    const declared = cut && resolved(cut, this.options);
    if (!declared || declared.truncated || declared.kind === 'any') {
      return generic(el, el.namespace()?.href() ?? undefined);
    }
    const field = expanded(declared, ancestors);
    if (isSimple(field)) {
      const value = this.text(el, field);
      if (!hasAttributes(field)) return value;
      return { ...this.attributes(el, field), [TEXT_KEY]: value };
    }
    const out: JsonObject = this.attributes(el, field);
    const children = fieldChildren(field);
    const nodes = el.childNodes();
    const mixed = nodes.some((n) => isText(n) && nodeText(n).trim() !== '');
    const path = [...ancestors, field];
    if (mixed) {
      out[MIXED_KEY] = nodes.flatMap((n): JsonValue[] => {
        if (isText(n)) return [nodeText(n)];
        if (n.type() !== 'element') return [];
        const child = n as Element;
        const known = children.byQName.get(qname(child));
        const key = known ?? localKey(child, field.namespace);
        const childField = known ? children.elements.get(known) : undefined;
        return [{ [key]: this.element(child, childField, path) }];
      });
      return out;
    }
    for (const node of nodes) {
      if (node.type() !== 'element') continue;
      const child = node as Element;
      const known = children.byQName.get(qname(child));
      const key = known ?? localKey(child, field.namespace);
      const childField = known ? children.elements.get(known) : undefined;
      const value = this.element(child, childField, path);
      const existing = out[key];
      if (childField && isRepeating(childField)) {
        if (Array.isArray(existing)) existing.push(value);
        else out[key] = [value];
      } else if (existing !== undefined) {
        // Declared single but repeated (a repeating group around it): keep every occurrence.
        out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
      } else {
        out[key] = value;
      }
    }
    return out;
  }

  private text(el: Element, field: SchemaField): JsonValue {
    const kind = valueKind(field, this.options);
    const text = el.text();
    if (text === '' && kind !== 'string') return null;
    return typedValue(text, kind);
  }

  private attributes(el: Element, field: SchemaField): JsonObject {
    const out: JsonObject = {};
    const children = fieldChildren(field);
    for (const a of el.attrs()) {
      const ns = a.namespace()?.href();
      if (ns === XSI_NS) continue;
      const known = children.byQName.get(`${ATTRIBUTE_PREFIX}{${ns ?? ''}}${a.name()}`);
      const declared = known ? children.attributes.get(known) : undefined;
      out[known ?? ATTRIBUTE_PREFIX + (ns ? `{${ns}}` : '') + a.name()] = declared
        ? typedValue(a.value(), valueKind(declared, this.options))
        : a.value();
    }
    return out;
  }
}

/** An element the structure does not describe: kept by its instance, every value a string. */
function generic(el: Element, ns: string | undefined): JsonValue {
  const out: JsonObject = {};
  for (const a of el.attrs()) {
    const ans = a.namespace()?.href();
    if (ans !== XSI_NS) out[ATTRIBUTE_PREFIX + (ans ? `{${ans}}` : '') + a.name()] = a.value();
  }
  const nodes = el.childNodes();
  const elements = nodes.filter((n) => n.type() === 'element') as Element[];
  const text = nodes.some((n) => isText(n) && nodeText(n).trim() !== '');
  if (elements.length === 0) {
    if (Object.keys(out).length === 0) return el.text();
    out[TEXT_KEY] = el.text();
    return out;
  }
  if (text) {
    out[MIXED_KEY] = nodes.flatMap((n): JsonValue[] =>
      isText(n)
        ? [nodeText(n)]
        : n.type() === 'element'
          ? [
              {
                [localKey(n as Element, ns)]: generic(
                  n as Element,
                  (n as Element).namespace()?.href() ?? undefined,
                ),
              },
            ]
          : [],
    );
    return out;
  }
  for (const child of elements) {
    const key = localKey(child, ns);
    const value = generic(child, child.namespace()?.href() ?? undefined);
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function isText(node: Node): boolean {
  return node.type() === 'text' || (node.type() as string) === 'cdata';
}

function isNil(el: Element): boolean {
  return el
    .attrs()
    .some((a) => a.name() === 'nil' && a.namespace()?.href() === XSI_NS && a.value() === 'true');
}

/** A child the structure does not name: its local name, `{ns}local` outside the parent's namespace. */
function localKey(el: Element, parentNs: string | undefined): string {
  const ns = el.namespace()?.href() ?? undefined;
  return ns === parentNs ? el.name() : `{${ns ?? ''}}${el.name()}`;
}

function qname(el: Element): string {
  return `{${el.namespace()?.href() ?? ''}}${el.name()}`;
}
