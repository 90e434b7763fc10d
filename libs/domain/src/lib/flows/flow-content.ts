import { type JsonSchema } from '../adapters/common';

/**
 * The content of a flow asset (versioned like every asset's content): a graph of nodes and edges
 * with the positions the visual designer draws them at. The API validates bodies with these JSON
 * Schemas (a shape error is a 400 naming the field); what the graph means (one source, reachable,
 * no cycles, live references, payloads that fit) is checked on save and kept as the flow's
 * problems (apps/api/src/flow/flow-graph.ts). The console and the runtime read the same types.
 */
export const FLOW_NODE_KINDS = [
  'source',
  'validate',
  'map',
  'route',
  'target',
  'errorHandler',
] as const;
export type FlowNodeKind = (typeof FLOW_NODE_KINDS)[number];

/** A library asset a node uses: a pinned `version`, or the current one when null/absent. */
export interface FlowAssetRef {
  assetId: string;
  version?: number | null;
}

export interface FlowPosition {
  x: number;
  y: number;
}

export const FLOW_TRIGGER_TYPES = ['schedule', 'poll', 'http', 'manual'] as const;
export type FlowTriggerType = (typeof FLOW_TRIGGER_TYPES)[number];

/** When a source runs: a cron schedule, a poll interval, an inbound HTTP call, or by hand. */
export type FlowTrigger =
  | { type: 'schedule'; cron: string }
  | { type: 'poll'; intervalSeconds: number }
  | { type: 'http' }
  | { type: 'manual' };

interface FlowNodeBase {
  /** Unique in the flow; edges and problems name nodes by it. */
  id: string;
  position: FlowPosition;
  label?: string;
}

/**
 * At most `messages` of the flow's messages start per `perSeconds`, across all workers, per
 * environment: one start every perSeconds/messages, never a burst (GCRA; docs/decisions.md
 * "Per-flow rate limits").
 */
export interface FlowRateLimit {
  messages: number;
  perSeconds: number;
}

export const RATE_LIMIT_MAX_MESSAGES = 100_000;
export const RATE_LIMIT_MAX_SECONDS = 86_400;

/** Reads messages from an adapter whose direction is SOURCE or BOTH. */
export interface FlowSourceNode extends FlowNodeBase {
  kind: 'source';
  adapter: FlowAssetRef;
  trigger: FlowTrigger;
  /** No limit when absent. */
  rateLimit?: FlowRateLimit;
}

/** Validates the message against a library schema (`root`: the XSD element, if several). */
export interface FlowValidateNode extends FlowNodeBase {
  kind: 'validate';
  schema: FlowAssetRef & { root?: string | null };
}

/** Transforms the message with a mapping. */
export interface FlowMapNode extends FlowNodeBase {
  kind: 'map';
  mapping: FlowAssetRef;
}

/**
 * Sends the message along the first branch whose JSONata predicate holds, or along
 * `defaultBranch` when none does. Edges leaving a route name their `branch`.
 */
export interface FlowRouteNode extends FlowNodeBase {
  kind: 'route';
  routes: { branch: string; when: string }[];
  defaultBranch?: string | null;
}

/** Writes the message to an adapter whose direction is TARGET or BOTH. */
export interface FlowTargetNode extends FlowNodeBase {
  kind: 'target';
  adapter: FlowAssetRef;
}

/**
 * Where messages that fail in any step go: the dead-letter store, or a target adapter. It
 * applies to the whole flow, so no edge leads to or from it.
 */
export interface FlowErrorHandlerNode extends FlowNodeBase {
  kind: 'errorHandler';
  destination: 'deadLetter' | 'adapter';
  adapter?: FlowAssetRef;
}

export type FlowNode =
  | FlowSourceNode
  | FlowValidateNode
  | FlowMapNode
  | FlowRouteNode
  | FlowTargetNode
  | FlowErrorHandlerNode;

/** From one node to the next; `branch` only on edges leaving a route. */
export interface FlowEdge {
  from: string;
  to: string;
  branch?: string;
}

export interface FlowContent {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** Limits that keep one flow within what a designer draws (and a save checks quickly). */
export const MAX_FLOW_NODES = 500;
export const MAX_FLOW_EDGES = 1000;

const idField = { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } as const;
const assetRef = {
  type: 'object',
  additionalProperties: false,
  required: ['assetId'],
  properties: {
    assetId: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    },
    version: { type: ['integer', 'null'], minimum: 1 },
  },
} as const;
const base = {
  id: idField,
  kind: { enum: FLOW_NODE_KINDS },
  position: {
    type: 'object',
    additionalProperties: false,
    required: ['x', 'y'],
    properties: { x: { type: 'number' }, y: { type: 'number' } },
  },
  label: { type: 'string', maxLength: 200 },
} as const;

function nodeSchema(required: string[], properties: Record<string, unknown>): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'kind', 'position', ...required],
    properties: { ...base, ...properties },
  };
}

/** The envelope: nodes (each checked further by its kind's schema) and edges. */
export const FLOW_CONTENT_SCHEMA: JsonSchema = {
  $id: 'https://integrixs.dev/schemas/flows/content.json',
  type: 'object',
  additionalProperties: false,
  required: ['nodes', 'edges'],
  properties: {
    nodes: {
      type: 'array',
      maxItems: MAX_FLOW_NODES,
      items: {
        type: 'object',
        required: ['id', 'kind'],
        properties: { id: idField, kind: { enum: FLOW_NODE_KINDS } },
      },
    },
    edges: {
      type: 'array',
      maxItems: MAX_FLOW_EDGES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: {
          from: idField,
          to: idField,
          branch: { type: 'string', minLength: 1, maxLength: 64 },
        },
      },
    },
  },
};

/** Each trigger type's JSON Schema (a source's trigger is checked by the one its `type` names). */
export const FLOW_TRIGGER_SCHEMAS: Readonly<Record<FlowTriggerType, JsonSchema>> = {
  schedule: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'cron'],
    properties: { type: { const: 'schedule' }, cron: { type: 'string', maxLength: 200 } },
  },
  poll: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'intervalSeconds'],
    properties: {
      type: { const: 'poll' },
      intervalSeconds: { type: 'integer', minimum: 1, maximum: 604800 },
    },
  },
  http: { type: 'object', additionalProperties: false, properties: { type: { const: 'http' } } },
  manual: {
    type: 'object',
    additionalProperties: false,
    properties: { type: { const: 'manual' } },
  },
};

/** Each node kind's JSON Schema (a node is checked by the one its `kind` names). */
export const FLOW_NODE_SCHEMAS: Readonly<Record<FlowNodeKind, JsonSchema>> = {
  source: nodeSchema(['adapter', 'trigger'], {
    adapter: assetRef,
    trigger: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: FLOW_TRIGGER_TYPES } },
    },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['messages', 'perSeconds'],
      properties: {
        messages: { type: 'integer', minimum: 1, maximum: RATE_LIMIT_MAX_MESSAGES },
        perSeconds: { type: 'integer', minimum: 1, maximum: RATE_LIMIT_MAX_SECONDS },
      },
    },
  }),
  validate: nodeSchema(['schema'], {
    schema: {
      ...assetRef,
      properties: { ...assetRef.properties, root: { type: ['string', 'null'], maxLength: 500 } },
    },
  }),
  map: nodeSchema(['mapping'], { mapping: assetRef }),
  route: nodeSchema(['routes'], {
    routes: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['branch', 'when'],
        properties: {
          branch: { type: 'string', minLength: 1, maxLength: 64 },
          when: { type: 'string', minLength: 1, maxLength: 10000 },
        },
      },
    },
    defaultBranch: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
  }),
  target: nodeSchema(['adapter'], { adapter: assetRef }),
  errorHandler: nodeSchema(['destination'], {
    destination: { enum: ['deadLetter', 'adapter'] },
    adapter: assetRef,
  }),
};

/** A problem of a saved flow's graph, naming the node (and edge) it is about. */
export interface FlowProblem {
  code: FlowProblemCode;
  message: string;
  nodeId?: string;
  edge?: { from: string; to: string };
}

export const FLOW_PROBLEM_CODES = [
  'source_count',
  'unreachable',
  'cycle',
  'edge_into_source',
  'edge_from_terminal',
  'fan_out',
  'error_handler_edge',
  'error_handler_count',
  'route_default',
  'route_branch',
  'expression_invalid',
  'cron_invalid',
  'asset_unavailable',
  'asset_not_live',
  'asset_type',
  'asset_version',
  'adapter_direction',
  'payload_mismatch',
] as const;
export type FlowProblemCode = (typeof FLOW_PROBLEM_CODES)[number];
