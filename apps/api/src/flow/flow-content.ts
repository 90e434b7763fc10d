import Ajv, { type ValidateFunction } from 'ajv';

import {
  FLOW_CONTENT_SCHEMA,
  FLOW_NODE_KINDS,
  FLOW_NODE_SCHEMAS,
  FLOW_TRIGGER_SCHEMAS,
  FLOW_TRIGGER_TYPES,
  type FlowContent,
  type FlowEdge,
  type FlowNode,
  type FlowNodeKind,
  type FlowTriggerType,
} from '@integrixs/domain';

import { ValidationError } from '../core/errors/app-error';
import { jsonSchemaFieldErrors } from '../core/http/json-schema-errors';

/** Strict, every error at once; `type: ['integer', 'null']` for optional pins. */
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const ENVELOPE = ajv.compile(FLOW_CONTENT_SCHEMA);
const NODES = Object.fromEntries(
  FLOW_NODE_KINDS.map((kind) => [kind, ajv.compile(FLOW_NODE_SCHEMAS[kind])]),
) as Record<FlowNodeKind, ValidateFunction>;
const TRIGGERS = Object.fromEntries(
  FLOW_TRIGGER_TYPES.map((type) => [type, ajv.compile(FLOW_TRIGGER_SCHEMAS[type])]),
) as Record<FlowTriggerType, ValidateFunction>;

const errorsOf = (validate: ValidateFunction, value: unknown, base: string) =>
  jsonSchemaFieldErrors(validate, value, base);

/**
 * Checks the shape of flow content (400 naming every wrong field by JSON pointer): the envelope,
 * each node by its kind's schema, each source's trigger by its type's; node ids unique, edges
 * between nodes that exist, no edge twice. What the graph means is checked later (flow-graph.ts)
 * and kept as problems, so a half-built draft can be saved.
 */
export function assertFlowShape(content: unknown): asserts content is FlowContent {
  const errors = errorsOf(ENVELOPE, content, '');
  if (errors.length > 0) throw new ValidationError(errors);
  const { nodes, edges } = content as FlowContent;
  const ids = new Set<string>();
  nodes.forEach((node, i) => {
    errors.push(...errorsOf(NODES[node.kind], node, `/nodes/${i}`));
    if (ids.has(node.id))
      errors.push({
        path: `/nodes/${i}/id`,
        message: `"${node.id}" is used twice`,
        code: 'duplicate',
      });
    ids.add(node.id);
    if (node.kind === 'source' && node.trigger && FLOW_TRIGGER_TYPES.includes(node.trigger.type))
      errors.push(...errorsOf(TRIGGERS[node.trigger.type], node.trigger, `/nodes/${i}/trigger`));
  });
  const seen = new Set<string>();
  edges.forEach((edge, i) => {
    for (const end of ['from', 'to'] as const)
      if (!ids.has(edge[end]))
        errors.push({
          path: `/edges/${i}/${end}`,
          message: `names no node of this flow ("${edge[end]}")`,
          code: 'not_found',
        });
    const key = `${edge.from}→${edge.to}→${edge.branch ?? ''}`;
    if (seen.has(key))
      errors.push({ path: `/edges/${i}`, message: 'appears twice', code: 'duplicate' });
    seen.add(key);
  });
  if (errors.length > 0) throw new ValidationError(errors);
}

/** The content as stored: every optional field explicit (null), nothing else kept. */
export function normaliseFlow(content: FlowContent): FlowContent {
  return {
    nodes: content.nodes.map(normaliseNode),
    edges: content.edges.map((e): FlowEdge =>
      e.branch !== undefined
        ? { from: e.from, to: e.to, branch: e.branch }
        : { from: e.from, to: e.to },
    ),
  };
}

function ref<T extends { assetId: string; version?: number | null }>(r: T) {
  return { assetId: r.assetId.toLowerCase(), version: r.version ?? null };
}

function normaliseNode(node: FlowNode): FlowNode {
  const base = {
    id: node.id,
    position: { x: node.position.x, y: node.position.y },
    ...(node.label !== undefined ? { label: node.label } : {}),
  };
  switch (node.kind) {
    case 'source':
      return {
        ...base,
        kind: node.kind,
        adapter: ref(node.adapter),
        trigger: { ...node.trigger },
        ...(node.rateLimit ? { rateLimit: { ...node.rateLimit } } : {}),
      };
    case 'validate':
      return {
        ...base,
        kind: node.kind,
        schema: { ...ref(node.schema), root: node.schema.root ?? null },
      };
    case 'map':
      return { ...base, kind: node.kind, mapping: ref(node.mapping) };
    case 'route':
      return {
        ...base,
        kind: node.kind,
        routes: node.routes.map((r) => ({ branch: r.branch, when: r.when })),
        defaultBranch: node.defaultBranch ?? null,
      };
    case 'target':
      return { ...base, kind: node.kind, adapter: ref(node.adapter) };
    case 'errorHandler':
      return {
        ...base,
        kind: node.kind,
        destination: node.destination,
        // A dead-letter handler has no adapter: one given anyway is not kept.
        ...(node.adapter && node.destination === 'adapter' ? { adapter: ref(node.adapter) } : {}),
      };
  }
}

/** Reads a stored version; content saved before flows had a shape reads as an empty graph. */
export function flowContentOf(content: unknown): FlowContent {
  const c = (content && typeof content === 'object' ? content : {}) as Partial<FlowContent>;
  return {
    nodes: Array.isArray(c.nodes) ? c.nodes : [],
    edges: Array.isArray(c.edges) ? c.edges : [],
  };
}
