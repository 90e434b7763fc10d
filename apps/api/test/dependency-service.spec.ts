import { DataSource } from 'typeorm';

import { type DependencyKind } from '@integrixs/domain';

import { DependencyCycleError } from '../src/dependency/dependency-errors';
import { DependencyService, type GraphWalk } from '../src/dependency/dependency.service';
import { type VisibilityScope } from '../src/identity/principal';
import { createAsset, createPackage } from './support/access-fixtures';
import { untilWaiting } from './support/lock-waits';
import { createSchema, noteXsd } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * The asset graph (issue 9): DependencyService against real PostgreSQL. Assets are created
 * through the API; edges are written with replaceEdges as a handler's save hook would.
 */
describe('DependencyService', () => {
  let t: TestApp;
  let graph: DependencyService;
  let db: DataSource;
  const everyone: VisibilityScope = { all: true, userId: 'admin', packageIds: null };

  beforeAll(async () => {
    t = await startTestApp();
    graph = t.app.get(DependencyService);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /** Flows named `names` in package `pkg` (the type does not matter to the graph). */
  async function assets(pkg: string, ...names: string[]): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for (const name of names) ids[name] = (await createAsset(t, pkg, 'FLOW', { name })).id;
    return ids;
  }

  async function link(
    pkg: string,
    from: string,
    to: string[],
    kind: DependencyKind = 'FLOW_MAPPING',
  ): Promise<void> {
    await db.transaction((m) =>
      graph.replaceEdges(
        m,
        { id: from, packageId: pkg },
        to.map((toAssetId) => ({ toAssetId, kind })),
        everyone,
      ),
    );
  }

  async function edgesFrom(id: string): Promise<string[]> {
    const rows = await t.db.pool.query<{ to_asset_id: string }>(
      'SELECT to_asset_id FROM package_asset_dependencies WHERE from_asset_id = $1 ORDER BY to_asset_id',
      [id],
    );
    return rows.rows.map((r) => r.to_asset_id);
  }

  const brief = (walk: GraphWalk) =>
    walk.items.map(({ name, depth, path }) => ({ name, depth, path }));

  it('lists transitive dependents and dependencies, each with its depth and path', async () => {
    const pkg = await createPackage(t, 'Graph chain');
    const { a, b, c } = await assets(pkg, 'a', 'b', 'c');
    await link(pkg, b, [a]);
    await link(pkg, c, [b]);

    expect(brief(await graph.dependents(a, everyone))).toEqual([
      { name: 'b', depth: 1, path: [a, b] },
      { name: 'c', depth: 2, path: [a, b, c] },
    ]);
    expect(brief(await graph.dependencies(c, everyone))).toEqual([
      { name: 'b', depth: 1, path: [c, b] },
      { name: 'a', depth: 2, path: [c, b, a] },
    ]);
    expect((await graph.dependents(a, everyone, 1)).items.map((n) => n.name)).toEqual(['b']);
    expect((await graph.impact(a, everyone)).items.map((n) => n.kind)).toEqual([
      'FLOW_MAPPING',
      'FLOW_MAPPING',
    ]);
  });

  it('lists a diamond’s shared dependent once, at its nearest distance', async () => {
    const pkg = await createPackage(t, 'Graph diamond');
    const { top, left, right, bottom } = await assets(pkg, 'top', 'left', 'right', 'bottom');
    await link(pkg, left, [bottom]);
    await link(pkg, right, [bottom]);
    await link(pkg, top, [left, right]);

    const walk = await graph.dependents(bottom, everyone);
    expect(walk.items.map((n) => [n.name, n.depth])).toEqual([
      ['left', 1],
      ['right', 1],
      ['top', 2],
    ]);
    const topPath = walk.items[2]?.path;
    expect([
      [bottom, left, top],
      [bottom, right, top],
    ]).toContainEqual(topPath);
    expect((await graph.dependencies(top, everyone)).items.map((n) => n.name)).toEqual([
      'left',
      'right',
      'bottom',
    ]);
  });

  it('refuses an edge that closes a cycle, naming it, and writes nothing', async () => {
    const pkg = await createPackage(t, 'Graph cycle');
    const { x, y, z } = await assets(pkg, 'x', 'y', 'z');
    await link(pkg, x, [y]);
    await link(pkg, y, [z]);

    await expect(
      db.transaction((m) => graph.wouldCreateCycle(m, z, [x], everyone)),
    ).resolves.toEqual([
      { id: z, type: 'FLOW', name: 'z' },
      { id: x, type: 'FLOW', name: 'x' },
      { id: y, type: 'FLOW', name: 'y' },
      { id: z, type: 'FLOW', name: 'z' },
    ]);
    const refusal = link(pkg, z, [x]);
    await expect(refusal).rejects.toBeInstanceOf(DependencyCycleError);
    await expect(refusal).rejects.toThrow(
      'this save would make a dependency cycle: flow "z" → flow "x" → flow "y" → flow "z"',
    );
    expect(await edgesFrom(z)).toEqual([]);
    // An edge that closes no cycle is fine, and an asset never depends on itself.
    await expect(db.transaction((m) => graph.wouldCreateCycle(m, x, [z], everyone))).resolves.toBe(
      null,
    );
  });

  it('checks two saves racing to close a cycle one after the other: the second is refused', async () => {
    const pkg = await createPackage(t, 'Graph race');
    const { x, y, z } = await assets(pkg, 'x', 'y', 'z');
    await link(pkg, x, [y]);
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let written!: () => void;
    const firstWrote = new Promise<void>((resolve) => (written = resolve));
    // The first save adds y → z and stays open; the second adds z → x (x → y → z → x).
    const first = db.transaction(async (m) => {
      await graph.replaceEdges(m, { id: y, packageId: pkg }, [
        { toAssetId: z, kind: 'FLOW_MAPPING' },
      ]);
      written();
      await held;
    });
    await firstWrote;
    const second = link(pkg, z, [x]);
    await untilWaiting(t.db.pool, 'advisory');
    commit();
    await first;
    await expect(second).rejects.toBeInstanceOf(DependencyCycleError);
    expect(await edgesFrom(z)).toEqual([]);
  });

  it('shows each caller only what they may read, counting and never naming the rest', async () => {
    const mine = await createPackage(t, 'Graph visible');
    const theirs = await createPackage(t, 'Graph hidden');
    const reader = await t.createUser({ role: 'DEVELOPER', packages: { [mine]: 'VIEWER' } });
    const other = await t.createUser({ role: 'DEVELOPER', packages: { [theirs]: 'VIEWER' } });
    const { base, top } = await assets(mine, 'base', 'top');
    const { middle } = await assets(theirs, 'middle');
    await link(theirs, middle, [base]);
    await link(mine, top, [middle]);

    const scope = (userId: string): VisibilityScope => ({ all: false, userId, packageIds: null });
    const forReader = await graph.dependents(base, scope(reader.id));
    expect(brief(forReader)).toEqual([{ name: 'top', depth: 2, path: [base, null, top] }]);
    expect(forReader.hidden).toBe(1);
    expect(JSON.stringify(forReader)).not.toContain(middle);

    const forOther = await graph.dependents(base, scope(other.id));
    expect(forOther.items.map((n) => n.name)).toEqual(['middle']);
    expect(forOther.hidden).toBe(1);
    // An API token limited to one package sees only that package, even for an administrator.
    const token: VisibilityScope = { all: true, userId: t.admin.id, packageIds: [theirs] };
    expect((await graph.dependencies(top, token)).items.map((n) => n.name)).toEqual(['middle']);
  });

  it('replaces an asset’s edges inside the save’s transaction: a failed save keeps the old ones', async () => {
    const pkg = await createPackage(t, 'Graph atomic');
    const { from, old, next } = await assets(pkg, 'from', 'old', 'next');
    await link(pkg, from, [old]);

    await expect(
      db.transaction(async (m) => {
        await graph.replaceEdges(m, { id: from, packageId: pkg }, [
          { toAssetId: next, kind: 'FLOW_MAPPING' },
        ]);
        expect(await edgesFromIn(m, from)).toEqual([next]);
        throw new Error('the save failed after writing its edges');
      }),
    ).rejects.toThrow('the save failed');
    expect(await edgesFrom(from)).toEqual([old]);

    await link(pkg, from, [next]);
    expect(await edgesFrom(from)).toEqual([next]);
  });

  it('refuses a schema save whose imports would close a cycle across assets (409), keeping the old version', async () => {
    const pkg = await createPackage(t, 'Graph schema cycle');
    const base = await createSchema(t, pkg, {
      name: 'Base',
      type: 'XSD',
      document: noteXsd({ namespace: 'urn:cycle:base' }),
    });
    const importer = await createSchema(t, pkg, {
      name: 'Importer',
      type: 'XSD',
      document: noteXsd({
        namespace: 'urn:cycle:importer',
        imports: '<xs:import namespace="urn:cycle:base"/>',
      }),
    });
    expect(await edgesFrom(importer.id)).toEqual([base.id]);

    const closing = await t.request({
      method: 'PUT',
      url: `/api/packages/${pkg}/schemas/${base.id}`,
      headers: { 'if-match': `"${base.version}"` },
      payload: {
        document: noteXsd({
          namespace: 'urn:cycle:base',
          imports: '<xs:import namespace="urn:cycle:importer"/>',
        }),
      },
    });
    expect(closing.statusCode).toBe(409);
    const problem = json<{ code: string; detail: string; cycle: string[] }>(closing);
    expect(problem.code).toBe('state_conflict');
    expect(problem.detail).toContain('schema "Base" → schema "Importer" → schema "Base"');
    expect(problem.cycle).toEqual([base.id, importer.id, base.id]);
    expect(await edgesFrom(base.id)).toEqual([]);
    const after = json<{ currentVersion: number; version: number }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/schemas/${base.id}` }),
    );
    expect(after).toMatchObject({ currentVersion: 1, version: base.version });
  });

  async function edgesFromIn(m: { query: DataSource['query'] }, id: string): Promise<string[]> {
    const rows = await m.query<{ to_asset_id: string }[]>(
      'SELECT to_asset_id FROM package_asset_dependencies WHERE from_asset_id = $1 ORDER BY to_asset_id',
      [id],
    );
    return rows.map((r) => r.to_asset_id);
  }
});
