import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

import { type SchemaField } from '@integrixs/schema-engine';

import { CanonicalError } from './canonical-error';
import {
  ATTRIBUTE_PREFIX,
  expanded,
  hasAttributes,
  isSimple,
  MIXED_KEY,
  resolved,
  TEXT_KEY,
  typedValue,
  type CanonicalOptions,
} from './canonical-fields';
import {
  attributeOf,
  childOf,
  elementsOf,
  kindOf,
  localKey,
  rootChild,
  type Child,
  type ChildIndex,
} from './reader-index';
import { type JsonObject, type JsonValue } from './xml-to-json';

/**
 * XML → the canonical JSON view in one streaming pass over saxes (pure JavaScript, strict,
 * namespace-aware): the same JSON as reading a libxml2 tree would give (conventions in the
 * README), without building a tree and without a native module, so it also runs in the mapping
 * workers. Safety: a DOCTYPE is refused outright (no DTD, no entity declarations, so no
 * external entities and no entity expansion; only the five predefined entities and character
 * references exist), and size, depth and element count are capped before and while parsing.
 */

export interface XmlReadLimits {
  /** Largest accepted document, in UTF-8 bytes (checked before parsing). */
  maxBytes: number;
  /** Deepest element nesting (the document element is depth 1). */
  maxDepth: number;
  /** Most elements in one document. */
  maxElements: number;
}

export const DEFAULT_XML_READ_LIMITS: XmlReadLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 256,
  maxElements: 1_000_000,
};

export type XmlReadOptions = CanonicalOptions & { limits?: Partial<XmlReadLimits> };

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

const enum Mode {
  /** A complex field of the structure: children by the structure's keys. */
  Typed,
  /** A simple field: only its text counts (every descendant's text, as libxml2's `text()`). */
  Simple,
  /** Content the structure does not describe: kept by its instance, every value a string. */
  Generic,
  /** Inside a Simple element: adds its text to the Simple element's. */
  TextOnly,
  /** An `xsi:nil` element and everything in it: null. */
  Skip,
}

interface Frame {
  mode: Mode;
  /** The element's namespace (Generic: its children's keys are relative to it). */
  ns: string | undefined;
  /** Typed, Simple: the field it is read as. */
  field: SchemaField | undefined;
  /** Typed: its children by namespace and local name (reader-index.ts), and the last one. */
  index: ChildIndex | undefined;
  last: Child | undefined;
  /** Simple: the field has attributes (its JSON is an object with `#text`). */
  withAttributes: boolean;
  /** Attributes, then children (Typed, Generic; Simple with attributes). */
  out: JsonObject | undefined;
  /**
   * For mixed content: text nodes and children in document order, as pairs (`null`, text) and
   * (key, value) — kept flat (and reused), `{ key: value }` objects are built only when mixed.
   */
  readonly seq: (JsonValue | undefined)[];
  /** A text node that is not only whitespace: mixed content (Typed, Generic). */
  mixed: boolean;
  /** Generic: element children seen. */
  elements: number;
  /** Simple, Generic: the text so far (a TextOnly frame adds to its owner's). */
  text: string;
  owner: Frame | undefined;
  /** The key this element has in its parent, and whether the parent declares it repeating. */
  key: string;
  repeating: boolean;
  /** Attributes in the JSON (Generic: the `#text` form). */
  attributes: number;
}

/** Reads `xml` into the canonical JSON view of `root` (a CanonicalError when it cannot). */
export function readCanonicalXml(
  xml: string,
  root: SchemaField,
  options: XmlReadOptions = {},
): JsonValue {
  const limits = { ...DEFAULT_XML_READ_LIMITS, ...options.limits };
  const bytes = xml.length * 3 <= limits.maxBytes ? 0 : Buffer.byteLength(xml, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new CanonicalError(
      `the payload is ${bytes} bytes; at most ${limits.maxBytes} are accepted`,
      '/',
    );
  }
  return new StreamingReader(root, options, limits).read(xml);
}

class StreamingReader {
  /** Frames by depth, reused: frames[depth - 1] is the element being read. */
  private readonly frames: Frame[] = [];
  private depth = 0;
  /** The structure's complex fields from the root down (`expanded()` needs them). */
  private readonly ancestors: SchemaField[] = [];
  private elementCount = 0;
  private result: JsonValue | undefined;
  private done = false;
  private parser!: SaxesParser<{ xmlns: true }>;

  constructor(
    private readonly root: SchemaField,
    private readonly options: CanonicalOptions,
    private readonly limits: XmlReadLimits,
  ) {}

  read(xml: string): JsonValue {
    const parser = new SaxesParser({ xmlns: true });
    this.parser = parser;
    parser.on('doctype', () => {
      this.refuse('a DOCTYPE is not accepted (no DTD, no entity declarations)');
    });
    parser.on('opentag', (tag) => this.open(tag));
    parser.on('closetag', () => this.close());
    parser.on('text', (text) => this.text(text));
    parser.on('cdata', (text) => this.text(text));
    try {
      parser.write(xml).close();
    } catch (error) {
      if (error instanceof CanonicalError) throw error;
      const message = (error as Error).message
        .replace(/^(?:[^:]*:)?\d+:\d+: /, '')
        .replace(/\.$/, '');
      throw new CanonicalError(`the payload is not accepted as XML: ${message}`, this.where());
    }
    if (!this.done) throw new CanonicalError('the payload has no document element', '/');
    return this.result as JsonValue;
  }

  private where(): string {
    return `line ${this.parser.line}, column ${this.parser.column}`;
  }

  private refuse(message: string): never {
    throw new CanonicalError(`the payload is not accepted as XML: ${message}`, this.where());
  }

  private open(tag: SaxesTagNS): void {
    if (++this.elementCount > this.limits.maxElements) {
      this.refuse(`it has more than ${this.limits.maxElements} elements`);
    }
    if (this.depth >= this.limits.maxDepth) {
      this.refuse(`its elements are nested deeper than ${this.limits.maxDepth} levels`);
    }
    const ns = tag.uri || undefined;
    const local = tag.local;
    const parent = this.depth > 0 ? this.frames[this.depth - 1] : undefined;
    const f = (this.frames[this.depth] ??= blankFrame());
    this.depth++;
    if (!parent) {
      const root = this.root;
      if (local !== root.name || (root.namespace ?? undefined) !== ns) {
        throw new CanonicalError(
          `the document element is {${ns ?? ''}}${local}; the schema expects {${root.namespace ?? ''}}${root.name}`,
          root.path,
        );
      }
      this.typed(f, tag, ns, rootChild(root));
      return;
    }
    switch (parent.mode) {
      case Mode.Typed:
        parent.index ??= elementsOf(parent.field as SchemaField);
        parent.last = childOf(parent.index, parent.field as SchemaField, ns, local, parent.last);
        this.typed(f, tag, ns, parent.last);
        return;
      case Mode.Generic:
        parent.elements++;
        this.generic(f, tag, ns, localKey(ns, local, parent.ns), false);
        return;
      case Mode.Simple:
      case Mode.TextOnly:
        reset(f, Mode.TextOnly, ns, '', false);
        f.owner = parent.owner ?? parent;
        return;
      case Mode.Skip:
        reset(f, Mode.Skip, ns, '', false);
        return;
    }
  }

  /** An element read through the structure (`child.field`: its field, if there is one). */
  private typed(f: Frame, tag: SaxesTagNS, ns: string | undefined, child: Child): void {
    if (isNil(tag)) {
      reset(f, Mode.Skip, ns, child.key, child.repeating);
      return;
    }
    let field: SchemaField;
    let simple: boolean;
    let withAttributes: boolean;
    if (child.plain) {
      field = child.field as SchemaField;
      simple = child.simple;
      withAttributes = child.attributes;
    } else {
      const declared = child.field && resolved(child.field, this.options);
      if (!declared || declared.truncated || declared.kind === 'any') {
        this.generic(f, tag, ns, child.key, child.repeating);
        return;
      }
      field = expanded(declared, this.ancestors);
      simple = isSimple(field);
      withAttributes = hasAttributes(field);
    }
    reset(f, simple ? Mode.Simple : Mode.Typed, ns, child.key, child.repeating);
    f.field = field;
    f.withAttributes = withAttributes;
    if (!simple) {
      f.out = {};
      this.ancestors.push(field);
    } else if (withAttributes) f.out = {};
    this.attributes(tag, f, field);
  }

  private generic(
    f: Frame,
    tag: SaxesTagNS,
    ns: string | undefined,
    key: string,
    repeating: boolean,
  ): void {
    reset(f, Mode.Generic, ns, key, repeating);
    f.out = {};
    this.attributes(tag, f, undefined);
  }

  /** Attributes into `f.out`: typed when `field` declares them, else kept as text. */
  private attributes(tag: SaxesTagNS, f: Frame, field: SchemaField | undefined): void {
    const attributes = tag.attributes as Record<string, SaxesAttributeNS>;
    for (const name in attributes) {
      const a = attributes[name];
      const ns = a.uri;
      if (ns === XSI_NS || ns === XMLNS_NS || a.prefix === 'xmlns' || name === 'xmlns') continue;
      f.attributes++;
      const out = (f.out ??= {});
      if (!field) {
        out[ATTRIBUTE_PREFIX + (ns ? `{${ns}}` : '') + a.local] = a.value;
        continue;
      }
      const attribute = attributeOf(field, ns, a.local);
      out[attribute.key] = attribute.field ? this.typedText(a.value, attribute.field) : a.value;
    }
  }

  private typedText(text: string, field: SchemaField): JsonValue {
    const kind = kindOf(field, this.options);
    return kind === 'string' ? text : typedValue(text, kind);
  }

  private text(text: string): void {
    if (this.depth === 0) return; // whitespace around the document element
    const f = this.frames[this.depth - 1];
    switch (f.mode) {
      case Mode.Simple:
        f.text += text;
        return;
      case Mode.TextOnly:
        (f.owner as Frame).text += text;
        return;
      case Mode.Skip:
        return;
      case Mode.Generic:
        f.text += text;
        break;
      default:
        break;
    }
    f.seq.push(null, text);
    if (!f.mixed && text.trim() !== '') f.mixed = true;
  }

  private close(): void {
    const f = this.frames[--this.depth];
    if (f.mode === Mode.TextOnly) return;
    const value = this.value(f);
    if (f.mode === Mode.Typed) this.ancestors.pop();
    if (this.depth === 0) {
      this.result = value;
      this.done = true;
      return;
    }
    const parent = this.frames[this.depth - 1];
    if (parent.mode === Mode.Skip) return;
    parent.seq.push(f.key, value);
    const out = parent.out as JsonObject;
    const existing = out[f.key];
    if (existing === undefined) out[f.key] = f.repeating ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    // Declared single but repeated (a repeating group around it), or generic: keep them all.
    else out[f.key] = [existing, value];
  }

  private value(f: Frame): JsonValue {
    switch (f.mode) {
      case Mode.Skip:
        return null;
      case Mode.Simple: {
        const kind = kindOf(f.field as SchemaField, this.options);
        const text = f.text;
        const value = kind === 'string' ? text : text === '' ? null : typedValue(text, kind);
        if (!f.withAttributes) return value;
        const out = f.out ?? {};
        out[TEXT_KEY] = value;
        return out;
      }
      case Mode.Generic: {
        const out = f.out as JsonObject;
        if (f.elements === 0) {
          if (f.attributes === 0) return f.text;
          out[TEXT_KEY] = f.text;
          return out;
        }
        return f.mixed ? withMixed(f) : out;
      }
      default:
        return f.mixed ? withMixed(f) : (f.out as JsonObject);
    }
  }
}

function blankFrame(): Frame {
  return {
    mode: Mode.Skip,
    ns: undefined,
    field: undefined,
    index: undefined,
    last: undefined,
    withAttributes: false,
    out: undefined,
    seq: [],
    mixed: false,
    elements: 0,
    text: '',
    owner: undefined,
    key: '',
    repeating: false,
    attributes: 0,
  };
}

function reset(f: Frame, mode: Mode, ns: string | undefined, key: string, repeating: boolean) {
  f.mode = mode;
  f.ns = ns;
  f.field = undefined;
  f.index = undefined;
  f.last = undefined;
  f.withAttributes = false;
  f.out = undefined;
  f.seq.length = 0;
  f.mixed = false;
  f.elements = 0;
  f.text = '';
  f.owner = undefined;
  f.key = key;
  f.repeating = repeating;
  f.attributes = 0;
}

/** Mixed content: the attributes, then every text node and child in document order. */
function withMixed(f: Frame): JsonObject {
  const out: JsonObject = {};
  const all = f.out as JsonObject;
  for (const key in all) if (key.startsWith(ATTRIBUTE_PREFIX)) out[key] = all[key];
  const mixed: JsonValue[] = [];
  const seq = f.seq;
  for (let i = 0; i < seq.length; i += 2) {
    const key = seq[i] as string | null;
    mixed.push(key === null ? (seq[i + 1] as string) : { [key]: seq[i + 1] as JsonValue });
  }
  out[MIXED_KEY] = mixed;
  return out;
}

function isNil(tag: SaxesTagNS): boolean {
  const attributes = tag.attributes as Record<string, SaxesAttributeNS>;
  for (const name in attributes) {
    const a = attributes[name];
    if (a.local === 'nil' && a.uri === XSI_NS && a.value === 'true') return true;
  }
  return false;
}
