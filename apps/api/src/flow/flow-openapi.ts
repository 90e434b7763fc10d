import { type OpenAPIObject } from '@nestjs/swagger';

import {
  FLOW_CONTENT_SCHEMA,
  FLOW_NODE_KINDS,
  FLOW_NODE_SCHEMAS,
  FLOW_TRIGGER_SCHEMAS,
  FLOW_TRIGGER_TYPES,
  type FlowNodeKind,
  type FlowTriggerType,
  type JsonSchema,
} from '@integrixs/domain';

import { toOpenApi } from '../adapter/adapter-openapi';

const NODE_NAMES: Record<FlowNodeKind, string> = {
  source: 'FlowSourceNode',
  validate: 'FlowValidateNode',
  map: 'FlowMapNode',
  route: 'FlowRouteNode',
  target: 'FlowTargetNode',
  errorHandler: 'FlowErrorHandlerNode',
};

const TRIGGER_NAMES: Record<FlowTriggerType, string> = {
  schedule: 'FlowScheduleTrigger',
  poll: 'FlowPollTrigger',
  http: 'FlowHttpTrigger',
  manual: 'FlowManualTrigger',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `items` of a flow's `nodes`: one component per kind, told apart by `kind`. */
export const FLOW_NODE_ITEMS = {
  oneOf: FLOW_NODE_KINDS.map((kind) => ref(NODE_NAMES[kind])),
  discriminator: {
    propertyName: 'kind',
    mapping: Object.fromEntries(
      FLOW_NODE_KINDS.map((kind) => [kind, `#/components/schemas/${NODE_NAMES[kind]}`]),
    ),
  },
};

/** `items` of a flow's `edges`. */
export const FLOW_EDGE_ITEMS = ref('FlowEdge');

/** A kind's node schema with `kind` fixed to that kind and a source's trigger as a oneOf. */
function nodeComponent(kind: FlowNodeKind): object {
  const schema = toOpenApi(FLOW_NODE_SCHEMAS[kind]) as JsonSchema;
  const properties = { ...(schema['properties'] as Record<string, unknown>) };
  properties['kind'] = { type: 'string', enum: [kind] };
  if (kind === 'source')
    properties['trigger'] = {
      oneOf: FLOW_TRIGGER_TYPES.map((type) => ref(TRIGGER_NAMES[type])),
      discriminator: { propertyName: 'type' },
    };
  return { ...schema, properties, description: `A flow step of kind ${kind}.` };
}

/**
 * Adds the flow graph's components (one per node kind, per trigger type, and the edge) from the
 * JSON Schemas in libs/domain, so the generated client types `nodes` and `edges` exactly. The
 * API validates with the JSON Schemas themselves; this copy is documentation.
 */
export function addFlowGraphSchemas(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  const schemas = (document.components.schemas ??= {});
  for (const kind of FLOW_NODE_KINDS) schemas[NODE_NAMES[kind]] = nodeComponent(kind);
  for (const type of FLOW_TRIGGER_TYPES) {
    const trigger = toOpenApi(FLOW_TRIGGER_SCHEMAS[type]) as JsonSchema;
    // `type` is required for the discriminator, also where the JSON Schema may omit it.
    schemas[TRIGGER_NAMES[type]] = {
      ...trigger,
      required: [
        'type',
        ...((trigger['required'] as string[] | undefined) ?? []).filter((r) => r !== 'type'),
      ],
    };
  }
  const edges = (FLOW_CONTENT_SCHEMA['properties'] as Record<string, JsonSchema>)['edges'];
  schemas['FlowEdge'] = {
    ...(toOpenApi(edges?.['items']) as object),
    description: 'From one node to the next; `branch` names the route branch it carries.',
  };
  return document;
}
