import { type Document, type Element } from 'libxmljs2';

import {
  bundleFile,
  isAbsoluteLocation,
  resolveBundlePath,
  type SchemaBundle,
  type SchemaResolver,
} from '../bundle/schema-bundle';
import { type SchemaReference } from '../bundle/schema-references';
import { type SchemaProblem } from '../problems/schema-problems';
import { type XmlSafety } from '../xml/xml-safety';
import { type XmlElementSpan } from '../xml/xml-scanner';
import { escapeXml, fileUrl, XsdLoader, type XsdOrigin, type XsdSource } from '../xsd/xsd-loader';
import { attr, childElements, namespaceOf, XSD_NS } from '../xsd/xsd-model';
import { SOAP11_BINDING_NS, SOAP12_BINDING_NS, WSDL_NS, type SoapVersion } from './wsdl-model';

/** XML Schema drafts before the 2001 Recommendation (old WSDLs still embed them). */
const OLD_XSD_NS = new Set([
  'http://www.w3.org/1999/XMLSchema',
  'http://www.w3.org/2000/10/XMLSchema',
]);

/** One WSDL document of a parse. */
export interface WsdlDoc {
  file: string;
  path: string;
  bundle: SchemaBundle;
  base: string;
  origin: XsdOrigin;
  text: string;
  doc: Document;
  root: Element;
  targetNamespace?: string;
  spans: XmlElementSpan[];
  /** SOAP version assumed for extension elements whose prefix is not declared. */
  soapFallback: SoapVersion;
}

/**
 * Loads a WSDL and everything it brings in: `wsdl:import`ed WSDLs (bundle or library), the
 * embedded schemas of `wsdl:types` (as schema documents with the WSDL's line numbers) and the
 * XSDs they import. Holds the problems and warnings of the whole parse.
 */
export class WsdlLoader {
  readonly problems: SchemaProblem[] = [];
  readonly warnings: SchemaProblem[] = [];
  readonly references: SchemaReference[] = [];
  readonly loader: XsdLoader;
  readonly docs: WsdlDoc[] = [];
  /** The schema documents the types compile from. */
  readonly xsdRoots: XsdSource[] = [];
  /** Namespaces described by schemas we cannot compile (pre-2001 XML Schema). */
  readonly unchecked = new Set<string>();
  /** False when the types did not compile: part references then cannot be checked. */
  typesClean = true;

  constructor(
    private readonly safety: XmlSafety,
    bundle: SchemaBundle,
    private readonly resolver: SchemaResolver | undefined,
    private readonly strict: boolean,
  ) {
    this.loader = new XsdLoader(safety, bundle, resolver);
  }

  /** A problem that is only a warning unless the parse is strict. */
  soft(problem: SchemaProblem): void {
    (this.strict ? this.problems : this.warnings).push(problem);
  }

  async loadWsdl(
    bundle: SchemaBundle,
    path: string,
    base: string,
    origin: XsdOrigin,
  ): Promise<WsdlDoc | undefined> {
    const url = fileUrl(base, path);
    const existing = this.docs.find((d) => fileUrl(d.base, d.path) === url);
    if (existing) return existing;
    const display = origin.scope === 'library' ? `library:${origin.ref}/${path}` : path;
    const text = bundleFile(bundle, path)?.text ?? '';
    const parsed = this.safety.parse(text, display, { spans: true });
    if (!parsed.doc) {
      this.problems.push(...parsed.problems);
      return undefined;
    }
    // An undeclared prefix (a WSDL writing soap: while declaring only soap12:) is read
    // leniently below; say so rather than refuse the document.
    this.warnings.push(...parsed.problems);
    const root = parsed.doc.root();
    if (!root || root.name() !== 'definitions' || namespaceOf(root) !== WSDL_NS) {
      this.problems.push({
        file: display,
        line: root?.line(),
        message: `${display} is not a WSDL 1.1 document (its root element is not wsdl:definitions)`,
        code: 'schema_invalid',
      });
      return undefined;
    }
    const declared = new Set(root.namespaces(true).map((ns) => ns.href()));
    const doc: WsdlDoc = {
      file: display,
      path,
      bundle,
      base,
      origin,
      text,
      doc: parsed.doc,
      root,
      targetNamespace: attr(root, 'targetNamespace'),
      spans: parsed.spans,
      soapFallback:
        declared.has(SOAP12_BINDING_NS) && !declared.has(SOAP11_BINDING_NS) ? '1.2' : '1.1',
    };
    this.docs.push(doc);
    for (const imported of childElements(root, 'import', WSDL_NS)) {
      await this.wsdlImport(doc, imported);
    }
    await this.types(doc);
    return doc;
  }

  private async wsdlImport(doc: WsdlDoc, el: Element): Promise<void> {
    const location = attr(el, 'location')?.trim();
    const namespace = attr(el, 'namespace');
    const line = el.line();
    const reference = (target: SchemaReference['target']) => {
      if (doc.origin.scope === 'bundle') {
        this.references.push({
          kind: 'wsdl:import',
          file: doc.file,
          line,
          location,
          namespace,
          target,
        });
      }
    };
    if (location && !isAbsoluteLocation(location)) {
      const path = resolveBundlePath(doc.path, location);
      const file = path ? bundleFile(doc.bundle, path) : undefined;
      if (path && file) {
        reference(
          doc.origin.scope === 'library'
            ? { scope: 'library', ref: doc.origin.ref, path }
            : { scope: 'bundle', path },
        );
        if (/<(?:[\w.-]+:)?definitions[\s>]/.test(file.text)) {
          await this.loadWsdl(doc.bundle, path, doc.base, doc.origin);
        } else {
          await this.importedSchema(doc, path, line);
        }
        return;
      }
    }
    if (namespace) {
      const library = await this.resolver?.resolveNamespace?.(namespace);
      if (library?.bundle.type === 'WSDL') {
        reference({ scope: 'library', ref: library.ref, path: library.bundle.main });
        const origin: XsdOrigin = { scope: 'library', ref: library.ref };
        await this.loadWsdl(library.bundle, library.bundle.main, this.loader.libraryBase(), origin);
        return;
      }
      if (library?.bundle.type === 'XSD') {
        const source = await this.loader.findNamespace(namespace);
        if (source) {
          reference({ scope: 'library', ref: library.ref, path: source.path });
          this.xsdRoots.push(source);
          return;
        }
      }
    }
    this.problems.push({
      file: doc.file,
      line,
      message: location
        ? `wsdl:import "${location}" is not ${isAbsoluteLocation(location) ? 'in the bundle, and remote documents are never fetched' : 'a file of the bundle'}${namespace ? `; no library schema has the namespace "${namespace}" either` : ''}`
        : `wsdl:import of namespace "${namespace ?? ''}" has no location, and no library schema has that namespace`,
      code: 'reference_unresolved',
    });
  }

  /**
   * A `wsdl:import` of an XSD (WS-I Basic Profile R2001 wants `xsd:import` inside types): used
   * when it is a sound schema, else ignored with a warning.
   */
  private async importedSchema(doc: WsdlDoc, path: string, line: number): Promise<void> {
    const text = bundleFile(doc.bundle, path)?.text ?? '';
    const parsed = this.safety.parse(text, path);
    if (!parsed.doc || parsed.problems.length > 0) {
      this.warnings.push({
        file: doc.file,
        line,
        message: `wsdl:import of the schema ${path} is ignored: ${parsed.problems[0]?.message ?? 'it cannot be read'} (import schemas with xsd:import inside wsdl:types)`,
        code: 'schema_invalid',
      });
      return;
    }
    const source = this.loader.loadFile(doc.bundle, path, doc.base, doc.origin);
    if (!source) return;
    this.xsdRoots.push(source);
    await this.loader.follow(source);
  }

  /** Each `xs:schema` in `wsdl:types` becomes a schema document with the WSDL's line numbers. */
  private async types(doc: WsdlDoc): Promise<void> {
    const schemaSpans = doc.spans.filter((s) => s.depth === 3 && localName(s.name) === 'schema');
    let index = 0;
    for (const types of childElements(doc.root, 'types', WSDL_NS)) {
      for (const el of childElements(types)) {
        const span = el.name() === 'schema' ? schemaSpans[index++] : undefined;
        const namespace = namespaceOf(el);
        if (el.name() === 'schema' && namespace === XSD_NS && span) {
          await this.embedded(doc, el, span, index);
        } else if (el.name() === 'schema' && OLD_XSD_NS.has(namespace)) {
          this.unchecked.add(attr(el, 'targetNamespace') ?? '');
          this.warnings.push({
            file: doc.file,
            line: el.line(),
            message: `this schema uses the pre-2001 XML Schema namespace ${namespace}; its types are not compiled, and references to them are not checked`,
            code: 'schema_invalid',
          });
        } else if (el.name() !== 'documentation') {
          this.warnings.push({
            file: doc.file,
            line: el.line(),
            message: `wsdl:types contains {${namespace}}${el.name()}, which is not an XML Schema; it is ignored`,
            code: 'schema_invalid',
          });
        }
      }
    }
  }

  private async embedded(
    doc: WsdlDoc,
    el: Element,
    span: XmlElementSpan,
    index: number,
  ): Promise<void> {
    const local = new Set(el.namespaces(true).map((ns) => ns.prefix() ?? ''));
    const inherited = el
      .namespaces()
      .filter((ns) => !local.has(ns.prefix() ?? ''))
      .map((ns) => ` ${ns.prefix() ? `xmlns:${ns.prefix()}` : 'xmlns'}="${escapeXml(ns.href())}"`)
      .join('');
    const before = doc.text.slice(0, span.start);
    const element = doc.text.slice(span.start, span.end);
    const nameEnd = 1 + span.name.length;
    // Same line numbers as in the WSDL: blank lines stand in for what precedes the schema.
    const text =
      '\n'.repeat(countNewlines(before)) +
      element.slice(0, nameEnd) +
      inherited +
      element.slice(nameEnd);
    const parsed = this.safety.parse(text, doc.file);
    const schemaDoc = parsed.doc;
    const schema = schemaDoc?.root();
    if (!schemaDoc || !schema || parsed.problems.length > 0) {
      this.problems.push(...parsed.problems);
      return;
    }
    const source = this.loader.addEmbedded({
      url: fileUrl(doc.base, `${doc.path}.types-${index}.xsd`),
      file: doc.file,
      text,
      doc: schemaDoc,
      schema,
      targetNamespace: attr(schema, 'targetNamespace'),
      elementFormDefault: attr(schema, 'elementFormDefault') ?? 'unqualified',
      attributeFormDefault: attr(schema, 'attributeFormDefault') ?? 'unqualified',
      bundle: doc.bundle,
      path: doc.path,
      origin: doc.origin,
    });
    this.xsdRoots.push(source);
    await this.loader.follow(source);
  }
}

function localName(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
