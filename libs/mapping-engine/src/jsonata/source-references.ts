import { type ExprNode } from 'jsonata';

import { type SchemaField } from '@integrixs/schema-engine';

import {
  fieldChildren,
  hasAttributes,
  MIXED_KEY,
  resolved,
  TEXT_KEY,
  type CanonicalOptions,
} from '../canonical/canonical-fields';

/**
 * Source fields an expression refers to that the source structure does not have: walks the
 * JSONata AST, following each path's name steps from the context they apply to (the document,
 * a filter's step, a block), and reports the first step that matches no field. Anything whose
 * context cannot be known statically (variables, lambdas, wildcards, function results, fields
 * the structure cut short or leaves open) is not checked: the warnings have no false alarms.
 */
export interface UnknownReference {
  /** Structure path of the field that does not exist: `/Invoice/Bogus`. */
  path: string;
  position?: number;
}

type Context = SchemaField[] | null;

interface Node {
  type: string;
  value?: unknown;
  position?: number;
  steps?: Node[];
  stages?: { type: string; expr?: Node }[];
  predicate?: { type: string; expr?: Node }[];
  group?: { lhsPairs?: Node[][] };
  [key: string]: unknown;
}

/** Expands fields the structure cut short (as in CanonicalOptions.expand); else not checked. */
let expandField: CanonicalOptions = {};

export function unknownReferences(
  ast: ExprNode,
  root: SchemaField,
  expand?: CanonicalOptions['expand'],
): UnknownReference[] {
  const found: UnknownReference[] = [];
  expandField = { expand };
  try {
    walk(ast as unknown as Node, [root], root, found);
  } finally {
    expandField = {};
  }
  return found;
}

function walk(node: Node, ctx: Context, root: SchemaField, out: UnknownReference[]): void {
  if (node.type === 'path') {
    walkPath(node, ctx, root, out);
    return;
  }
  if (node.type === 'name') {
    walkPath({ type: 'path', steps: [node] }, ctx, root, out);
    return;
  }
  // A lambda's body runs on whatever it is applied to: unknown context.
  const inner = node.type === 'lambda' ? null : ctx;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'procedure') continue;
    for (const child of nodesIn(value)) walk(child, inner, root, out);
  }
}

function walkPath(node: Node, ctx: Context, root: SchemaField, out: UnknownReference[]): void {
  let current: Context = ctx;
  for (const [i, step] of (node.steps ?? []).entries()) {
    if (step.type === 'name' && current) {
      const name = String(step.value);
      const next = current.flatMap((f) => childrenNamed(f, name));
      if (next.some((f) => f === OPEN)) current = null;
      else if (next.length === 0) {
        // Through a JSON array: the path names its items (`/lines[]/x`).
        const parent = current[0].children?.find((c) => c.kind === 'items') ?? current[0];
        out.push({ path: `${parent.path.replace(/\/$/, '')}/${name}`, position: step.position });
        current = null;
      } else current = next;
    } else if (step.type === 'variable' && i === 0) {
      current = step.value === '' ? ctx : step.value === '$' ? [root] : null;
    } else if (step.type !== 'name') {
      walk(step, current, root, out);
      current = null;
    }
    // Filters and predicates of this step see its result as their context.
    for (const stage of [...(step.stages ?? []), ...(step.predicate ?? [])]) {
      if (stage.expr) walk(stage.expr, current, root, out);
    }
    for (const pair of step.group?.lhsPairs ?? []) {
      for (const part of pair) walk(part, current, root, out);
    }
  }
}

/** Marks a field whose children are not known (wildcard, truncated, recursive). */
const OPEN = { path: '', name: '*', kind: 'any' } as SchemaField;

/** The fields a name step reaches from `field` (JSON arrays are transparent in JSONata). */
function childrenNamed(cut: SchemaField, name: string): SchemaField[] {
  const field = resolved(cut, expandField);
  if (field.truncated || field.recursive || field.kind === 'any') return [OPEN];
  const items = field.children?.find((c) => c.kind === 'items');
  if (items) return childrenNamed(items, name);
  if (field.children?.some((c) => c.kind === 'property' || (c.kind === 'any' && c.name === '*'))) {
    // JSON Schema: properties by name; `additionalProperties` leaves the object open.
    const property = field.children.filter((c) => c.kind === 'property' && c.name === name);
    if (property.length > 0) return property;
    return field.children.some((c) => c.name === '*') ? [OPEN] : [];
  }
  const children = fieldChildren(field);
  const element = children.elements.get(name) ?? children.attributes.get(name);
  if (element) return [element];
  if (name === TEXT_KEY && hasAttributes(field)) return [{ ...field, children: [] }];
  if (name === MIXED_KEY || children.wildcard) return [OPEN];
  return [];
}

function nodesIn(value: unknown): Node[] {
  if (Array.isArray(value)) return value.flatMap(nodesIn);
  if (typeof value === 'object' && value !== null && typeof (value as Node).type === 'string') {
    return [value as Node];
  }
  return [];
}
