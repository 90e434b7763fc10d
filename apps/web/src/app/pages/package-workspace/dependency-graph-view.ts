import { type PackageGraphDto } from '@integrixs/api-client';

import { assetLink } from '../../api/dependencies-api.service';
import { type PictureEdge, type PictureNode } from '../../ui/graph-picture/graph-picture';

type AssetType = PackageGraphDto['nodes'][number]['type'];

const TYPE_LABELS: Record<AssetType, string> = {
  SCHEMA: 'Schema',
  ADAPTER: 'Adapter',
  MAPPING: 'Mapping',
  FLOW: 'Flow',
};

/** Each asset type's icon on its node (a glyph beside the type's name, hidden from readers). */
export const TYPE_ICONS: Record<AssetType, string> = {
  SCHEMA: '{ }',
  ADAPTER: '⇄',
  MAPPING: '↦',
  FLOW: '▶',
};

/** What each kind of edge says, on its arrow. */
const KIND_LABELS: Record<string, string> = {
  SCHEMA_IMPORT: 'imports',
  ADAPTER_SCHEMA: 'binds',
  MAPPING_SOURCE_SCHEMA: 'source',
  MAPPING_TARGET_SCHEMA: 'target',
  FLOW_ADAPTER: 'uses',
  FLOW_MAPPING: 'uses',
  FLOW_SCHEMA: 'validates',
};

/**
 * The package's dependency graph (`GET …/dependency-graph`) as the picture draws it (and ELK
 * lays it out, ui/graph-picture/graph-layout.ts): a node per asset with its type's icon and name,
 * linking to the asset's page; an asset of another package tagged with that package; an edge per
 * dependency, labelled with its kind and pinned version. Edges naming an asset not in the graph
 * (hidden: a package the user cannot read) are left out.
 */
export function dependencyPicture(graph: PackageGraphDto): {
  nodes: PictureNode[];
  edges: PictureEdge[];
} {
  const ids = new Set(graph.nodes.map((node) => node.id));
  return {
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      caption: TYPE_LABELS[node.type],
      icon: TYPE_ICONS[node.type],
      title: node.name,
      link: assetLink(node),
      tag: node.crossPackage ? `Other package: ${node.packageName}` : null,
    })),
    edges: graph.edges
      .filter((edge) => ids.has(edge.from) && ids.has(edge.to))
      .map((edge) => ({
        from: edge.from,
        to: edge.to,
        label: `${KIND_LABELS[edge.kind] ?? edge.kind}${edge.pinnedVersion ? ` v${edge.pinnedVersion}` : ''}`,
      })),
  };
}
