import { type PackageGraphDto } from '@integrixs/api-client';

import { dependencyPicture, TYPE_ICONS } from './dependency-graph-view';

const node = (
  id: string,
  type: PackageGraphDto['nodes'][number]['type'],
  packageId = 'p1',
  crossPackage = false,
): PackageGraphDto['nodes'][number] => ({
  id,
  type,
  name: `${type} ${id}`,
  packageId,
  packageName: packageId === 'p1' ? 'Order to Cash' : 'Customer Master',
  status: 'DRAFT',
  crossPackage,
});

describe('dependencyPicture', () => {
  const graph = {
    nodes: [
      node('f', 'FLOW'),
      node('m', 'MAPPING'),
      node('s', 'SCHEMA'),
      node('c', 'SCHEMA', 'p2', true),
    ],
    edges: [
      { from: 'f', to: 'm', kind: 'FLOW_MAPPING', pinnedVersion: null, crossPackage: false },
      { from: 'm', to: 's', kind: 'MAPPING_SOURCE_SCHEMA', pinnedVersion: 3, crossPackage: false },
      { from: 's', to: 'c', kind: 'SCHEMA_IMPORT', pinnedVersion: null, crossPackage: true },
      { from: 's', to: 'hidden', kind: 'SCHEMA_IMPORT', pinnedVersion: null, crossPackage: true },
    ],
    hiddenNodes: 1,
  } as unknown as PackageGraphDto;

  it('draws a node per asset with its type icon and a link to its page in its own package', () => {
    const { nodes } = dependencyPicture(graph);
    expect(nodes.map((n) => [n.id, n.caption, n.icon, n.link])).toEqual([
      ['f', 'Flow', TYPE_ICONS.FLOW, ['/packages', 'p1', 'flows', 'f']],
      ['m', 'Mapping', TYPE_ICONS.MAPPING, ['/packages', 'p1', 'mappings', 'm']],
      ['s', 'Schema', TYPE_ICONS.SCHEMA, ['/packages', 'p1', 'schemas', 's']],
      ['c', 'Schema', TYPE_ICONS.SCHEMA, ['/packages', 'p2', 'schemas', 'c']],
    ]);
  });

  it("marks another package's assets with that package's name", () => {
    const tags = dependencyPicture(graph).nodes.map((n) => n.tag);
    expect(tags).toEqual([null, null, null, 'Other package: Customer Master']);
  });

  it('labels edges with their kind and pinned version, leaving out edges to hidden assets', () => {
    expect(dependencyPicture(graph).edges).toEqual([
      { from: 'f', to: 'm', label: 'uses' },
      { from: 'm', to: 's', label: 'source v3' },
      { from: 's', to: 'c', label: 'imports' },
    ]);
  });
});
