import ELK from 'elkjs/lib/elk.bundled.js';

/** A box to place: its id and, when saved with the graph, where it was put. */
export interface LayoutNode {
  readonly id: string;
  readonly position?: { readonly x: number; readonly y: number } | null;
  /** Its height when more than NODE_HEIGHT (lines of problems, a tag). */
  readonly height?: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

export type Positions = ReadonlyMap<string, { x: number; y: number }>;

/** Every box on the picture has this size (the template draws it so). */
export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 72;

let elk: InstanceType<typeof ELK> | null = null;

/**
 * Where each node goes: the saved positions when every node has one and no two boxes overlap
 * there (a graph written by hand or by a script often puts them 1 apart), otherwise ELK's layered
 * layout left to right (main thread: the pictures are small, a flow has at most 500 nodes).
 * Edges naming an unknown node are left out of the layout.
 */
export async function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): Promise<Positions> {
  const saved = nodes.flatMap((node) =>
    node.position ? [[node.id, { x: node.position.x, y: node.position.y }] as const] : [],
  );
  if (nodes.length > 0 && saved.length === nodes.length && !overlapping(saved.map(([, p]) => p)))
    return new Map(saved);
  const ids = new Set(nodes.map((node) => node.id));
  elk ??= new ELK();
  const laidOut = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '32',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
    },
    children: nodes.map((node) => ({
      id: node.id,
      width: NODE_WIDTH,
      height: node.height ?? NODE_HEIGHT,
    })),
    edges: edges
      .filter((edge) => ids.has(edge.from) && ids.has(edge.to))
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  });
  return new Map(
    (laidOut.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]),
  );
}

/** Whether two boxes placed at `points` would overlap. */
function overlapping(points: readonly { x: number; y: number }[]): boolean {
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const [a, b] = [points[i], points[j]];
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) return true;
    }
  return false;
}
