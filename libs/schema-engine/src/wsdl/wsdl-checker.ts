import { type Element } from 'libxmljs2';

import {
  attr,
  childElements,
  clark,
  firstChild,
  namespaceOf,
  resolveQName,
  type QName,
  type XsdModel,
} from '../xsd/xsd-model';
import { type WsdlDoc, type WsdlLoader } from './wsdl-loader';
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

interface Named {
  name: QName;
  el: Element;
  doc: WsdlDoc;
}

/**
 * Indexes the definitions of every loaded WSDL document, checks each QName reference
 * (messages, part elements/types, portTypes, bindings) and lists the bound operations.
 */
export class WsdlChecker {
  private readonly fallbackWarned = new Set<WsdlDoc>();
  /** Part references as written (`tns:Foo`), for messages. */
  private readonly written = new Map<object, string>();

  constructor(private readonly run: WsdlLoader) {}

  /** Checks every reference and lists the operations. */
  check(model: XsdModel): Pick<CompiledWsdl, 'operations' | 'messages' | 'services'> {
    const messages = new Map<string, WsdlMessage>();
    const portTypes = new Map<string, Named>();
    const bindings = new Map<string, Named>();
    const services: WsdlService[] = [];
    for (const doc of this.run.docs) {
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
      this.run.problems.push({
        file: doc.file,
        line: el.line(),
        message,
        code: 'definition_missing',
      });

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
          this.run.soft({
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
    for (const doc of this.run.docs) {
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
          this.run.soft({
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
        const soap = soapBinding ?? soapOperation;
        // soap:operation style overrides soap:binding style; the default is document.
        const style =
          (soapOperation && attr(soapOperation.el, 'style')) ??
          (soapBinding && attr(soapBinding.el, 'style'));
        operations.push({
          ...op,
          binding: b.name,
          soapVersion: soap?.version,
          style: soap ? (style === 'rpc' ? 'rpc' : 'document') : undefined,
          soapAction: soapOperation ? attr(soapOperation.el, 'soapAction') : undefined,
          use: soap ? use : undefined,
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
          this.run.problems.push({
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
        if (!this.run.typesClean) {
          this.run.soft({
            ...where,
            message: `${text} (the types have problems, so this is not certain)`,
            code: 'definition_missing',
          });
        } else if (this.run.unchecked.has(ref.namespace ?? '')) {
          this.run.warnings.push({
            ...where,
            message: `${what} refers to ${kind} ${written}, which cannot be checked (pre-2001 XML Schema)`,
            code: 'definition_missing',
          });
        } else if (encoded.get(clark(message.name))) {
          this.run.warnings.push({
            ...where,
            message: `${text} (SOAP-encoded, so not validated)`,
            code: 'definition_missing',
          });
        } else {
          this.run.problems.push({ ...where, message: text, code: 'definition_missing' });
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
          this.run.warnings.push({
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
