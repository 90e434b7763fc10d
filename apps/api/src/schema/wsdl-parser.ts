import { type Document, type Element } from 'libxmljs2';

import {
  bundleFile,
  isAbsoluteLocation,
  mainFile,
  resolveBundlePath,
  type SchemaBundle,
  type SchemaResolver,
} from './schema-bundle';
import { SchemaInvalidError, sortProblems, type SchemaProblem } from './schema-problems';
import { type SchemaReference } from './schema-references';
import {
  SOAP11_BINDING_NS,
  SOAP12_BINDING_NS,
  WSDL_NS,
  type CompiledWsdl,
  type SoapVersion,
  type WsdlEndpoint,
  type WsdlMessage,
  type WsdlOperation,
  type WsdlOperationMessage,
  type WsdlService,
} from './wsdl-model';
import { XmlSafety } from './xml-safety';
import { type XmlElementSpan } from './xml-scanner';
import { type CompiledXsd, type XsdCompileOptions, type XsdCompiler } from './xsd-compiler';
import {
  BUNDLE_URL,
  escapeXml,
  fileUrl,
  XsdLoader,
  type XsdOrigin,
  type XsdSource,
} from './xsd-loader';
import {
  attr,
  childElements,
  clark,
  firstChild,
  namespaceOf,
  resolveQName,
  XSD_NS,
  XsdModel,
  type QName,
} from './xsd-model';

/** XML Schema drafts before the 2001 Recommendation (old WSDLs still embed them). */
const OLD_XSD_NS = new Set([
  'http://www.w3.org/1999/XMLSchema',
  'http://www.w3.org/2000/10/XMLSchema',
]);

interface WsdlDoc {
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

interface Named {
  name: QName;
  el: Element;
  doc: WsdlDoc;
}

export interface WsdlParseOptions extends XsdCompileOptions {
  /**
   * Refuse what is only a warning by default: types that do not compile (or import what is
   * not there), faults with undefined messages, binding operations missing from the portType,
   * part references that cannot be checked. Real-world WSDLs often have these; by default they
   * are accepted with warnings (payload validation then needs clean types).
   */
  strict?: boolean;
}

/**
 * Parses WSDL 1.1 bundles: the definitions and everything `wsdl:import` brings in, the types
 * (embedded schemas and their imports, compiled by the {@link XsdCompiler}), messages,
 * portTypes, bindings (SOAP 1.1/1.2, document/RPC) and services. Every QName reference is
 * checked; each missing one is a located problem with a plain message.
 */
export class WsdlParser {
  constructor(
    private readonly xsd: XsdCompiler,
    private readonly safety: XmlSafety = new XmlSafety(),
  ) {}

  async parse(bundle: SchemaBundle, options: WsdlParseOptions = {}): Promise<CompiledWsdl> {
    mainFile(bundle);
    const run = new WsdlRun(this.safety, bundle, options.resolver, options.strict ?? false);
    const main = await run.loadWsdl(bundle, bundle.main, BUNDLE_URL, { scope: 'bundle' });
    if (!main) throw new SchemaInvalidError(sortProblems(run.problems));

    let schema: CompiledXsd | undefined;
    let typesProblems = run.loader.problems;
    if (run.xsdRoots.length > 0) {
      try {
        schema = await this.xsd.compileSources(run.loader, run.xsdRoots, options.keep ?? true);
      } catch (error) {
        if (!(error instanceof SchemaInvalidError)) throw error;
        typesProblems = error.problems;
      }
    }
    run.typesClean = typesProblems.length === 0;
    for (const problem of typesProblems) run.soft(problem);
    if (!run.typesClean && !options.strict) {
      run.warnings.push({
        file: main.file,
        message: 'the types have problems, so payloads cannot be validated against this WSDL',
        code: 'schema_invalid',
      });
    }
    const model = schema?.model ?? new XsdModel([...run.loader.sources.values()]);
    const result = run.check(model);
    if (run.problems.length > 0) {
      if (schema?.engineKey) this.xsd.release(schema.engineKey);
      throw new SchemaInvalidError(sortProblems(dedupe(run.problems)));
    }
    const size = run.docs.reduce((sum, d) => sum + d.text.length, 0);
    return {
      targetNamespace: main.targetNamespace,
      name: attr(main.root, 'name'),
      ...result,
      schema,
      references: [...run.references, ...(schema?.references ?? run.loader.references)],
      warnings: [...run.warnings, ...(schema?.warnings ?? [])],
      estimatedBytes: (schema?.estimatedBytes ?? 0) + size * 10,
    };
  }
}

/** The state of one parse. */
class WsdlRun {
  readonly problems: SchemaProblem[] = [];
  readonly warnings: SchemaProblem[] = [];
  readonly references: SchemaReference[] = [];
  readonly loader: XsdLoader;
  readonly docs: WsdlDoc[] = [];
  readonly xsdRoots: XsdSource[] = [];
  /** Namespaces described by schemas we cannot compile (pre-2001 XML Schema). */
  private readonly unchecked = new Set<string>();
  private readonly fallbackWarned = new Set<WsdlDoc>();
  /** Part references as written (`tns:Foo`), for messages. */
  private readonly written = new Map<object, string>();

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

  /** Checks every reference and lists the operations. */
  check(model: XsdModel): Pick<CompiledWsdl, 'operations' | 'messages' | 'services'> {
    const messages = new Map<string, WsdlMessage>();
    const portTypes = new Map<string, Named>();
    const bindings = new Map<string, Named>();
    const services: WsdlService[] = [];
    for (const doc of this.docs) {
      const name = (el: Element): QName => ({
        namespace: doc.targetNamespace,
        name: attr(el, 'name') ?? '',
      });
      for (const el of childElements(doc.root, 'message', WSDL_NS)) {
        const message: WsdlMessage = {
          name: name(el),
          parts: childElements(el, 'part', WSDL_NS).map((part) => {
            const value = {
              name: attr(part, 'name') ?? '',
              element: resolveQName(part, attr(part, 'element')),
              type: resolveQName(part, attr(part, 'type')),
            };
            this.written.set(value, attr(part, 'element') ?? attr(part, 'type') ?? '');
            return value;
          }),
          documentation: documentation(el),
          file: doc.file,
          line: el.line(),
        };
        messages.set(clark(message.name), message);
      }
      for (const el of childElements(doc.root, 'portType', WSDL_NS))
        portTypes.set(clark(name(el)), { name: name(el), el, doc });
      for (const el of childElements(doc.root, 'binding', WSDL_NS))
        bindings.set(clark(name(el)), { name: name(el), el, doc });
    }

    const problem = (doc: WsdlDoc, el: Element, message: string) =>
      this.problems.push({ file: doc.file, line: el.line(), message, code: 'definition_missing' });

    // portType operations → messages
    const messageOf = (
      doc: WsdlDoc,
      io: Element,
      what: string,
    ): WsdlOperationMessage | undefined => {
      const written = attr(io, 'message');
      const qname = resolveQName(io, written);
      const message = qname && messages.get(clark(qname));
      if (!message) {
        const text = qname
          ? `${what} refers to message ${written}, which is not defined`
          : `${what} has no message attribute`;
        // A fault without its message only leaves that fault's detail undescribed.
        if (io.name() === 'fault')
          this.soft({
            file: doc.file,
            line: io.line(),
            message: `${text}; the fault's detail is not described`,
            code: 'definition_missing',
          });
        else problem(doc, io, text);
        return undefined;
      }
      return { name: attr(io, 'name'), message: message.name, parts: message.parts };
    };
    const abstract = new Map<string, Omit<WsdlOperation, 'endpoints'>>();
    for (const pt of portTypes.values()) {
      for (const op of childElements(pt.el, 'operation', WSDL_NS)) {
        const opName = attr(op, 'name') ?? '';
        const input = firstChild(op, 'input', WSDL_NS);
        const output = firstChild(op, 'output', WSDL_NS);
        abstract.set(`${clark(pt.name)} ${opName}`, {
          name: opName,
          portType: pt.name,
          input: input && messageOf(pt.doc, input, `operation ${opName} input`),
          output: output && messageOf(pt.doc, output, `operation ${opName} output`),
          faults: childElements(op, 'fault', WSDL_NS).flatMap((fault) => {
            const faultName = attr(fault, 'name') ?? '';
            const resolved = messageOf(pt.doc, fault, `operation ${opName} fault ${faultName}`);
            return resolved ? [{ ...resolved, name: faultName }] : [];
          }),
          documentation: documentation(op),
        });
      }
    }

    // services → bindings
    const endpoints = new Map<string, WsdlEndpoint[]>();
    for (const doc of this.docs) {
      for (const el of childElements(doc.root, 'service', WSDL_NS)) {
        const service: WsdlService = {
          name: { namespace: doc.targetNamespace, name: attr(el, 'name') ?? '' },
          ports: [],
        };
        for (const port of childElements(el, 'port', WSDL_NS)) {
          const portName = attr(port, 'name') ?? '';
          const written = attr(port, 'binding');
          const binding = resolveQName(port, written);
          const address = this.soap(doc, port, 'address')?.el ?? firstChild(port, 'address');
          const location = address ? attr(address, 'location') : undefined;
          if (!binding || !bindings.has(clark(binding))) {
            problem(
              doc,
              port,
              `port ${portName} of service ${service.name.name} refers to binding ${written ?? '(none)'}, which is not defined`,
            );
            continue;
          }
          service.ports.push({ name: portName, binding, address: location });
          const list = endpoints.get(clark(binding)) ?? [];
          list.push({ service: service.name.name, port: portName, address: location });
          endpoints.set(clark(binding), list);
        }
        services.push(service);
      }
    }

    // bindings → portTypes and operations
    const operations: WsdlOperation[] = [];
    const bound = new Set<string>();
    const encoded = new Map<string, boolean>();
    for (const b of bindings.values()) {
      const written = attr(b.el, 'type');
      const ptName = resolveQName(b.el, written);
      const pt = ptName && portTypes.get(clark(ptName));
      if (!ptName || !pt) {
        problem(
          b.doc,
          b.el,
          `binding ${b.name.name} refers to portType ${written ?? '(none)'}, which is not defined`,
        );
        continue;
      }
      const soapBinding = this.soap(b.doc, b.el, 'binding');
      for (const bop of childElements(b.el, 'operation', WSDL_NS)) {
        const opName = attr(bop, 'name') ?? '';
        const op = abstract.get(`${clark(pt.name)} ${opName}`);
        if (!op) {
          this.soft({
            file: b.doc.file,
            line: bop.line(),
            message: `binding ${b.name.name} operation ${opName} is not an operation of portType ${pt.name.name}; it is ignored`,
            code: 'definition_missing',
          });
          continue;
        }
        bound.add(`${clark(pt.name)} ${opName}`);
        const soapOperation = this.soap(b.doc, bop, 'operation');
        const inputBody = this.body(b.doc, firstChild(bop, 'input', WSDL_NS));
        const outputBody = this.body(b.doc, firstChild(bop, 'output', WSDL_NS));
        const use =
          (attr(inputBody ?? outputBody ?? bop, 'use') ?? 'literal') === 'encoded'
            ? 'encoded'
            : 'literal';
        for (const m of [op.input, op.output, ...op.faults]) {
          if (m)
            encoded.set(
              clark(m.message),
              (encoded.get(clark(m.message)) ?? true) && use === 'encoded',
            );
        }
        const style = soapOperation?.el ? attr(soapOperation.el, 'style') : undefined;
        operations.push({
          ...op,
          binding: b.name,
          soapVersion: soapBinding?.version ?? soapOperation?.version,
          style:
            soapBinding || soapOperation
              ? (style ?? (soapBinding && attr(soapBinding.el, 'style')) ?? 'document') === 'rpc'
                ? 'rpc'
                : 'document'
              : undefined,
          soapAction: soapOperation ? attr(soapOperation.el, 'soapAction') : undefined,
          use: soapBinding ? use : undefined,
          namespace: inputBody ? attr(inputBody, 'namespace') : undefined,
          endpoints: endpoints.get(clark(b.name)) ?? [],
        });
      }
    }
    for (const [key, op] of abstract)
      if (!bound.has(key)) operations.push({ ...op, endpoints: [] });

    this.checkParts(model, [...messages.values()], encoded);
    return { operations, messages: [...messages.values()], services };
  }

  /** Part element/type references; lenient (a warning) where they cannot matter or be checked. */
  private checkParts(
    model: XsdModel,
    messages: WsdlMessage[],
    encoded: Map<string, boolean>,
  ): void {
    for (const message of messages) {
      for (const part of message.parts) {
        const where = { file: message.file, line: message.line };
        const what = `message ${message.name.name} part ${part.name}`;
        const ref = part.element ?? part.type;
        if (!ref) {
          this.problems.push({
            ...where,
            message: `${what} has neither an element nor a type`,
            code: 'definition_missing',
          });
          continue;
        }
        const exists = part.element
          ? model.get('element', part.element) !== undefined
          : model.hasType(ref);
        if (exists) continue;
        const kind = part.element ? 'element' : 'type';
        const written = this.written.get(part) || clark(ref);
        const text = `${what} refers to ${kind} ${written}, which is not defined`;
        if (!this.typesClean) {
          this.soft({
            ...where,
            message: `${text} (the types have problems, so this is not certain)`,
            code: 'definition_missing',
          });
        } else if (this.unchecked.has(ref.namespace ?? '')) {
          this.warnings.push({
            ...where,
            message: `${what} refers to ${kind} ${written}, which cannot be checked (pre-2001 XML Schema)`,
            code: 'definition_missing',
          });
        } else if (encoded.get(clark(message.name))) {
          this.warnings.push({
            ...where,
            message: `${text} (SOAP-encoded, so not validated)`,
            code: 'definition_missing',
          });
        } else {
          this.problems.push({ ...where, message: text, code: 'definition_missing' });
        }
      }
    }
  }

  /** The SOAP 1.1/1.2 extension element `localName` under `parent`, with its version. */
  private soap(
    doc: WsdlDoc,
    parent: Element,
    localName: string,
  ): { el: Element; version: SoapVersion } | undefined {
    for (const el of childElements(parent)) {
      const ns = namespaceOf(el);
      if (el.name() === localName && ns === SOAP11_BINDING_NS) return { el, version: '1.1' };
      if (el.name() === localName && ns === SOAP12_BINDING_NS) return { el, version: '1.2' };
      if (!ns && el.name().endsWith(`:${localName}`) && /^soap/i.test(el.name())) {
        if (!this.fallbackWarned.has(doc)) {
          this.fallbackWarned.add(doc);
          this.warnings.push({
            file: doc.file,
            line: el.line(),
            message: `prefix ${el.name().split(':')[0]} is not declared; its elements are read as SOAP ${doc.soapFallback} binding elements`,
            code: 'syntax_error',
          });
        }
        return { el, version: doc.soapFallback };
      }
    }
    return undefined;
  }

  private body(doc: WsdlDoc, io: Element | undefined): Element | undefined {
    return io ? this.soap(doc, io, 'body')?.el : undefined;
  }
}

function documentation(el: Element): string | undefined {
  const doc = firstChild(el, 'documentation', WSDL_NS);
  const text = doc?.text().trim();
  return text || undefined;
}

function localName(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}|${p.line}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
