import { createPackage, mappingBody } from './support/access-fixtures';
import { createMapping } from './support/mappings';
import { createSchema, noteXsd, type SchemaView } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The routes of the asset graph (issue 12) against real PostgreSQL, on a graph seeded through
 * the API: schema S (package A) is imported by schema S2 (package B) and mapped by mapping M
 * (A); M2 (B) maps S2, M3 (package C) maps S2 too:
 *
 *   S ← M            S ← S2 ← M2            S ← S2 ← M3
 */
interface Node {
  id: string;
  packageId: string;
  type: string;
  name: string;
  kind: string;
  depth: number;
  path: (string | null)[];
  crossPackage: boolean;
}
interface Walk {
  assetId: string;
  items: Node[];
  hidden: number;
}
interface Impact {
  verdict: {
    from: number;
    to: number;
    compatibility: string;
    reasons: string[];
    changes: { change: string; path: string; breaking: boolean }[];
  } | null;
  affected: Node[];
  byType: Record<string, number>;
  hidden: number;
  notAnalysed: string[];
  currentVersion: number;
  proposedVersion: number | null;
}
interface Graph {
  nodes: { id: string; name: string; packageName: string; crossPackage: boolean }[];
  edges: {
    from: string;
    to: string;
    kind: string;
    pinnedVersion: number | null;
    crossPackage: boolean;
  }[];
  hiddenNodes: number;
  hiddenEdges: number;
}

describe('dependency routes', () => {
  let t: TestApp;
  let a: string;
  let b: string;
  let c: string;
  let s: SchemaView;
  let s2: SchemaView;
  let m: string;
  let m2: string;
  let m3: string;
  /** Reads A and C, not B. */
  let reader: TestUser;
  /** Reads nothing of A. */
  let stranger: TestUser;

  const get = (url: string, as?: TestUser) =>
    t.request({ method: 'GET', url, ...(as ? { as } : {}) });
  const names = (nodes: { name: string }[]) => nodes.map((n) => n.name);

  async function updateSchema(schema: SchemaView, document: string): Promise<SchemaView> {
    const response = await t.request({
      method: 'PUT',
      url: `/api/packages/${a}/schemas/${schema.id}`,
      headers: { 'if-match': `"${schema.version}"` },
      payload: { document },
    });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return json<SchemaView>(response);
  }

  beforeAll(async () => {
    t = await startTestApp();
    a = await createPackage(t, 'Routes A');
    b = await createPackage(t, 'Routes B');
    c = await createPackage(t, 'Routes C');
    s = await createSchema(t, a, {
      name: 'S',
      type: 'XSD',
      document: noteXsd({ namespace: 'urn:routes:s' }),
    });
    s2 = await createSchema(t, b, {
      name: 'S2',
      type: 'XSD',
      document: noteXsd({
        namespace: 'urn:routes:s2',
        imports: '<xs:import namespace="urn:routes:s"/>',
      }),
    });
    m = (await createMapping(t, a, mappingBody('M', s.id))).id;
    m2 = (await createMapping(t, b, mappingBody('M2', s2.id))).id;
    m3 = (await createMapping(t, c, mappingBody('M3', s2.id))).id;
    reader = await t.createUser({ role: 'DEVELOPER', packages: { [a]: 'VIEWER', [c]: 'VIEWER' } });
    stranger = await t.createUser({ role: 'DEVELOPER', packages: { [b]: 'VIEWER' } });
  });
  afterAll(() => t.close());

  it('lists transitive dependents with depth and path, marking those in other packages', async () => {
    const response = await get(`/api/packages/${a}/assets/${s.id}/dependents`);
    expect(response.statusCode).toBe(200);
    const walk = json<Walk>(response);
    expect(walk).toMatchObject({ assetId: s.id, hidden: 0 });
    expect(
      walk.items.map(({ name, depth, path, crossPackage }) => ({
        name,
        depth,
        path,
        crossPackage,
      })),
    ).toEqual([
      { name: 'M', depth: 1, path: [s.id, m], crossPackage: false },
      { name: 'S2', depth: 1, path: [s.id, s2.id], crossPackage: true },
      { name: 'M2', depth: 2, path: [s.id, s2.id, m2], crossPackage: true },
      { name: 'M3', depth: 2, path: [s.id, s2.id, m3], crossPackage: true },
    ]);
    expect(walk.items[1]).toMatchObject({ type: 'SCHEMA', kind: 'SCHEMA_IMPORT', packageId: b });

    const direct = json<Walk>(await get(`/api/packages/${a}/assets/${s.id}/dependents?depth=1`));
    expect(names(direct.items)).toEqual(['M', 'S2']);
  });

  it('lists transitive dependencies the other way', async () => {
    const walk = json<Walk>(await get(`/api/packages/${c}/assets/${m3}/dependencies`));
    expect(walk.items.map(({ name, depth, path }) => ({ name, depth, path }))).toEqual([
      { name: 'S2', depth: 1, path: [m3, s2.id] },
      { name: 'S', depth: 2, path: [m3, s2.id, s.id] },
    ]);
    expect(walk.items.every((n) => n.crossPackage)).toBe(true);
  });

  it('counts and never names what the caller cannot read, also on a path', async () => {
    const response = await get(`/api/packages/${a}/assets/${s.id}/dependents`, reader);
    expect(response.statusCode).toBe(200);
    const walk = json<Walk>(response);
    expect(walk.items.map(({ name, path }) => ({ name, path }))).toEqual([
      { name: 'M', path: [s.id, m] },
      { name: 'M3', path: [s.id, null, m3] },
    ]);
    expect(walk.hidden).toBe(2);
    expect(response.body).not.toContain(s2.id);
    expect(response.body).not.toContain(m2);
  });

  it('answers 404 for a package the caller cannot read and for an asset of another package', async () => {
    const hidden = await get(`/api/packages/${a}/assets/${s.id}/dependents`, stranger);
    expect(hidden.statusCode).toBe(404);
    const elsewhere = await get(`/api/packages/${a}/assets/${m2}/dependencies`);
    expect(elsewhere.statusCode).toBe(404);
    expect(json(elsewhere)['detail']).toBe(`Asset ${m2} does not exist`);
  });

  it('refuses a depth out of range and an id that is no UUID with 400 naming it', async () => {
    const deep = await get(`/api/packages/${a}/assets/${s.id}/dependents?depth=65`);
    expect(deep.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(deep).errors[0]?.path).toBe('depth');
    const bad = await get(`/api/packages/${a}/assets/nope/dependencies`);
    expect(bad.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(bad).errors[0]?.path).toBe('assetId');
  });

  it('draws a package’s graph with the readable nodes of other packages, marked', async () => {
    const graph = json<Graph>(await get(`/api/packages/${b}/dependency-graph`));
    expect(graph.nodes.map(({ name, crossPackage }) => [name, crossPackage])).toEqual([
      ['M2', false],
      ['S2', false],
      ['M3', true],
      ['S', true],
    ]);
    expect(graph.nodes.find((n) => n.name === 'S')?.packageName).toBe('Routes A');
    const edge = (from: string, to: string) =>
      graph.edges.filter((e) => e.from === from && e.to === to).map((e) => e.crossPackage);
    expect(edge(s2.id, s.id)).toEqual([true]);
    expect(edge(m2, s2.id)).toEqual([false, false]);
    expect(edge(m3, s2.id)).toEqual([true, true]);
    expect(graph.edges.find((e) => e.from === s2.id)?.pinnedVersion).toBe(1);
    expect(graph).toMatchObject({ hiddenNodes: 0, hiddenEdges: 0 });

    const forReader = json<Graph>(await get(`/api/packages/${a}/dependency-graph`, reader));
    expect(names(forReader.nodes)).toEqual(['M', 'S']);
    expect(forReader.edges.map((e) => [e.from, e.to, e.kind])).toEqual([
      [m, s.id, 'MAPPING_SOURCE_SCHEMA'],
      [m, s.id, 'MAPPING_TARGET_SCHEMA'],
    ]);
    // S2 imports S from package B, which the reader cannot read: counted, never named.
    expect(forReader).toMatchObject({ hiddenNodes: 1, hiddenEdges: 1 });
    expect(JSON.stringify(forReader)).not.toContain(s2.id);
  });

  it('analyses impact: everything affected, and a schema change breaking or not', async () => {
    const plain = json<Impact>(await get(`/api/packages/${a}/assets/${s.id}/impact`));
    expect(names(plain.affected)).toEqual(['M', 'S2', 'M2', 'M3']);
    expect(plain).toMatchObject({
      verdict: null,
      proposedVersion: null,
      byType: { SCHEMA: 1, ADAPTER: 0, MAPPING: 3, FLOW: 0 },
      hidden: 0,
    });
    // The mapping module re-runs samples (impact-sample-recheck.spec.ts).
    expect(plain.notAnalysed).not.toContain('SAMPLE_TESTS');

    // Version 2 adds an optional element: nothing built against version 1 breaks.
    s = await updateSchema(
      s,
      noteXsd({ namespace: 'urn:routes:s', children: ['to', 'body', 'cc?'] }),
    );
    const widened = json<Impact>(
      await get(`/api/packages/${a}/assets/${s.id}/impact?proposedVersion=2`),
    );
    expect(widened.verdict).toMatchObject({
      from: 1,
      to: 2,
      compatibility: 'non-breaking',
      reasons: [],
    });
    expect(widened.verdict?.changes).toMatchObject([
      { change: 'added', path: '/Note/cc', breaking: false },
    ]);
    expect(names(widened.affected)).toEqual(['M', 'S2', 'M2', 'M3']);

    // Version 3 drops a required element: breaking, and the reason says which.
    s = await updateSchema(s, noteXsd({ namespace: 'urn:routes:s', children: ['to', 'cc?'] }));
    const narrowed = await get(
      `/api/packages/${a}/assets/${s.id}/impact?proposedVersion=3`,
      reader,
    );
    expect(narrowed.statusCode).toBe(200);
    const verdict = json<Impact>(narrowed);
    expect(verdict.verdict).toMatchObject({ from: 2, to: 3, compatibility: 'breaking' });
    expect(verdict.verdict?.reasons.join()).toContain('/Note/body');
    expect(names(verdict.affected)).toEqual(['M', 'M3']);
    expect(verdict.hidden).toBe(2);
  });

  it('refuses a proposed version that does not exist, or for an asset with no verdict', async () => {
    const missing = await get(`/api/packages/${a}/assets/${s.id}/impact?proposedVersion=99`);
    expect(missing.statusCode).toBe(404);
    const mapping = await get(`/api/packages/${a}/assets/${m}/impact?proposedVersion=1`);
    expect(mapping.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(mapping).errors[0]?.path).toBe('proposedVersion');
    const zero = await get(`/api/packages/${a}/assets/${m}/impact?proposedVersion=0`);
    expect(zero.statusCode).toBe(400);
  });

  it('refuses a save closing a 3-asset cycle across two packages with the cycle’s path (409)', async () => {
    const z = await createSchema(t, a, {
      name: 'Z',
      type: 'XSD',
      document: noteXsd({ namespace: 'urn:cycle2:z' }),
    });
    const y = await createSchema(t, b, {
      name: 'Y',
      type: 'XSD',
      document: noteXsd({
        namespace: 'urn:cycle2:y',
        imports: '<xs:import namespace="urn:cycle2:z"/>',
      }),
    });
    const xs = await createSchema(t, a, {
      name: 'X',
      type: 'XSD',
      document: noteXsd({
        namespace: 'urn:cycle2:x',
        imports: '<xs:import namespace="urn:cycle2:y"/>',
      }),
    });
    const closing = noteXsd({
      namespace: 'urn:cycle2:z',
      imports: '<xs:import namespace="urn:cycle2:x"/>',
    });
    const save = (as?: TestUser) =>
      t.request({
        method: 'PUT',
        url: `/api/packages/${a}/schemas/${z.id}`,
        headers: { 'if-match': `"${z.version}"` },
        payload: { document: closing },
        ...(as ? { as } : {}),
      });

    const refused = await save();
    expect(refused.statusCode).toBe(409);
    const problem = json<{ code: string; detail: string; cycle: string[] }>(refused);
    expect(problem.code).toBe('state_conflict');
    expect(problem.cycle).toEqual([z.id, xs.id, y.id, z.id]);
    expect(problem.detail).toContain('schema "Z" → schema "X" → schema "Y" → schema "Z"');

    // A developer of package A who cannot read B sees the cycle, not the asset of B on it.
    const developer = await t.createUser({ role: 'DEVELOPER', packages: { [a]: 'DEVELOPER' } });
    const hidden = await save(developer);
    expect(hidden.statusCode).toBe(409);
    const theirs = json<{ detail: string; cycle: (string | null)[] }>(hidden);
    expect(theirs.cycle).toEqual([z.id, xs.id, null, z.id]);
    expect(theirs.detail).toContain(
      'schema "Z" → schema "X" → an asset you cannot see → schema "Z"',
    );
    expect(hidden.body).not.toContain(y.id);

    const edges = json<Walk>(await get(`/api/packages/${a}/assets/${z.id}/dependencies`));
    expect(edges.items).toEqual([]);
  });
});
