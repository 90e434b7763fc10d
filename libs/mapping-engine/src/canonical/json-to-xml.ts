import { type SchemaField } from '@integrixs/schema-engine';

import { CanonicalError } from './canonical-error';
import {
  ATTRIBUTE_PREFIX,
  expanded,
  fieldChildren,
  isSimple,
  lexicalValue,
  MIXED_KEY,
  resolved,
  TEXT_KEY,
  valueKind,
  type CanonicalOptions,
} from './canonical-fields';
import { type JsonObject, type JsonValue } from './xml-to-json';

export interface XmlWriteOptions extends CanonicalOptions {
  /** Namespace → prefix; the root's namespace is the default namespace unless named here. */
  prefixes?: Record<string, string>;
  /** Prepend `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  declaration?: boolean;
}

/**
 * The canonical JSON view → XML text, in schema order (the sequence order of the structure),
 * with the namespaces declared once on the document element. A key the structure does not
 * have is refused (CanonicalError naming its path) unless the type has a wildcard or the
 * structure was cut short there; such content is written as the generic reading keeps it.
 */
export function jsonToXml(
  value: JsonValue,
  root: SchemaField,
  options: XmlWriteOptions = {},
): string {
  const writer = new Writer(options, root.namespace);
  const body = writer.element(value, root, root.name, root.namespace, [], root.namespace);
  const declarations = writer.declarations();
  // Splice the declarations into the document element's start tag.
  const at = body.search(/[\s/>]/);
  const xml = body.slice(0, at) + declarations + body.slice(at);
  return options.declaration === false ? xml : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

class Writer {
  private readonly prefixes = new Map<string, string>();

  constructor(
    private readonly options: XmlWriteOptions,
    private readonly defaultNs: string | undefined,
  ) {}

  declarations(): string {
    let out = '';
    const rootPrefix = this.defaultNs && this.options.prefixes?.[this.defaultNs];
    if (this.defaultNs && !rootPrefix) out += ` xmlns="${escapeAttr(this.defaultNs)}"`;
    for (const [ns, prefix] of this.prefixes) out += ` xmlns:${prefix}="${escapeAttr(ns)}"`;
    return out;
  }

  /** The qualified name of an element or attribute in `ns`. */
  private name(local: string, ns: string | undefined, attribute: boolean): string {
    if (!ns) return local;
    if (!attribute && ns === this.defaultNs && !this.options.prefixes?.[ns]) return local;
    let prefix = this.prefixes.get(ns);
    if (!prefix) {
      prefix = this.options.prefixes?.[ns] ?? `ns${this.prefixes.size + 1}`;
      this.prefixes.set(ns, prefix);
    }
    return `${prefix}:${local}`;
  }

  element(
    value: JsonValue,
    cut: SchemaField | undefined,
    local: string,
    ns: string | undefined,
    ancestors: SchemaField[],
    inScopeDefault: string | undefined,
  ): string {
    if (Array.isArray(value)) {
      return value.map((v) => this.element(v, cut, local, ns, ancestors, inScopeDefault)).join('');
    }
    const qname = this.name(local, ns, false);
    // An unqualified element below the default namespace must leave it.
    const undeclare = !ns && inScopeDefault ? ' xmlns=""' : '';
    const scope = undeclare ? undefined : inScopeDefault;
    if (value === null) return `<${qname}${undeclare}/>`;
    const declared = cut && resolved(cut, this.options);
    if (!declared || declared.truncated || declared.kind === 'any') {
      return this.generic(value, qname, undeclare, ns, scope);
    }
    const field = expanded(declared, ancestors);
    const here = declared.path;
    if (isSimple(field)) {
      const object = isObject(value) ? value : undefined;
      const text = object ? object[TEXT_KEY] : value;
      const attrs = object ? this.attributes(object, field, here) : '';
      if (object) this.refuseUnknown(object, field, here, true);
      if (text === undefined || text === null || text === '')
        return `<${qname}${undeclare}${attrs}/>`;
      return `<${qname}${undeclare}${attrs}>${escapeText(lexicalValue(text, valueKind(field, this.options)))}</${qname}>`;
    }
    if (!isObject(value)) {
      throw new CanonicalError(`expected an object, got ${typeof value}`, here);
    }
    const attrs = this.attributes(value, field, here);
    const children = fieldChildren(field);
    const path = [...ancestors, field];
    let content = '';
    const mixed = value[MIXED_KEY];
    if (Array.isArray(mixed)) {
      for (const item of mixed) {
        if (typeof item === 'string') content += escapeText(item);
        else if (isObject(item))
          content += this.children(item, children.elements, path, scope, field, here);
      }
    } else {
      content = this.children(value, children.elements, path, scope, field, here);
    }
    if (typeof value[TEXT_KEY] === 'string') content = escapeText(value[TEXT_KEY]) + content;
    return content === ''
      ? `<${qname}${undeclare}${attrs}/>`
      : `<${qname}${undeclare}${attrs}>${content}</${qname}>`;
  }

  /** The element children of `object`, in the structure's order, then wildcard content. */
  private children(
    object: JsonObject,
    elements: Map<string, SchemaField>,
    path: SchemaField[],
    scope: string | undefined,
    field: SchemaField,
    here: string,
  ): string {
    let out = '';
    for (const [key, child] of elements) {
      const v = object[key];
      if (v !== undefined) out += this.element(v, child, child.name, child.namespace, path, scope);
    }
    const extra = this.refuseUnknown(object, field, here, false);
    for (const key of extra) {
      const { local, ns } = splitKey(key, field.namespace);
      out += this.element(object[key], undefined, local, ns, path, scope);
    }
    return out;
  }

  /** Keys the structure does not have: refused, or returned when a wildcard allows them. */
  private refuseUnknown(
    object: JsonObject,
    field: SchemaField,
    here: string,
    simple: boolean,
  ): string[] {
    const children = fieldChildren(field);
    const extra = Object.keys(object).filter(
      (k) =>
        !k.startsWith(ATTRIBUTE_PREFIX) &&
        k !== TEXT_KEY &&
        k !== MIXED_KEY &&
        !children.elements.has(k),
    );
    if (extra.length > 0 && (simple || !children.wildcard)) {
      throw new CanonicalError(
        `the structure has no field ${extra[0]} here`,
        `${here}/${extra[0]}`,
      );
    }
    return extra;
  }

  private attributes(object: JsonObject, field: SchemaField, here: string): string {
    const children = fieldChildren(field);
    let out = '';
    for (const [key, v] of Object.entries(object)) {
      if (!key.startsWith(ATTRIBUTE_PREFIX) || v === undefined || v === null) continue;
      const declared = children.attributes.get(key);
      if (!declared && !children.wildcard && !field.truncated) {
        throw new CanonicalError(`the structure has no attribute ${key} here`, `${here}/${key}`);
      }
      const { local, ns } = splitKey(key.slice(1), undefined);
      const name = this.name(declared?.name ?? local, declared ? declared.namespace : ns, true);
      const kind = declared ? valueKind(declared, this.options) : 'string';
      out += ` ${name}="${escapeAttr(lexicalValue(v, kind))}"`;
    }
    return out;
  }

  /** Content the structure does not describe, written as the generic reading keeps it. */
  private generic(
    value: JsonValue,
    qname: string,
    undeclare: string,
    ns: string | undefined,
    scope: string | undefined,
  ): string {
    if (!isObject(value)) {
      const text = lexicalValue(value, 'string');
      return text === ''
        ? `<${qname}${undeclare}/>`
        : `<${qname}${undeclare}>${escapeText(text)}</${qname}>`;
    }
    let attrs = '';
    let content = '';
    const write = (key: string, v: JsonValue) => {
      const child = splitKey(key, ns);
      content += this.element(v, undefined, child.local, child.ns, [], scope);
    };
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith(ATTRIBUTE_PREFIX)) {
        const a = splitKey(key.slice(1), undefined);
        attrs += ` ${this.name(a.local, a.ns, true)}="${escapeAttr(lexicalValue(v, 'string'))}"`;
      } else if (key === TEXT_KEY) content += escapeText(lexicalValue(v, 'string'));
      else if (key === MIXED_KEY && Array.isArray(v)) {
        for (const item of v) {
          if (typeof item === 'string') content += escapeText(item);
          else if (isObject(item)) for (const [k, c] of Object.entries(item)) write(k, c);
        }
      } else write(key, v);
    }
    return content === ''
      ? `<${qname}${undeclare}${attrs}/>`
      : `<${qname}${undeclare}${attrs}>${content}</${qname}>`;
  }
}

/** `{ns}local` or `local` (in `inherited`). */
function splitKey(key: string, inherited: string | undefined): { local: string; ns?: string } {
  const match = /^\{([^}]*)\}(.+)$/.exec(key);
  if (!match) return { local: key, ns: inherited };
  return { local: match[2], ns: match[1] || undefined };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;');
}

function escapeAttr(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}
