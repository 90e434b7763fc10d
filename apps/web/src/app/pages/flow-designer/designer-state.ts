import {
  type FlowContent,
  type FlowEdge,
  type FlowNode,
  type FlowNodeKind,
  type FlowPosition,
} from '@integrixs/domain';

/**
 * The designer's pure logic (no Angular): the content as immutable snapshots, the history over
 * them, and the edits (add, connect, move, delete, layout). A node whose asset is not chosen yet
 * carries an empty `assetId`; `toSavable` swaps in PLACEHOLDER_ASSET so the API still accepts
 * the graph (and reports that node), and `localProblems` says in words what is missing.
 */

/** Stands for "no asset chosen yet" in what is sent (the API reports it as unavailable). */
export const PLACEHOLDER_ASSET = '00000000-0000-4000-8000-000000000000';

/** At most this many undo steps are kept. */
export const HISTORY_LIMIT = 100;

/** What each kind of step is called. */
export const KIND_LABELS: Record<FlowNodeKind, string> = {
  source: 'Source',
  validate: 'Validate',
  map: 'Map',
  route: 'Route',
  target: 'Target',
  errorHandler: 'Error handler',
};

/** Every box on the canvas is this wide (the template draws it so) and about this tall. */
export const BOX_WIDTH = 220;
export const BOX_HEIGHT = 96;

/** A problem drawn on the canvas: the API's graph problems, and the console's own. */
export interface DesignerProblem {
  readonly code: string;
  readonly message: string;
  readonly nodeId?: string;
  readonly edge?: { readonly from: string; readonly to: string };
}

export interface History {
  readonly past: readonly FlowContent[];
  readonly present: FlowContent;
  readonly future: readonly FlowContent[];
}

export const EMPTY_CONTENT: FlowContent = { nodes: [], edges: [] };

export function startHistory(content: FlowContent): History {
  return { past: [], present: content, future: [] };
}

/** A new present; the redo stack is dropped. The same content twice is not a step. */
export function commit(history: History, next: FlowContent): History {
  if (next === history.present) return history;
  const past = [...history.past, history.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [] };
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
  };
}

export function redo(history: History): History {
  const [next, ...rest] = history.future;
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}

/** What a palette item carries onto the canvas: a step kind, maybe with its asset. */
export interface PaletteDrop {
  readonly kind: FlowNodeKind;
  readonly assetId?: string;
  readonly label?: string;
}

/** An id not used yet in the flow: the kind and a number (`map-2`). */
export function freshId(content: FlowContent, kind: FlowNodeKind): string {
  const used = new Set(content.nodes.map((node) => node.id));
  for (let n = 1; ; n++) {
    const id = `${kind}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** A new node of `kind` at `position` with its settings' defaults (and the asset, if given). */
export function newNode(
  id: string,
  kind: FlowNodeKind,
  position: FlowPosition,
  assetId = '',
): FlowNode {
  const base = { id, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  const ref = { assetId, version: null };
  switch (kind) {
    case 'source':
      return { ...base, kind, adapter: ref, trigger: { type: 'manual' } };
    case 'validate':
      return { ...base, kind, schema: { ...ref, root: null } };
    case 'map':
      return { ...base, kind, mapping: ref };
    case 'route':
      return { ...base, kind, routes: [], defaultBranch: null };
    case 'target':
      return { ...base, kind, adapter: ref };
    case 'errorHandler':
      return { ...base, kind, destination: 'deadLetter' };
  }
}

export function addNode(
  content: FlowContent,
  drop: PaletteDrop,
  position: FlowPosition,
): { content: FlowContent; id: string } {
  const id = freshId(content, drop.kind);
  const node = newNode(id, drop.kind, position, drop.assetId);
  return { content: { ...content, nodes: [...content.nodes, node] }, id };
}

/** Right of the right-most node (or the origin): where a keyboard-added node goes. */
export function freePosition(content: FlowContent): FlowPosition {
  if (content.nodes.length === 0) return { x: 0, y: 0 };
  const right = Math.max(...content.nodes.map((node) => node.position.x));
  const top = Math.min(...content.nodes.map((node) => node.position.y));
  return { x: right + BOX_WIDTH + 60, y: top };
}

/** Why an edge cannot be drawn between two nodes, or null when it can. */
export function connectRefusal(content: FlowContent, from: string, to: string): string | null {
  const source = content.nodes.find((node) => node.id === from);
  const target = content.nodes.find((node) => node.id === to);
  if (!source || !target) return 'Both ends must be steps of this flow.';
  if (from === to) return 'A step cannot lead to itself.';
  if (source.kind === 'errorHandler' || target.kind === 'errorHandler')
    return 'The error handler applies to the whole flow: no edge leads to or from it.';
  if (target.kind === 'source') return 'Nothing leads into a source.';
  if (source.kind === 'target') return 'A target ends the flow: nothing leads on from it.';
  if (source.kind !== 'route' && content.edges.some((edge) => edge.from === from))
    return 'Only a route leads to more than one step.';
  if (content.edges.some((edge) => edge.from === from && edge.to === to))
    return 'These steps are already connected.';
  return null;
}

/**
 * The branch a new edge leaving `route` carries: its first predicate branch or default branch
 * no edge carries yet; otherwise a new branch (a predicate `true` to edit, or the default when
 * the route has none).
 */
function nextBranch(content: FlowContent, routeId: string): { branch: string; node: FlowNode } {
  const route = content.nodes.find((node) => node.id === routeId);
  if (route?.kind !== 'route') throw new Error(`${routeId} is not a route`);
  const taken = new Set(content.edges.filter((e) => e.from === routeId).map((e) => e.branch));
  const named = [...route.routes.map((r) => r.branch), route.defaultBranch ?? null];
  const free = named.find((branch): branch is string => !!branch && !taken.has(branch));
  if (free) return { branch: free, node: route };
  if (!route.defaultBranch)
    return { branch: 'default', node: { ...route, defaultBranch: 'default' } };
  let n = route.routes.length + 1;
  while (taken.has(`branch-${n}`) || named.includes(`branch-${n}`)) n++;
  const branch = `branch-${n}`;
  return { branch, node: { ...route, routes: [...route.routes, { branch, when: 'true' }] } };
}

/** The content with an edge from → to (a route's edge gets a branch); unchanged if refused. */
export function connect(content: FlowContent, from: string, to: string): FlowContent {
  if (connectRefusal(content, from, to)) return content;
  const source = content.nodes.find((node) => node.id === from);
  if (source?.kind !== 'route') return { ...content, edges: [...content.edges, { from, to }] };
  const { branch, node } = nextBranch(content, from);
  return {
    nodes: content.nodes.map((n) => (n.id === from ? node : n)),
    edges: [...content.edges, { from, to, branch }],
  };
}

/** The node and every edge touching it removed. */
export function deleteNode(content: FlowContent, id: string): FlowContent {
  return {
    nodes: content.nodes.filter((node) => node.id !== id),
    edges: content.edges.filter((edge) => edge.from !== id && edge.to !== id),
  };
}

/** An edge's stable id on the canvas (and in the selection). */
export function edgeKey(edge: FlowEdge): string {
  return `${edge.from}->${edge.to}${edge.branch ? `#${edge.branch}` : ''}`;
}

export function deleteEdge(content: FlowContent, key: string): FlowContent {
  return { ...content, edges: content.edges.filter((edge) => edgeKey(edge) !== key) };
}

/** Nodes and edges named in a selection removed (one history step). */
export function deleteSelection(
  content: FlowContent,
  nodeIds: readonly string[],
  edgeKeys: readonly string[],
): FlowContent {
  if (nodeIds.length === 0 && edgeKeys.length === 0) return content;
  let next = content;
  for (const key of edgeKeys) next = deleteEdge(next, key);
  for (const id of nodeIds) next = deleteNode(next, id);
  return next;
}

/** New positions applied (dragged nodes, or a layout); unknown ids are ignored. */
export function moveNodes(
  content: FlowContent,
  positions: ReadonlyMap<string, FlowPosition>,
): FlowContent {
  let changed = false;
  const nodes = content.nodes.map((node) => {
    const to = positions.get(node.id);
    if (!to) return node;
    const position = { x: Math.round(to.x), y: Math.round(to.y) };
    if (position.x === node.position.x && position.y === node.position.y) return node;
    changed = true;
    return { ...node, position };
  });
  return changed ? { ...content, nodes } : content;
}

/**
 * One node replaced by `next` (its settings edited in the side panel). A route's renamed
 * branch (same place in the list, or the default) is renamed on its edges too.
 */
export function replaceNode(content: FlowContent, next: FlowNode): FlowContent {
  const before = content.nodes.find((node) => node.id === next.id);
  const nodes = content.nodes.map((node) => (node.id === next.id ? next : node));
  if (before?.kind !== 'route' || next.kind !== 'route') return { ...content, nodes };
  const renamed = new Map<string, string>();
  before.routes.forEach((route, i) => {
    const after = next.routes[i];
    if (after && after.branch !== route.branch) renamed.set(route.branch, after.branch);
  });
  if (before.defaultBranch && next.defaultBranch && before.defaultBranch !== next.defaultBranch)
    renamed.set(before.defaultBranch, next.defaultBranch);
  const edges = content.edges.map((edge) => {
    const to = edge.from === next.id && edge.branch ? renamed.get(edge.branch) : undefined;
    return to ? { ...edge, branch: to } : edge;
  });
  return { nodes, edges };
}

/** An edge's branch changed (edges leaving a route). */
export function setEdgeBranch(content: FlowContent, key: string, branch: string): FlowContent {
  return {
    ...content,
    edges: content.edges.map((edge) => (edgeKey(edge) === key ? { ...edge, branch } : edge)),
  };
}

/** The asset reference a node uses (the one the side panel edits), if its kind has one. */
export function assetRefOf(node: FlowNode): { assetId: string; version?: number | null } | null {
  switch (node.kind) {
    case 'source':
    case 'target':
      return node.adapter;
    case 'validate':
      return node.schema;
    case 'map':
      return node.mapping;
    case 'errorHandler':
      return node.destination === 'adapter' ? (node.adapter ?? { assetId: '' }) : null;
    case 'route':
      return null;
  }
}

/** The node with its asset reference replaced. */
export function withAssetRef(
  node: FlowNode,
  ref: { assetId: string; version: number | null },
): FlowNode {
  switch (node.kind) {
    case 'source':
    case 'target':
      return { ...node, adapter: ref };
    case 'validate':
      return { ...node, schema: { ...ref, root: node.schema.root ?? null } };
    case 'map':
      return { ...node, mapping: ref };
    case 'errorHandler':
      return { ...node, adapter: ref };
    case 'route':
      return node;
  }
}

/** What a node's asset is (for the panel's and problems' words). */
export function assetRoleOf(node: FlowNode): 'adapter' | 'schema' | 'mapping' | null {
  if (node.kind === 'validate') return 'schema';
  if (node.kind === 'map') return 'mapping';
  return assetRefOf(node) ? 'adapter' : null;
}

/** Problems the console sees before asking the API: assets not chosen yet. */
export function localProblems(content: FlowContent): DesignerProblem[] {
  return content.nodes.flatMap((node): DesignerProblem[] => {
    const ref = assetRefOf(node);
    const role = assetRoleOf(node);
    if (!ref || !role || ref.assetId) return [];
    return [
      {
        code: 'asset_missing',
        message: `Choose the ${role} this ${KIND_LABELS[node.kind].toLowerCase()} step uses.`,
        nodeId: node.id,
      },
    ];
  });
}

/** The content as the API takes it: an asset not chosen becomes PLACEHOLDER_ASSET. */
export function toSavable(content: FlowContent): FlowContent {
  return {
    nodes: content.nodes.map((node) => {
      const ref = assetRefOf(node);
      if (!ref || ref.assetId) return node;
      return withAssetRef(node, { assetId: PLACEHOLDER_ASSET, version: ref.version ?? null });
    }),
    edges: content.edges,
  };
}

/**
 * The problems shown: the local ones, then the API's, without the API's "unavailable" for a
 * placeholder asset (the local problem says it in words).
 */
export function mergeProblems(
  local: readonly DesignerProblem[],
  remote: readonly DesignerProblem[],
): DesignerProblem[] {
  const placeholders = new Set(
    local.filter((problem) => problem.code === 'asset_missing').map((problem) => problem.nodeId),
  );
  return [
    ...local,
    ...remote.filter(
      (problem) =>
        !(
          problem.nodeId &&
          placeholders.has(problem.nodeId) &&
          problem.code.startsWith('asset_') &&
          !problem.edge
        ),
    ),
  ];
}

/** Field errors of a 400 (`/nodes/3/mapping/assetId`) as problems on the nodes they name. */
export function fieldProblems(
  content: FlowContent,
  errors: readonly { path: string; message: string }[],
): DesignerProblem[] {
  return errors.map((error) => {
    const match = /^\/nodes\/(\d+)(\/.*)?$/.exec(error.path);
    const node = match ? content.nodes[Number(match[1])] : undefined;
    const field = match?.[2] ? `${match[2].slice(1)} ` : '';
    return {
      code: 'field_invalid',
      message: node ? `${field}${error.message}` : `${error.path} ${error.message}`,
      ...(node ? { nodeId: node.id } : {}),
    };
  });
}

/** Whether two contents are the same graph (for "unsaved changes"). */
export function sameContent(a: FlowContent, b: FlowContent): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The messages of problems on steps (not on edges), by step id. */
export function problemsByNode(problems: readonly DesignerProblem[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const problem of problems)
    if (problem.nodeId && !problem.edge)
      byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem.message]);
  return byNode;
}

/** The messages of problems on edges, by `from->to`. */
export function problemsByEdge(problems: readonly DesignerProblem[]): Map<string, string[]> {
  const byEdge = new Map<string, string[]>();
  for (const problem of problems)
    if (problem.edge) {
      const key = `${problem.edge.from}->${problem.edge.to}`;
      byEdge.set(key, [...(byEdge.get(key) ?? []), problem.message]);
    }
  return byEdge;
}

/** The branches an edge may carry: those of the route it leaves (none from another step). */
export function branchesFrom(content: FlowContent, edge: FlowEdge | null): string[] {
  const route = content.nodes.find((node) => node.id === edge?.from);
  if (route?.kind !== 'route') return [];
  return [
    ...route.routes.map((r) => r.branch),
    ...(route.defaultBranch ? [route.defaultBranch] : []),
  ];
}

/** How the canvas titles a step: its label, or the asset it uses (pinned version), or its kind. */
export function nodeTitle(node: FlowNode, assetNames: ReadonlyMap<string, string>): string {
  if (node.label) return node.label;
  const ref = assetRefOf(node);
  if (!ref) return node.kind === 'errorHandler' ? 'Dead-letter store' : 'Route';
  if (!ref.assetId) return 'Nothing chosen yet';
  const name = assetNames.get(ref.assetId) ?? 'An asset you cannot open';
  return ref.version ? `${name} (v${ref.version})` : name;
}

/**
 * What a key press asks of the canvas: Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo, Delete or
 * Backspace delete the selection — never while typing in a field (⌘ counts as Ctrl).
 */
export function keyCommand(event: KeyboardEvent): 'undo' | 'redo' | 'delete' | null {
  const target = event.target as HTMLElement | null;
  if (target?.closest('input, textarea, select, [contenteditable="true"]')) return null;
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if ((event.key === 'Delete' || event.key === 'Backspace') && !mod) return 'delete';
  return null;
}
