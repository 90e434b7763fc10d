import { type FlowDetailDto, type GraphNodeDto } from '@integrixs/api-client';

import { flowPicture, flowWideProblems } from './flow-picture';

const FLOW = {
  id: 'f-1',
  packageId: 'p-1',
  nodes: [
    { id: 'in', kind: 'source', position: { x: 0, y: 0 }, adapter: { assetId: 'a-1' } },
    { id: 'split', kind: 'route', position: { x: 300, y: 0 }, label: 'By amount' },
    { id: 'out', kind: 'target', position: { x: 600, y: 0 }, adapter: { assetId: 'a-2' } },
    { id: 'gone', kind: 'target', position: { x: 600, y: 200 }, adapter: { assetId: 'a-3' } },
  ],
  edges: [
    { from: 'in', to: 'split' },
    { from: 'split', to: 'out', branch: 'big' },
  ],
  references: [
    { nodeId: 'in', role: 'adapter', assetId: 'a-1', version: null, crossPackage: false },
    { nodeId: 'out', role: 'adapter', assetId: 'a-2', version: 3, crossPackage: true },
    { nodeId: 'gone', role: 'adapter', assetId: 'a-3', version: null, crossPackage: false },
  ],
} as unknown as FlowDetailDto;

const asset = (id: string, name: string, packageId: string): GraphNodeDto => ({
  id,
  name,
  packageId,
  type: 'ADAPTER',
  kind: 'FLOW_ADAPTER',
  depth: 1,
  path: ['f-1', id],
  crossPackage: packageId !== 'p-1',
});

describe('flowPicture', () => {
  const assets = [asset('a-1', 'Invoices folder', 'p-1'), asset('a-2', 'ERP endpoint', 'p-2')];

  it('labels each step with its kind and id, and the asset it uses, linked to its page', () => {
    const { nodes } = flowPicture(FLOW, assets, []);
    expect(nodes.map((n) => [n.caption, n.title, n.link?.join('/') ?? null])).toEqual([
      ['Source · in', 'Invoices folder', '/packages/p-1/adapters/a-1'],
      ['Route · split', 'By amount', null],
      ['Target · out', 'ERP endpoint (v3)', '/packages/p-2/adapters/a-2'],
      ['Target · gone', 'An asset you cannot open', null],
    ]);
    expect(nodes.map((n) => n.tag)).toEqual([null, null, 'Other package', null]);
    expect(nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('puts each problem on the step or edge it names; flow-wide ones on neither', () => {
    const problems = [
      { code: 'unreachable', message: '"gone" cannot be reached', nodeId: 'gone' },
      {
        code: 'route_branch',
        message: 'the edge split → out names no branch of the route',
        nodeId: 'split',
        edge: { from: 'split', to: 'out' },
      },
      { code: 'source_count', message: 'the flow has no source' },
    ] as const;
    const { nodes, edges } = flowPicture(FLOW, assets, problems);
    expect(nodes.map((n) => n.problems)).toEqual([[], [], [], ['"gone" cannot be reached']]);
    expect(edges).toEqual([
      { from: 'in', to: 'split', label: null, problems: [] },
      {
        from: 'split',
        to: 'out',
        label: 'big',
        problems: ['the edge split → out names no branch of the route'],
      },
    ]);
    expect(flowWideProblems(problems).map((p) => p.code)).toEqual(['source_count']);
  });
});
