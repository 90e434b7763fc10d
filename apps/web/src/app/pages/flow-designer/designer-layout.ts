import ELK from 'elkjs/lib/elk.bundled.js';

import { type FlowContent, type FlowPosition } from '@integrixs/domain';

import { BOX_HEIGHT, BOX_WIDTH } from './designer-state';

let elk: InstanceType<typeof ELK> | null = null;

/**
 * The "Auto-layout" button: ELK's layered algorithm left to right over the flow's nodes and
 * edges (the error handler, which has no edges, lands in the first layer). The result is a map
 * of positions that `moveNodes` applies as one undoable step; ELK runs on the main thread (a
 * flow has at most 500 nodes, the console's CSP allows no blob: workers).
 */
export async function autoLayout(content: FlowContent): Promise<Map<string, FlowPosition>> {
  const ids = new Set(content.nodes.map((node) => node.id));
  elk ??= new ELK();
  const laidOut = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
    },
    children: content.nodes.map((node) => ({ id: node.id, width: BOX_WIDTH, height: BOX_HEIGHT })),
    edges: content.edges
      .filter((edge) => ids.has(edge.from) && ids.has(edge.to))
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  });
  return new Map(
    (laidOut.children ?? []).map((child) => [
      child.id,
      { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) },
    ]),
  );
}
