import { type Document, type Element } from 'libxmljs2';

import {
  bundleFile,
  isAbsoluteLocation,
  resolveBundlePath,
  type SchemaBundle,
  type SchemaResolver,
} from '../bundle/schema-bundle';
import {
  type SchemaReference,
  type SchemaReferenceKind,
  type SchemaReferenceTarget,
} from '../bundle/schema-references';
import { type SchemaProblem } from '../problems/schema-problems';
import { type XmlSafety } from '../xml/xml-safety';
import { builtinSchema } from './builtin-schemas';
import { attr, childElements, namespaceOf, XSD_NS, type XsdDocument } from './xsd-model';

/** Where a schema document came from. */
export type XsdOrigin =
  { scope: 'bundle' } | { scope: 'library'; ref: string } | { scope: 'builtin'; name: string };

/** One schema document of a compile: its text for libxml2 and its DOM for reading. */
export interface XsdSource extends XsdDocument {
  /** URL libxml2 sees; relative `schemaLocation`s resolve against it. */
  url: string;
  /** Text handed to libxml2. */
  text: string;
  /** The bundle whose relative paths apply, and this document's path in it. */
  bundle: SchemaBundle;
  path: string;
  origin: XsdOrigin;
}

export const BUNDLE_URL = 'file:///bundle/';
const DIRECTIVES = new Set(['import', 'include', 'redefine']);
const TARGET_NAMESPACE = /<(?:[\w.-]+:)?schema\b[^>]*?\btargetNamespace\s*=\s*["']([^"']*)["']/;

/** Engine URL of a path: each segment escaped, so libxml2 resolves relative locations alike. */
export function fileUrl(base: string, path: string): string {
  return base + path.split('/').map(encodeURIComponent).join('/');
}

/**
 * The text libxml2 gets: the encoding declaration says UTF-8, since that is what it receives
 * (the upload was decoded already). Same length on line 1 is not needed; lines stay the same.
 */
export function asUtf8Declaration(text: string): string {
  return text.replace(
    /^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2/,
    (_m, head: string, quote: string) => `${head}${quote}UTF-8${quote}`,
  );
}

/**
 * Collects the schema documents a compile needs, starting from the ones it is given: follows
 * `xs:import` / `xs:include` / `xs:redefine` by relative `schemaLocation` inside the bundle,
 * else by namespace (other bundle files, then the library through the resolver, then the
 * built-in schemas). Never fetches anything: an absolute or unknown location is a problem.
 *
 * Imports found by namespace (rather than where their `schemaLocation` points) are listed in
 * {@link injections}; the compiler imports them up front so libxml2 uses those documents.
 */
export class XsdLoader {
  readonly sources = new Map<string, XsdSource>();
  readonly problems: SchemaProblem[] = [];
  readonly references: SchemaReference[] = [];
  /** namespace → URL of the document that provides it, for imports libxml2 cannot find alone. */
  readonly injections = new Map<string, string>();
  /** Locations already reported as unresolved (their libxml2 load errors are noise). */
  readonly unresolvedLocations = new Set<string>();
  /**
   * Empty stand-ins served where unresolved locations point, so libxml2 still compiles the
   * rest and reports its own problems too (instead of stopping at the first missing file).
   */
  readonly placeholders: { url: string; text: string }[] = [];
  private readonly followed = new Set<string>();
  private readonly byNamespace = new Map<string, Promise<XsdSource | undefined>>();
  private libraries = 0;

  constructor(
    private readonly safety: XmlSafety,
    private readonly bundle: SchemaBundle,
    private readonly resolver: SchemaResolver | undefined,
  ) {}

  /** Loads a file of the bundle being compiled (once); undefined if it has problems. */
  loadBundleFile(path: string, includer?: XsdSource): XsdSource | undefined {
    return this.load(this.bundle, path, BUNDLE_URL, { scope: 'bundle' }, includer);
  }

  /**
   * Adds a schema document that is not a file of its own (a WSDL's embedded `xs:schema`), with
   * `path` the WSDL's path (relative locations resolve from there).
   */
  addEmbedded(source: XsdSource): XsdSource {
    this.sources.set(source.url, source);
    return source;
  }

  /** Loads a file of another bundle (a library WSDL's XSD) under a base URL of its own. */
  loadFile(
    bundle: SchemaBundle,
    path: string,
    base: string,
    origin: XsdOrigin,
  ): XsdSource | undefined {
    return this.load(bundle, path, base, origin);
  }

  /** A fresh base URL for the files of one library schema. */
  libraryBase(): string {
    this.libraries += 1;
    return `file:///library/${this.libraries}/`;
  }

  /** Follows the directives of `source` and, recursively, of everything they bring in. */
  async follow(source: XsdSource): Promise<void> {
    if (this.followed.has(source.url)) return;
    this.followed.add(source.url);
    for (const directive of childElements(source.schema, undefined, XSD_NS)) {
      if (!DIRECTIVES.has(directive.name())) continue;
      const target = await this.resolveDirective(source, directive);
      if (target) await this.follow(target);
    }
  }

  /** A schema for `namespace`: already loaded, another bundle file, the library, built in. */
  findNamespace(namespace: string): Promise<XsdSource | undefined> {
    let found = this.byNamespace.get(namespace);
    if (!found) {
      found = this.lookUpNamespace(namespace);
      this.byNamespace.set(namespace, found);
    }
    return found;
  }

  private async resolveDirective(
    source: XsdSource,
    directive: Element,
  ): Promise<XsdSource | undefined> {
    const name = directive.name();
    const kind = `xsd:${name}` as SchemaReferenceKind;
    const location = attr(directive, 'schemaLocation')?.trim();
    const namespace = name === 'import' ? attr(directive, 'namespace') : undefined;
    const line = directive.line();
    let target: XsdSource | undefined;
    let path: string | undefined;
    if (location && !isAbsoluteLocation(location)) {
      path = resolveBundlePath(source.path, location);
      if (path && bundleFile(source.bundle, path)) {
        target = this.load(
          source.bundle,
          path,
          baseOf(source.url, source.path),
          source.origin,
          name === 'import' ? undefined : source,
        );
        if (!target) return undefined; // its own problems are reported
      }
    }
    if (!target && namespace !== undefined) {
      target = await this.findNamespace(namespace);
      if (target && target.url !== source.url) this.injections.set(namespace, target.url);
    }
    if (!target) {
      if (location) this.unresolved(source, line, kind, location, namespace, path);
      return undefined;
    }
    if (source.origin.scope === 'bundle') {
      this.references.push({
        kind,
        file: source.file,
        line,
        location,
        namespace,
        target: targetOf(target),
      });
    }
    if (name !== 'import' && target.targetNamespace === undefined) {
      target.targetNamespace = source.targetNamespace; // chameleon include
    }
    return target;
  }

  private unresolved(
    source: XsdSource,
    line: number,
    kind: SchemaReferenceKind,
    location: string,
    namespace: string | undefined,
    path: string | undefined,
  ): void {
    this.unresolvedLocations.add(location);
    let url: string | undefined;
    try {
      url = new URL(location, source.url).href;
    } catch {
      // not a URL libxml2 could load either
    }
    if (url && !this.placeholders.some((p) => p.url === url)) {
      this.unresolvedLocations.add(url);
      const target = namespace ? ` targetNamespace="${escapeXml(namespace)}"` : '';
      this.placeholders.push({ url, text: `<xs:schema xmlns:xs="${XSD_NS}"${target}/>` });
    }
    const where = /^(https?|ftp):/i.test(location)
      ? `"${location}" is not in the bundle, and remote schemas are never fetched`
      : isAbsoluteLocation(location)
        ? `"${location}" is not in the bundle, and only files of the bundle are read`
        : `"${location}" ${path ? `(${path}) ` : ''}is not a file of the bundle`;
    const alternative =
      namespace !== undefined ? `; no library schema has the namespace "${namespace}" either` : '';
    this.problems.push({
      file: source.file,
      line,
      message: `${kind} ${where}${alternative}`,
      code: 'reference_unresolved',
    });
  }

  private async lookUpNamespace(namespace: string): Promise<XsdSource | undefined> {
    for (const source of this.sources.values()) {
      if ((source.targetNamespace ?? '') === namespace && source.origin.scope !== 'builtin') {
        return source;
      }
    }
    for (const file of this.bundle.files) {
      if (!/\.xsd$/i.test(file.path)) continue;
      if (TARGET_NAMESPACE.exec(file.text)?.[1] !== namespace) continue;
      const source = this.loadBundleFile(file.path);
      if (source) {
        await this.follow(source);
        return source;
      }
    }
    const library = await this.resolver?.resolveNamespace?.(namespace);
    if (library) {
      const source = await this.loadLibrary(library.ref, library.bundle, namespace);
      if (source) return source;
    }
    const builtin = builtinSchema(namespace);
    if (builtin) {
      const source = this.load(
        { type: 'XSD', files: [{ path: builtin.name, text: builtin.text }], main: builtin.name },
        builtin.name,
        'file:///builtin/',
        { scope: 'builtin', name: builtin.name },
      );
      return source;
    }
    return undefined;
  }

  private async loadLibrary(
    ref: string,
    bundle: SchemaBundle,
    namespace: string,
  ): Promise<XsdSource | undefined> {
    if (bundle.type !== 'XSD') {
      this.problems.push({
        message: `namespace "${namespace}" resolves to library schema ${ref}, which is a ${bundle.type}, not an XSD`,
        code: 'reference_unresolved',
      });
      return undefined;
    }
    const source = this.load(bundle, bundle.main, this.libraryBase(), { scope: 'library', ref });
    if (!source) return undefined;
    if ((source.targetNamespace ?? '') !== namespace) {
      this.problems.push({
        file: source.file,
        message: `library schema ${ref} was found for namespace "${namespace}" but its targetNamespace is "${source.targetNamespace ?? ''}"`,
        code: 'reference_unresolved',
      });
      return undefined;
    }
    await this.follow(source);
    return source;
  }

  private load(
    bundle: SchemaBundle,
    path: string,
    base: string,
    origin: XsdOrigin,
    includer?: XsdSource,
  ): XsdSource | undefined {
    const url = fileUrl(base, path);
    const existing = this.sources.get(url);
    if (existing) return existing;
    const file = bundleFile(bundle, path);
    if (!file) return undefined;
    const display =
      origin.scope === 'bundle'
        ? path
        : origin.scope === 'library'
          ? `library:${origin.ref}/${path}`
          : `builtin:${origin.name}`;
    const parsed = this.safety.parse(file.text, display);
    if (!parsed.doc || parsed.problems.length > 0) {
      this.problems.push(...parsed.problems);
      return undefined;
    }
    const schema = schemaRoot(parsed.doc);
    if (!schema) {
      this.problems.push({
        file: display,
        line: parsed.doc.root()?.line(),
        message: `${display} is not an XML Schema (its root element is not xs:schema)`,
        code: 'schema_invalid',
      });
      return undefined;
    }
    const source: XsdSource = {
      url,
      file: display,
      text: asUtf8Declaration(file.text),
      doc: parsed.doc,
      schema,
      targetNamespace: attr(schema, 'targetNamespace') ?? includer?.targetNamespace,
      elementFormDefault: attr(schema, 'elementFormDefault') ?? 'unqualified',
      attributeFormDefault: attr(schema, 'attributeFormDefault') ?? 'unqualified',
      bundle,
      path,
      origin,
    };
    this.sources.set(url, source);
    return source;
  }
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function schemaRoot(doc: Document): Element | undefined {
  const root = doc.root();
  return root && root.name() === 'schema' && namespaceOf(root) === XSD_NS ? root : undefined;
}

function baseOf(url: string, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return url.endsWith(encoded) ? url.slice(0, url.length - encoded.length) : BUNDLE_URL;
}

function targetOf(source: XsdSource): SchemaReferenceTarget {
  switch (source.origin.scope) {
    case 'bundle':
      return { scope: 'bundle', path: source.path };
    case 'library':
      return { scope: 'library', ref: source.origin.ref, path: source.path };
    case 'builtin':
      return { scope: 'builtin', name: source.origin.name };
  }
}
