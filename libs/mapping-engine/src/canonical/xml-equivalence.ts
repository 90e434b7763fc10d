import { type Element } from 'libxmljs2';

import { XmlSafety } from '@integrixs/schema-engine';

import { nodeText, typedValue, type ValueKind } from './canonical-fields';

/**
 * A normalised, prefix-independent rendering of an XML document for comparing two documents
 * (round trips, expected sample outputs): elements and attributes by `{namespace}local`,
 * attributes sorted, namespace declarations, comments and processing instructions dropped,
 * whitespace-only text between elements dropped. With `values`, the text of the named fields
 * (by slash path of local names) is compared in the value space (`100.00` equals `100`).
 */
export function normalisedXml(xml: string, values: Record<string, ValueKind> = {}): string {
  const parsed = new XmlSafety().parse(xml, 'document');
  const root = parsed.doc?.root();
  if (!root) throw new Error(`not well-formed XML: ${parsed.problems[0]?.message ?? 'no root'}`);
  const lines: string[] = [];
  render(root, '', 0, values, lines);
  return lines.join('\n');
}

function render(
  el: Element,
  parent: string,
  depth: number,
  values: Record<string, ValueKind>,
  out: string[],
): void {
  const path = `${parent}/${el.name()}`;
  const indent = '  '.repeat(depth);
  const attrs = el
    .attrs()
    .map((a) => {
      const value = values[`${path}/@${a.name()}`]
        ? String(typedValue(a.value(), values[`${path}/@${a.name()}`]))
        : a.value();
      return `${qname(a.namespace()?.href(), a.name())}=${JSON.stringify(value)}`;
    })
    .sort();
  out.push(
    `${indent}<${qname(el.namespace()?.href(), el.name())}${attrs.map((a) => ' ' + a).join('')}>`,
  );
  const nodes = el.childNodes();
  const hasElements = nodes.some((n) => n.type() === 'element');
  for (const node of nodes) {
    if (node.type() === 'element') render(node as Element, path, depth + 1, values, out);
    else if (node.type() === 'text' || (node.type() as string) === 'cdata') {
      const text = nodeText(node);
      if (hasElements && text.trim() === '') continue;
      const shown = values[path] ? String(typedValue(text, values[path])) : text;
      out.push(`${indent}  ${JSON.stringify(shown)}`);
    }
  }
}

function qname(ns: string | undefined, local: string): string {
  return ns ? `{${ns}}${local}` : local;
}
