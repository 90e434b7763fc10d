import { createPackage } from './support/access-fixtures';
import {
  createFlowAssets,
  validFlow,
  type FlowAssets,
  type FlowProblemView,
} from './support/flows';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

const jsonSchema = (name: string) =>
  schemaDocument(
    name,
    JSON.stringify({ type: 'object', properties: { total: { type: 'number' } } }),
    'JSON_SCHEMA',
  );

/** The graph of validFlow() without its name: the body of a draft check. */
const draftOf = (a: FlowAssets) => {
  const { nodes, edges } = validFlow(a);
  return { nodes, edges };
};

/**
 * POST /api/packages/{id}/flows/validation: the designer's live feedback. An unsaved graph is
 * checked as a save checks it (shape 400s, then graph problems naming nodes and edges), as the
 * caller sees the assets, and nothing is written.
 */
describe('flows: validating an unsaved draft', () => {
  let t: TestApp;
  let pkg: string;
  let viewer: TestUser;
  let outsider: TestUser;
  let a: FlowAssets;
  const url = () => `/api/packages/${pkg}/flows/validation`;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Draft checks');
    a = await createFlowAssets(t, pkg, 'Draft', jsonSchema);
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    outsider = await t.createUser({ role: 'DEVELOPER', packages: {} });
  }, 90_000);
  afterAll(() => t.close());

  it('finds no problem in a complete graph, for a package viewer (read permission)', async () => {
    const response = await t.request({
      method: 'POST',
      url: url(),
      payload: draftOf(a),
      as: viewer,
    });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ valid: true, problems: [] });
  });

  it('names the node a problem is about (an unconnected target cannot be reached)', async () => {
    const draft = draftOf(a);
    draft.edges = draft.edges.filter((edge) => edge.to !== 'other');
    const response = await t.request({ method: 'POST', url: url(), payload: draft });
    expect(response.statusCode).toBe(200);
    const { valid, problems } = json<{ valid: boolean; problems: FlowProblemView[] }>(response);
    expect(valid).toBe(false);
    expect(problems.map((p) => [p.code, p.nodeId])).toContainEqual(['unreachable', 'other']);
  });

  it('reports a missing asset on the node that names it', async () => {
    const draft = draftOf(a);
    const map = draft.nodes.find((n) => n.id === 'map') as { mapping: { assetId: string } };
    map.mapping = { assetId: '00000000-0000-4000-8000-000000000000' };
    const response = await t.request({ method: 'POST', url: url(), payload: draft });
    const { problems } = json<{ problems: FlowProblemView[] }>(response);
    expect(problems.map((p) => [p.code, p.nodeId])).toContainEqual(['asset_unavailable', 'map']);
  });

  it('refuses a wrong shape with 400 naming the field by JSON pointer, as a save does', async () => {
    const draft = draftOf(a);
    (draft.nodes[2] as Record<string, unknown>)['mapping'] = { assetId: 'm1' };
    const response = await t.request({ method: 'POST', url: url(), payload: draft });
    expect(response.statusCode).toBe(400);
    const problem = json<{ errors: { path: string }[] }>(response);
    expect(problem.errors.map((e) => e.path)).toContain('/nodes/2/mapping/assetId');
  });

  it('refuses fields a flow body does not have (400) and writes no flow', async () => {
    const response = await t.request({
      method: 'POST',
      url: url(),
      payload: { ...draftOf(a), name: 'Not saved' },
    });
    expect(response.statusCode).toBe(400);
    await t.request({ method: 'POST', url: url(), payload: draftOf(a) });
    const listed = json<{ items: unknown[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/container/flows` }),
    );
    expect(listed.items).toEqual([]);
  });

  it('is a 404 for a package the caller cannot read', async () => {
    const response = await t.request({
      method: 'POST',
      url: url(),
      payload: draftOf(a),
      as: outsider,
    });
    expect(response.statusCode).toBe(404);
  });
});
