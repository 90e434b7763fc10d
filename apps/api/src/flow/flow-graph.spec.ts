import { type FlowContent, type FlowNode } from '@integrixs/domain';

import { graphProblems } from './flow-graph';

const at = { x: 0, y: 0 };
const ref = { assetId: '0b8f1a52-7c1e-4a8e-9d23-5d4c1b2a3f40', version: null };
const source: FlowNode = {
  id: 'in',
  kind: 'source',
  position: at,
  adapter: ref,
  trigger: { type: 'manual' },
};
const step = (id: string): FlowNode => ({ id, kind: 'map', position: at, mapping: ref });
const route = (id: string): FlowNode => ({
  id,
  kind: 'route',
  position: at,
  routes: [{ branch: 'back', when: 'retry = true' }],
  defaultBranch: 'on',
});

describe('graphProblems', () => {
  it('finds nothing wrong with a straight line from the source', () => {
    const content: FlowContent = {
      nodes: [source, step('a'), step('b')],
      edges: [
        { from: 'in', to: 'a' },
        { from: 'a', to: 'b' },
      ],
    };
    expect(graphProblems(content)).toEqual([]);
  });

  it('names every node of a cycle through three steps, and the edge that closes it', () => {
    const content: FlowContent = {
      nodes: [source, step('a'), step('b'), route('c'), step('out')],
      edges: [
        { from: 'in', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a', branch: 'back' },
        { from: 'c', to: 'out', branch: 'on' },
      ],
    };
    expect(graphProblems(content)).toEqual([
      {
        code: 'cycle',
        nodeId: 'a',
        edge: { from: 'c', to: 'a' },
        message: 'the flow loops: "a" → "b" → "c" → "a"; messages must not come back to a step',
      },
    ]);
  });

  it('reports an edge back into the source, and the loop it makes', () => {
    const content: FlowContent = {
      nodes: [source, route('r'), step('out')],
      edges: [
        { from: 'in', to: 'r' },
        { from: 'r', to: 'in', branch: 'back' },
        { from: 'r', to: 'out', branch: 'on' },
      ],
    };
    expect(graphProblems(content).map((p) => p.code)).toEqual(['edge_into_source', 'cycle']);
  });
});
