import { type OpenAPIObject } from '@nestjs/swagger';

import { FLOW_NODE_KINDS } from '@integrixs/domain';

import { addFlowGraphSchemas, FLOW_NODE_ITEMS } from './flow-openapi';

type Component = {
  required?: string[];
  properties: Record<string, { enum?: unknown[]; oneOf?: unknown[] }>;
};

describe('the flow graph OpenAPI components', () => {
  const document = addFlowGraphSchemas({ openapi: '3.0.0', info: {}, paths: {} } as OpenAPIObject);
  const schemas = document.components?.schemas as Record<string, Component>;

  it('describe each node kind as its own component, told apart by a one-value kind', () => {
    const names = FLOW_NODE_ITEMS.oneOf.map((item) => item.$ref.split('/').pop() ?? '');
    expect(names).toEqual([
      'FlowSourceNode',
      'FlowValidateNode',
      'FlowMapNode',
      'FlowRouteNode',
      'FlowTargetNode',
      'FlowErrorHandlerNode',
    ]);
    names.forEach((name, index) =>
      expect(schemas[name].properties['kind'].enum).toEqual([FLOW_NODE_KINDS[index]]),
    );
    expect(schemas['FlowRouteNode'].required).toEqual(['id', 'kind', 'position', 'routes']);
  });

  it("type a source's trigger as one of the trigger components, and the edge", () => {
    expect(schemas['FlowSourceNode'].properties['trigger'].oneOf).toHaveLength(4);
    expect(schemas['FlowScheduleTrigger'].required).toEqual(['type', 'cron']);
    expect(schemas['FlowHttpTrigger'].required).toEqual(['type']);
    expect(schemas['FlowEdge'].required).toEqual(['from', 'to']);
    expect(Object.keys(schemas['FlowEdge'].properties)).toEqual(['from', 'to', 'branch']);
  });
});
