import { isObject, resolvePointer, resolveUri, stripFragment } from './json-schema-refs';

/**
 * A proof that validating against a schema takes time linear in the payload, and its factor:
 * the most work (in units of about one keyword check) ajv can do on one value at each depth
 * of a payload. With it, `factor × payload size` bounds a whole validation, and a validation
 * may run on the event loop when that product is small (json-validation-policy.ts); anything
 * else goes to a worker, under the time limit.
 *
 * The schema is read as an automaton: subschemas applied to the same value (allOf, anyOf,
 * oneOf, not, if/then/else, $ref, dependentSchemas) and subschemas applied to a child
 * (properties, items, additionalProperties, …). The work at depth d is computed level by level;
 * recursion through children is fine as long as the work per level settles (a recursive
 * "configuration" type does; `anyOf: [{properties: {a: {$ref: "#"}}}, {properties: {a: {$ref:
 * "#"}}}]` doubles per level and is caught). Not provably linear, so never run inline:
 *  - recursion that does not descend (ajv itself would not terminate), `$dynamicRef` /
 *    `$recursiveRef` (resolved at run time), refs to anchors the analysis cannot locate;
 *  - payloads deeper than the level where the work per value stops settling.
 * `uniqueItems` over items that may be objects or arrays compares every pair (O(n²)): noted as
 * `quadratic`, for the policy to charge. Patterns and formats count as linear: they run on RE2
 * (json-regexp.ts, json-formats.ts).
 */

/** Subschemas applied to the same value as their parent. */
const IN_PLACE_ONE = ['not', 'if', 'then', 'else'];
const IN_PLACE_MANY = ['allOf', 'anyOf', 'oneOf'];
const IN_PLACE_MAP = ['dependentSchemas', 'dependencies'];
/** Subschemas applied to every property value, or to every item. */
const EVERY_PROPERTY = ['additionalProperties', 'propertyNames', 'unevaluatedProperties'];
const EVERY_ITEM = ['additionalItems', 'unevaluatedItems', 'contains'];
const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** Levels computed at most; deeper payloads are not proven linear unless the work settled. */
const MAX_LEVELS = 64;
/**
 * One regular expression test (or format check), relative to a plain keyword check: an RE2
 * test of a short string costs about 1 µs, a keyword check a few nanoseconds.
 */
const REGEX_WEIGHT = 250;
/** Graphs larger than this are not analysed (their validations go to a worker). */
const MAX_NODES = 200_000;

class Unbounded extends Error {}

export interface CostDocument {
  /** Base URI of the document. */
  uri: string;
  schema: unknown;
}

export interface LinearBound {
  /** Most work on the root value of a payload. */
  root: number;
  /**
   * Most work on a value `index` levels below a property of the root, by the property's name
   * (the root's `properties`); `otherProperty` for any other name.
   */
  properties: Map<string, number[]>;
  otherProperty: number[];
  /** The same below an item of a root array, by index (`prefixItems`); `otherItem` for the rest. */
  items: number[][];
  otherItem: number[];
  /** The work per level settled: each vector's last entry holds for any deeper value. */
  settled: boolean;
  /** Some `uniqueItems` compares items pairwise. */
  quadratic: boolean;
}

/** Entry `depth` of a work vector, or undefined when nothing bounds it. */
export function workAt(bound: LinearBound, work: number[], depth: number): number | undefined {
  if (depth < work.length) return work[depth];
  return bound.settled && work.length > 0 ? work[work.length - 1] : undefined;
}

interface Children {
  /** Applied to every child of this kind. */
  every: Node[];
  /** One of them applies to a given child (properties by name, prefixItems by index). */
  oneOf: Node[];
  /** For properties: the name of each of `oneOf`. */
  names: string[];
  /** Matching the child's name (properties, patternProperties). */
  weight: number;
}

interface Node {
  id: number;
  own: number;
  inPlace: Node[];
  property: Children;
  item: Children;
}

/**
 * The linear bound of the schema at `mainUri`, or undefined when there is none. `idKey` is `id`
 * for draft-04, else `$id`. Levels where one value alone costs more than `maxWork` are not
 * computed: no payload reaching them would be validated inline anyway.
 */
export function linearBound(
  documents: CostDocument[],
  mainUri: string,
  idKey: string,
  maxWork: number,
): LinearBound | undefined {
  try {
    const graph = new Graph(documents, idKey);
    const root = graph.node(graph.byUri.get(mainUri));
    return evaluate(graph.nodes, graph.inPlaceOrder(), root, graph.quadratic, maxWork);
  } catch (error) {
    if (error instanceof Unbounded || error instanceof RangeError) return undefined;
    throw error;
  }
}

class Graph {
  readonly byUri = new Map<string, unknown>();
  readonly nodes: Node[] = [];
  private readonly bases = new Map<object, string>();
  private readonly built = new Map<unknown, Node>();
  private readonly pending: [Node, unknown][] = [];
  quadratic = false;

  constructor(
    documents: CostDocument[],
    private readonly idKey: string,
  ) {
    for (const doc of documents) {
      this.byUri.set(doc.uri, doc.schema);
      this.index(doc.schema, doc.uri);
    }
  }

  private index(node: unknown, base: string): void {
    if (typeof node !== 'object' || node === null) return;
    let here = base;
    if (isObject(node)) {
      const id = node[this.idKey];
      if (typeof id === 'string' && !id.startsWith('#')) {
        here = stripFragment(resolveUri(id, base));
        if (!this.byUri.has(here)) this.byUri.set(here, node);
      }
      this.bases.set(node, here);
    }
    for (const value of Object.values(node as Record<string, unknown>)) this.index(value, here);
  }

  /** The node of a schema, with every node it reaches built too. */
  node(schema: unknown): Node {
    const root = this.lookup(schema);
    while (this.pending.length > 0) {
      if (this.nodes.length > MAX_NODES) throw new Unbounded('too large to analyse');
      const [node, value] = this.pending.pop() as [Node, unknown];
      this.fill(node, value as Record<string, unknown>);
    }
    return root;
  }

  private lookup(schema: unknown): Node {
    let node = this.built.get(schema);
    if (!node) {
      node = {
        id: this.nodes.length,
        own: isObject(schema) ? ownWeight(schema) : 1,
        inPlace: [],
        property: { every: [], oneOf: [], names: [], weight: 0 },
        item: { every: [], oneOf: [], names: [], weight: 0 },
      };
      this.nodes.push(node);
      this.built.set(schema, node);
      if (isObject(schema)) this.pending.push([node, schema]);
    }
    return node;
  }

  private fill(node: Node, schema: Record<string, unknown>): void {
    const nodes = (value: unknown): Node[] =>
      Array.isArray(value) ? value.map((s) => this.lookup(s)) : [this.lookup(value)];
    const values = (map: unknown): unknown[] => (isObject(map) ? Object.values(map) : []);
    if (schema['$dynamicRef'] !== undefined || schema['$recursiveRef'] !== undefined) {
      throw new Unbounded('dynamic $ref');
    }
    if (typeof schema['$ref'] === 'string') node.inPlace.push(this.lookup(this.target(schema)));
    for (const key of [...IN_PLACE_ONE, ...IN_PLACE_MANY]) {
      if (schema[key] !== undefined) node.inPlace.push(...nodes(schema[key]));
    }
    for (const key of IN_PLACE_MAP) {
      for (const s of values(schema[key])) if (!Array.isArray(s)) node.inPlace.push(this.lookup(s));
    }
    for (const key of EVERY_PROPERTY) {
      if (schema[key] !== undefined) node.property.every.push(this.lookup(schema[key]));
    }
    node.property.every.push(...values(schema['patternProperties']).map((s) => this.lookup(s)));
    if (isObject(schema['properties'])) {
      for (const [name, s] of Object.entries(schema['properties'])) {
        node.property.names.push(name);
        node.property.oneOf.push(this.lookup(s));
      }
    }
    node.property.weight = propertyWeight(schema);
    for (const key of EVERY_ITEM) {
      if (schema[key] !== undefined) node.item.every.push(this.lookup(schema[key]));
    }
    for (const key of ['items', 'prefixItems']) {
      const items = schema[key];
      if (Array.isArray(items)) node.item.oneOf.push(...nodes(items));
      else if (items !== undefined) node.item.every.push(this.lookup(items));
    }
    node.item.weight = 1;
    if (schema['uniqueItems'] === true && !scalarItems(schema['items'])) this.quadratic = true;
  }

  private target(node: Record<string, unknown>): unknown {
    const ref = node['$ref'] as string;
    const base = this.bases.get(node) ?? '';
    const hash = ref.indexOf('#');
    const root = this.byUri.get(hash === 0 ? base : stripFragment(resolveUri(ref, base)));
    const fragment = hash < 0 ? '' : decodeURIComponent(ref.slice(hash + 1));
    if (root === undefined || (fragment !== '' && !fragment.startsWith('/'))) {
      throw new Unbounded(`cannot locate $ref ${ref}`);
    }
    const found = fragment === '' ? root : resolvePointer(root, fragment);
    if (found === undefined) throw new Unbounded(`cannot locate $ref ${ref}`);
    return found;
  }

  /** Every node after the nodes it applies in place; a cycle of those never terminates. */
  inPlaceOrder(): Node[] {
    const order: Node[] = [];
    const state = new Uint8Array(this.nodes.length); // 0 new, 1 on the path, 2 done
    for (const start of this.nodes) {
      if (state[start.id] === 2) continue;
      const stack: [Node, number][] = [[start, 0]];
      state[start.id] = 1;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const [node, next] = top;
        if (next < node.inPlace.length) {
          top[1] += 1;
          const child = node.inPlace[next];
          if (state[child.id] === 1) throw new Unbounded('a $ref cycle that never descends');
          if (state[child.id] === 0) {
            state[child.id] = 1;
            stack.push([child, 0]);
          }
        } else {
          state[node.id] = 2;
          order.push(node);
          stack.pop();
        }
      }
    }
    return order;
  }
}

/** The work per value, level by level, until it settles or grows past any use. */
function evaluate(
  nodes: Node[],
  order: Node[],
  root: Node,
  quadratic: boolean,
  maxWork: number,
): LinearBound {
  let previous = new Float64Array(nodes.length);
  for (const node of order) {
    previous[node.id] = node.own + node.inPlace.reduce((sum, c) => sum + previous[c.id], 0);
  }
  const levels = [previous];
  const children = (kind: Children, prev: Float64Array, level: number) => {
    let sum = level === 1 ? kind.weight : 0;
    for (const c of kind.every) sum += prev[c.id];
    let most = 0;
    for (const c of kind.oneOf) most = Math.max(most, prev[c.id]);
    return sum + most;
  };
  let settled = false;
  for (let level = 1; level <= MAX_LEVELS && !settled; level++) {
    const properties = new Float64Array(nodes.length);
    const items = new Float64Array(nodes.length);
    const current = new Float64Array(nodes.length);
    for (const node of order) {
      let p = children(node.property, previous, level);
      let i = children(node.item, previous, level);
      for (const c of node.inPlace) {
        p += properties[c.id];
        i += items[c.id];
      }
      properties[node.id] = p;
      items[node.id] = i;
      current[node.id] = Math.max(p, i);
    }
    if (!(current[root.id] <= maxWork)) break;
    settled = level > 1 && current.every((value, id) => value === previous[id]);
    levels.push(current);
    previous = current;
  }
  return { ...rootSummary(root, levels), settled, quadratic };
}

/**
 * The work below each child of the root, from every schema applied to the root (with
 * multiplicity) and the levels computed for every node.
 */
function rootSummary(
  root: Node,
  levels: Float64Array[],
): Pick<LinearBound, 'root' | 'properties' | 'otherProperty' | 'items' | 'otherItem'> {
  const applied = new Map<Node, number>();
  const visit = (node: Node, times: number) => {
    applied.set(node, (applied.get(node) ?? 0) + times);
    for (const c of node.inPlace) visit(c, times);
  };
  visit(root, 1);
  // A schema applied to a child of the root: the work e levels below that child.
  const vector = (node: Node) => levels.map((level) => level[node.id]);
  const sum = (a: number[], b: number[], times = 1) =>
    Array.from(
      { length: Math.max(a.length, b.length) },
      (_, i) => (a[i] ?? 0) + times * (b[i] ?? 0),
    );
  let otherProperty: number[] = [];
  let otherItem: number[] = [];
  const byName = new Map<string, number[]>();
  const byIndex: number[][] = [];
  for (const [node, times] of applied) {
    otherProperty = sum(otherProperty, [node.property.weight], times);
    otherItem = sum(otherItem, [node.item.weight], times);
    for (const c of node.property.every) otherProperty = sum(otherProperty, vector(c), times);
    for (const c of node.item.every) otherItem = sum(otherItem, vector(c), times);
    node.property.names.forEach((name, i) => {
      byName.set(name, sum(byName.get(name) ?? [], vector(node.property.oneOf[i]), times));
    });
    node.item.oneOf.forEach((c, i) => (byIndex[i] = sum(byIndex[i] ?? [], vector(c), times)));
  }
  return {
    root: levels[0][root.id],
    properties: new Map([...byName].map(([name, work]) => [name, sum(work, otherProperty)])),
    otherProperty,
    items: Array.from(byIndex, (work) => sum(work ?? [], otherItem)),
    otherItem,
  };
}

/** What checking one value against the schema's own keywords costs (not its subschemas). */
function ownWeight(schema: Record<string, unknown>): number {
  let weight = 1 + Object.keys(schema).length;
  for (const key of ['required', 'enum', 'const', 'dependentRequired']) {
    // ajv compares with each listed value: about one check per few characters of them.
    if (schema[key] !== undefined) weight += Math.ceil(JSON.stringify(schema[key]).length / 2);
  }
  if (isObject(schema['properties'])) weight += Object.keys(schema['properties']).length;
  if (typeof schema['pattern'] === 'string') weight += REGEX_WEIGHT;
  if (typeof schema['format'] === 'string') weight += REGEX_WEIGHT;
  return weight;
}

/** Per property: matching its name against `properties` and every `patternProperties` key. */
function propertyWeight(schema: Record<string, unknown>): number {
  const patterns = isObject(schema['patternProperties'])
    ? Object.keys(schema['patternProperties']).length
    : 0;
  const names = isObject(schema['properties']) ? Object.keys(schema['properties']).length : 0;
  return 1 + Math.min(names, 8) + patterns * REGEX_WEIGHT;
}

/** ajv checks uniqueItems with a hash (linear) only when `items` declares scalar types. */
function scalarItems(items: unknown): boolean {
  if (!isObject(items)) return false;
  const types = Array.isArray(items['type']) ? items['type'] : [items['type']];
  return types.length > 0 && types.every((t) => typeof t === 'string' && SCALAR_TYPES.has(t));
}
