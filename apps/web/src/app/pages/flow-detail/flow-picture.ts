import { type FlowDetailDto, type FlowProblemDto, type GraphNodeDto } from '@integrixs/api-client';

import { assetLink } from '../../api/dependencies-api.service';
import { type PictureEdge, type PictureNode } from '../../ui/graph-picture/graph-picture';

/** What each kind of step is called on the picture. */
const KIND_LABELS: Record<string, string> = {
  source: 'Source',
  validate: 'Validate',
  map: 'Map',
  route: 'Route',
  target: 'Target',
  errorHandler: 'Error handler',
};

/**
 * The flow as a picture: one box per step (its kind, and the asset it uses — linked — or its
 * label or id), one arrow per edge (labelled with its route branch), and each problem of
 * `problems` on the box or arrow it names. `assets` are the flow's direct dependencies (their
 * names); an asset the caller cannot read shows as such.
 */
export function flowPicture(
  flow: FlowDetailDto,
  assets: readonly GraphNodeDto[],
  problems: readonly FlowProblemDto[],
): { nodes: PictureNode[]; edges: PictureEdge[] } {
  const byId = new Map(assets.map((asset) => [asset.id, asset]));
  const references = new Map(flow.references.map((ref) => [ref.nodeId, ref]));
  const nodes = flow.nodes.map((node): PictureNode => {
    const { id, kind } = node;
    const reference = references.get(id);
    const asset = reference ? byId.get(reference.assetId) : undefined;
    const pinned = reference?.version ? ` (v${reference.version})` : '';
    const title = asset
      ? `${asset.name}${pinned}`
      : (node.label ?? (reference ? 'An asset you cannot open' : id));
    return {
      id,
      caption: `${KIND_LABELS[kind] ?? kind} · ${id}`,
      title,
      link: asset ? assetLink(asset) : null,
      position: node.position,
      tag: asset && reference?.crossPackage ? 'Other package' : null,
      problems: problems
        .filter((problem) => problem.nodeId === id && !problem.edge)
        .map((problem) => problem.message),
    };
  });
  const edges = flow.edges.map(({ from, to, branch }): PictureEdge => {
    return {
      from,
      to,
      label: branch ?? null,
      problems: problems
        .filter((problem) => problem.edge?.from === from && problem.edge.to === to)
        .map((problem) => problem.message),
    };
  });
  return { nodes, edges };
}

/** Problems about no single node or edge (e.g. "the flow has no source"). */
export function flowWideProblems(problems: readonly FlowProblemDto[]): FlowProblemDto[] {
  return problems.filter((problem) => !problem.nodeId && !problem.edge);
}

/** A starting graph for the create form: one source, one target, no assets chosen yet. */
export const EXAMPLE_GRAPH = {
  nodes: [
    {
      id: 'in',
      kind: 'source',
      position: { x: 0, y: 0 },
      adapter: { assetId: '00000000-0000-4000-8000-000000000000' },
      trigger: { type: 'manual' },
    },
    {
      id: 'out',
      kind: 'target',
      position: { x: 320, y: 0 },
      adapter: { assetId: '00000000-0000-4000-8000-000000000000' },
    },
  ],
  edges: [{ from: 'in', to: 'out' }],
};
