import { type FlowContent } from '@integrixs/domain';

import { autoLayout } from './designer-layout';
import {
  addNode,
  BOX_WIDTH,
  commit,
  connect,
  connectRefusal,
  deleteSelection,
  edgeKey,
  EMPTY_CONTENT,
  fieldProblems,
  freePosition,
  HISTORY_LIMIT,
  localProblems,
  mergeProblems,
  moveNodes,
  PLACEHOLDER_ASSET,
  redo,
  replaceNode,
  startHistory,
  toSavable,
  undo,
} from './designer-state';

const ADAPTER = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

/** source → map → route, and two targets; built through the edits the canvas makes. */
function sample(): FlowContent {
  let c = EMPTY_CONTENT;
  c = addNode(c, { kind: 'source', assetId: ADAPTER }, { x: 0, y: 0 }).content;
  c = addNode(c, { kind: 'map' }, { x: 300, y: 0 }).content;
  c = addNode(c, { kind: 'route' }, { x: 600, y: 0 }).content;
  c = addNode(c, { kind: 'target', assetId: ADAPTER }, { x: 900, y: -100 }).content;
  c = addNode(c, { kind: 'target', assetId: ADAPTER }, { x: 900, y: 100 }).content;
  c = connect(c, 'source-1', 'map-1');
  c = connect(c, 'map-1', 'route-1');
  c = connect(c, 'route-1', 'target-1');
  return connect(c, 'route-1', 'target-2');
}

describe('designer history', () => {
  it('undoes and redoes content snapshots, and a new edit drops the redo stack', () => {
    const a = EMPTY_CONTENT;
    const b = addNode(a, { kind: 'map' }, { x: 0, y: 0 }).content;
    const c = addNode(b, { kind: 'target' }, { x: 300, y: 0 }).content;
    let h = commit(commit(startHistory(a), b), c);
    h = undo(h);
    expect(h.present).toBe(b);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(b);
    const d = addNode(b, { kind: 'route' }, { x: 0, y: 200 }).content;
    h = commit(h, d);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe(b);
  });

  it('keeps at most HISTORY_LIMIT steps and ignores a commit of the same snapshot', () => {
    let h = startHistory(EMPTY_CONTENT);
    expect(commit(h, h.present)).toBe(h);
    for (let i = 0; i < HISTORY_LIMIT + 20; i++)
      h = commit(h, moveNodes(sample(), new Map([['map-1', { x: i, y: 0 }]])));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
  });
});

describe('designer edits', () => {
  it('adds nodes with fresh ids, defaults and the dropped asset', () => {
    const c = sample();
    expect(c.nodes.map((n) => n.id)).toEqual([
      'source-1',
      'map-1',
      'route-1',
      'target-1',
      'target-2',
    ]);
    expect(c.nodes[0]).toEqual({
      id: 'source-1',
      kind: 'source',
      position: { x: 0, y: 0 },
      adapter: { assetId: ADAPTER, version: null },
      trigger: { type: 'manual' },
    });
    expect(c.nodes[1]).toMatchObject({ kind: 'map', mapping: { assetId: '' } });
  });

  it('gives each edge leaving a route a branch, adding a default then new branches', () => {
    const c = sample();
    expect(c.edges.filter((e) => e.from === 'route-1')).toEqual([
      { from: 'route-1', to: 'target-1', branch: 'default' },
      { from: 'route-1', to: 'target-2', branch: 'branch-1' },
    ]);
    expect(c.nodes.find((n) => n.id === 'route-1')).toMatchObject({
      defaultBranch: 'default',
      routes: [{ branch: 'branch-1', when: 'true' }],
    });
  });

  it.each([
    ['into a source', 'map-1', 'source-1', /Nothing leads into a source/],
    ['out of a target', 'target-1', 'map-1', /ends the flow/],
    ['a second edge out of a plain step', 'source-1', 'route-1', /Only a route/],
    ['a step to itself', 'map-1', 'map-1', /itself/],
    ['to an unknown step', 'map-1', 'nowhere', /Both ends/],
  ])('refuses an edge %s', (_what, from, to, reason) => {
    const c = sample();
    expect(connectRefusal(c, from, to)).toMatch(reason);
    expect(connect(c, from, to)).toBe(c);
  });

  it('deletes nodes with their edges, and edges by key, in one step', () => {
    const c = sample();
    const routeEdge = c.edges.find((e) => e.to === 'target-2');
    if (!routeEdge) throw new Error('no edge');
    const next = deleteSelection(c, ['map-1'], [edgeKey(routeEdge)]);
    expect(next.nodes.map((n) => n.id)).not.toContain('map-1');
    expect(next.edges).toEqual([{ from: 'route-1', to: 'target-1', branch: 'default' }]);
    expect(deleteSelection(c, [], [])).toBe(c);
  });

  it("renames a route's branch on the edges that carry it", () => {
    const c = sample();
    const route = c.nodes.find((n) => n.id === 'route-1');
    if (route?.kind !== 'route') throw new Error('no route');
    const next = replaceNode(c, {
      ...route,
      routes: [{ branch: 'big', when: 'total > 100' }],
      defaultBranch: 'rest',
    });
    expect(next.edges.filter((e) => e.from === 'route-1').map((e) => e.branch)).toEqual([
      'rest',
      'big',
    ]);
  });

  it('moves nodes to rounded positions and leaves unmoved content as it is', () => {
    const c = sample();
    const moved = moveNodes(c, new Map([['map-1', { x: 10.4, y: 20.6 }]]));
    expect(moved.nodes[1].position).toEqual({ x: 10, y: 21 });
    expect(moveNodes(c, new Map([['map-1', { x: 300, y: 0 }]]))).toBe(c);
  });

  it('places a keyboard-added node right of the right-most one', () => {
    expect(freePosition(EMPTY_CONTENT)).toEqual({ x: 0, y: 0 });
    expect(freePosition(sample()).x).toBeGreaterThanOrEqual(900 + BOX_WIDTH);
  });
});

describe('designer problems', () => {
  it('names a step whose asset is not chosen, and sends a placeholder for it', () => {
    const c = sample();
    expect(localProblems(c)).toEqual([
      {
        code: 'asset_missing',
        message: 'Choose the mapping this map step uses.',
        nodeId: 'map-1',
      },
    ]);
    const savable = toSavable(c);
    expect(savable.nodes[1]).toMatchObject({ mapping: { assetId: PLACEHOLDER_ASSET } });
    expect(savable.nodes[0]).toBe(c.nodes[0]);
  });

  it("drops the API's unavailable-asset problem where the console already says it in words", () => {
    const local = localProblems(sample());
    const merged = mergeProblems(local, [
      { code: 'asset_unavailable', message: 'not found', nodeId: 'map-1' },
      { code: 'unreachable', message: 'cannot be reached', nodeId: 'target-2' },
    ]);
    expect(merged.map((p) => [p.code, p.nodeId])).toEqual([
      ['asset_missing', 'map-1'],
      ['unreachable', 'target-2'],
    ]);
  });

  it('maps 400 field errors to the nodes their JSON pointers name', () => {
    const problems = fieldProblems(sample(), [
      { path: '/nodes/0/trigger/cron', message: 'is required' },
      { path: '/edges/1/to', message: 'names no node' },
    ]);
    expect(problems).toEqual([
      { code: 'field_invalid', message: 'trigger/cron is required', nodeId: 'source-1' },
      { code: 'field_invalid', message: '/edges/1/to names no node' },
    ]);
  });
});

describe('auto-layout', () => {
  it('places the flow left to right along its edges, as one applicable result', async () => {
    const c = moveNodes(
      sample(),
      new Map(sample().nodes.map((n) => [n.id, { x: 0, y: 0 }] as const)),
    );
    const positions = await autoLayout(c);
    const laidOut = moveNodes(c, positions);
    const x = (id: string) => laidOut.nodes.find((n) => n.id === id)?.position.x ?? NaN;
    expect(x('map-1') - x('source-1')).toBeGreaterThanOrEqual(BOX_WIDTH);
    expect(x('route-1') - x('map-1')).toBeGreaterThanOrEqual(BOX_WIDTH);
    expect(x('target-1')).toBe(x('target-2'));
    const y = (id: string) => laidOut.nodes.find((n) => n.id === id)?.position.y;
    expect(y('target-1')).not.toBe(y('target-2'));
  });
});
