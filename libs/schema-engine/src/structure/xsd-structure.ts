import { type Element } from 'libxmljs2';

import { type CompiledWsdl, type WsdlOperationMessage } from '../wsdl/wsdl-model';
import { type CompiledXsd } from '../xsd/xsd-compiler';
import {
  attr,
  childElements,
  clark,
  firstChild,
  localNameOf,
  resolveQName,
  XSD_NS,
  type QName,
  type XsdDocument,
  type XsdModel,
} from '../xsd/xsd-model';
import { type SchemaField, type SchemaStructure, type StructureOptions } from './schema-structure';
import { cutShort } from './structure-focus';
import { documentation, occurs, restrictionFacts, simpleFacts, typeLabel } from './xsd-field-facts';

const DEFAULTS: StructureOptions = { maxDepth: 16, maxNodes: 20_000 };

/** Structure of an XSD: one tree per global element (or only `root`, by local or `{ns}` name). */
export function xsdStructure(
  schema: CompiledXsd,
  options: Partial<StructureOptions> & { root?: string } = {},
): SchemaStructure {
  const builder = new XsdStructureBuilder(schema.model, { ...DEFAULTS, ...options });
  const roots = schema.globalElements
    .filter((e) => !options.root || clark(e) === options.root || e.name === options.root)
    .map((e) => builder.globalElement(e, ''))
    .filter((f): f is SchemaField => f !== undefined);
  return { type: 'XSD', roots, types: namedTypes(schema.model) };
}

/** Structure of a WSDL: operation → input/output/faults → parts → their XSD trees. */
export function wsdlStructure(
  wsdl: CompiledWsdl,
  options: Partial<StructureOptions> = {},
): SchemaStructure {
  const model = wsdl.schema?.model;
  const builder = model && new XsdStructureBuilder(model, { ...DEFAULTS, ...options });
  const seen = new Set<string>();
  const roots: SchemaField[] = [];
  for (const op of wsdl.operations) {
    if (seen.has(op.name)) continue;
    seen.add(op.name);
    const path = `/${op.name}`;
    const message = (role: string, m: WsdlOperationMessage | undefined): SchemaField[] =>
      m
        ? [
            {
              path: `${path}/${role}`,
              name: role,
              kind: 'message',
              type: m.message.name,
              typeNamespace: m.message.namespace,
              children: m.parts.map((part) => {
                const partPath = `${path}/${role}/${part.name}`;
                const tree = part.element
                  ? builder?.globalElement(part.element, `${path}/${role}`)
                  : undefined;
                if (tree) return { ...tree, kind: 'part' as const };
                const typed =
                  part.type && builder?.typedField(part.name, part.type, `${path}/${role}`);
                return typed
                  ? { ...typed, kind: 'part' as const }
                  : {
                      path: partPath,
                      name: part.name,
                      kind: 'part' as const,
                      type: (part.element ?? part.type)?.name,
                    };
              }),
            },
          ]
        : [];
    roots.push({
      path,
      name: op.name,
      kind: 'operation',
      documentation: op.documentation,
      children: [
        ...message('input', op.input),
        ...message('output', op.output),
        ...op.faults.flatMap((f) => message(`fault:${f.name}`, f)),
      ],
    });
  }
  return { type: 'WSDL', roots, types: model ? namedTypes(model) : [] };
}

function namedTypes(model: XsdModel): string[] {
  return [...model.list('complexType'), ...model.list('simpleType')]
    .map((c) => clark(c.qname))
    .sort();
}

class XsdStructureBuilder {
  private nodes = 0;

  constructor(
    private readonly model: XsdModel,
    private readonly options: StructureOptions,
  ) {}

  globalElement(qname: QName, parentPath: string): SchemaField | undefined {
    const component = this.model.get('element', qname);
    if (!component) return undefined;
    return this.element(component.el, component.doc, parentPath, 0, [], true);
  }

  /** A field named `name` of type `type` (an RPC part). */
  typedField(name: string, type: QName, parentPath: string): SchemaField {
    const path = `${parentPath}/${name}`;
    const field: SchemaField = {
      path,
      name,
      kind: 'element',
      type: typeLabel(type),
      typeNamespace: type.namespace,
    };
    this.typeInto(field, type, path, 1, []);
    return field;
  }

  private element(
    decl: Element,
    doc: XsdDocument,
    parentPath: string,
    depth: number,
    stack: string[],
    global = false,
  ): SchemaField {
    this.nodes += 1;
    const ref = resolveQName(decl, attr(decl, 'ref'));
    const target = ref ? this.model.get('element', ref) : undefined;
    const el = target?.el ?? decl;
    const owner = target?.doc ?? doc;
    const isGlobal = global || target !== undefined;
    const name = attr(el, 'name') ?? ref?.name ?? '?';
    const qualified = isGlobal || (attr(el, 'form') ?? owner.elementFormDefault) === 'qualified';
    const path = `${parentPath}/${name}`;
    const field: SchemaField = {
      path,
      name,
      namespace: qualified ? owner.targetNamespace : undefined,
      kind: 'element',
      ...(global ? {} : occurs(decl)),
      documentation: documentation(decl) ?? (target ? documentation(target.el) : undefined),
    };
    if (cutShort(path, depth, this.nodes, this.options)) {
      field.truncated = true;
      return field;
    }
    const type = resolveQName(el, attr(el, 'type'));
    if (type) {
      field.type = typeLabel(type);
      field.typeNamespace = type.namespace;
      this.typeInto(field, type, path, depth, stack);
    } else {
      const inline = firstChild(el, 'complexType', XSD_NS) ?? firstChild(el, 'simpleType', XSD_NS);
      if (inline) this.definitionInto(field, inline, owner, path, depth, stack);
    }
    return field;
  }

  private typeInto(
    field: SchemaField,
    type: QName,
    path: string,
    depth: number,
    stack: string[],
  ): void {
    const key = clark(type);
    const component = this.model.type(type);
    if (!component) return;
    if (stack.includes(key)) {
      field.recursive = true;
      return;
    }
    this.definitionInto(field, component.el, component.doc, path, depth, [...stack, key]);
  }

  /** Adds what a complexType / simpleType says to `field`. */
  private definitionInto(
    field: SchemaField,
    def: Element,
    doc: XsdDocument,
    path: string,
    depth: number,
    stack: string[],
  ): void {
    if (localNameOf(def) === 'simpleType') {
      Object.assign(
        field,
        simpleFacts(def, (q) => this.model.type(q)?.el),
      );
      return;
    }
    const children: SchemaField[] = [];
    this.complexInto(field, children, def, doc, path, depth, stack);
    if (children.length > 0) field.children = children;
  }

  private complexInto(
    field: SchemaField,
    out: SchemaField[],
    def: Element,
    doc: XsdDocument,
    path: string,
    depth: number,
    stack: string[],
  ): void {
    for (const child of childElements(def, undefined, XSD_NS)) {
      switch (localNameOf(child)) {
        case 'simpleContent':
        case 'complexContent': {
          const derivation =
            firstChild(child, 'extension', XSD_NS) ?? firstChild(child, 'restriction', XSD_NS);
          if (!derivation) break;
          const base = resolveQName(derivation, attr(derivation, 'base'));
          const baseType = base && this.model.type(base);
          if (localNameOf(child) === 'simpleContent') {
            if (base && !field.type) field.type = typeLabel(base);
            if (baseType && localNameOf(baseType.el) === 'simpleType')
              Object.assign(
                field,
                simpleFacts(baseType.el, (q) => this.model.type(q)?.el),
              );
            else if (baseType && !stack.includes(clark(baseType.qname))) {
              // simpleContent of a complex base: inherit its attributes
              this.complexInto(field, out, baseType.el, baseType.doc, path, depth, [
                ...stack,
                clark(baseType.qname),
              ]);
            }
            Object.assign(field, restrictionFacts(derivation));
          } else if (
            localNameOf(derivation) === 'extension' &&
            baseType &&
            !stack.includes(clark(baseType.qname))
          ) {
            this.complexInto(field, out, baseType.el, baseType.doc, path, depth, [
              ...stack,
              clark(baseType.qname),
            ]);
          } else if (localNameOf(derivation) === 'restriction' && baseType) {
            // restriction: the particles are restated; attributes are inherited
            for (const a of this.attributes(baseType.el, baseType.doc, path)) out.push(a);
          }
          this.complexInto(field, out, derivation, doc, path, depth, stack);
          break;
        }
        case 'sequence':
        case 'choice':
        case 'all':
        case 'group':
          this.particle(out, child, doc, path, depth, stack, false);
          break;
        case 'attribute':
        case 'attributeGroup':
          out.push(...this.attributes(def, doc, path, child));
          break;
      }
    }
  }

  private particle(
    out: SchemaField[],
    el: Element,
    doc: XsdDocument,
    path: string,
    depth: number,
    stack: string[],
    inChoice: boolean,
  ): void {
    switch (localNameOf(el)) {
      case 'element': {
        const field = this.element(el, doc, path, depth + 1, stack);
        if (inChoice) field.choice = true;
        out.push(field);
        break;
      }
      case 'any':
        this.nodes += 1;
        out.push({
          path: `${path}/*`,
          name: '*',
          kind: 'any',
          ...occurs(el),
          ...(inChoice ? { choice: true } : {}),
        });
        break;
      case 'group': {
        const ref = resolveQName(el, attr(el, 'ref'));
        const group = ref && this.model.get('group', ref);
        if (!group || stack.includes(`group ${clark(group.qname)}`)) break;
        for (const c of childElements(group.el, undefined, XSD_NS)) {
          this.particle(
            out,
            c,
            group.doc,
            path,
            depth,
            [...stack, `group ${clark(group.qname)}`],
            inChoice,
          );
        }
        break;
      }
      case 'sequence':
      case 'choice':
      case 'all': {
        const choice = inChoice || localNameOf(el) === 'choice';
        for (const c of childElements(el, undefined, XSD_NS))
          this.particle(out, c, doc, path, depth, stack, choice);
        break;
      }
    }
  }

  /** Attributes of a type definition (own, attribute groups), or just `only`. */
  private attributes(
    def: Element,
    doc: XsdDocument,
    path: string,
    only?: Element,
    seen = new Set<string>(),
  ): SchemaField[] {
    const out: SchemaField[] = [];
    for (const a of only ? [only] : childElements(def, undefined, XSD_NS)) {
      if (localNameOf(a) === 'attribute') {
        const ref = resolveQName(a, attr(a, 'ref'));
        const target = ref ? this.model.get('attribute', ref) : undefined;
        const el = target?.el ?? a;
        const name = attr(el, 'name') ?? ref?.name ?? '?';
        const type = resolveQName(el, attr(el, 'type'));
        const qualified =
          target !== undefined || (attr(a, 'form') ?? doc.attributeFormDefault) === 'qualified';
        const field: SchemaField = {
          path: `${path}/@${name}`,
          name,
          namespace: qualified ? (target?.doc ?? doc).targetNamespace : undefined,
          kind: 'attribute',
          type: type ? typeLabel(type) : undefined,
          typeNamespace: type?.namespace,
          required: attr(a, 'use') === 'required',
          documentation: documentation(a) ?? (target ? documentation(target.el) : undefined),
        };
        const inline = firstChild(el, 'simpleType', XSD_NS);
        const named = type && this.model.type(type);
        const simple =
          inline ?? (named && localNameOf(named.el) === 'simpleType' ? named.el : undefined);
        if (simple)
          Object.assign(
            field,
            simpleFacts(simple, (q) => this.model.type(q)?.el),
          );
        this.nodes += 1;
        out.push(field);
      } else if (localNameOf(a) === 'attributeGroup') {
        const ref = resolveQName(a, attr(a, 'ref'));
        const group = ref && this.model.get('attributeGroup', ref);
        if (!group || seen.has(clark(group.qname))) continue;
        seen.add(clark(group.qname));
        out.push(...this.attributes(group.el, group.doc, path, undefined, seen));
      }
    }
    return out;
  }
}
