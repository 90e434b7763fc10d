import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPackage } from './support/access-fixtures';
import {
  createFlow,
  createFlowAssets,
  postFlow,
  validFlow,
  type FlowAssets,
  type FlowView,
} from './support/flows';
import { connectionTest, setOverlay } from './support/readiness';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

const jsonSchema = (name: string) =>
  schemaDocument(
    name,
    JSON.stringify({ type: 'object', properties: { total: { type: 'number' } } }),
    'JSON_SCHEMA',
  );

interface Problem {
  status: number;
  code: string;
  detail: string;
  allowed?: string[];
  problems?: { code: string; nodeId?: string }[];
  errors: { path: string }[];
}

/**
 * The flow asset (issue 12): saved with its graph, its references as dependency edges (also
 * across packages the caller can read), and its lifecycle DRAFT → READY → ARCHIVED.
 */
describe('flows: references, dependency edges and lifecycle', () => {
  let t: TestApp;
  let pkg: string;
  let shared: string;
  let developer: TestUser;
  let viewer: TestUser;
  let a: FlowAssets;
  let sharedAssets: FlowAssets;
  let folder: string;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Flows');
    shared = await createPackage(t, 'Shared library');
    developer = await t.createUser({
      role: 'DEVELOPER',
      packages: { [pkg]: 'DEVELOPER', [shared]: 'VIEWER' },
    });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    a = await createFlowAssets(t, pkg, 'Local', jsonSchema, developer);
    sharedAssets = await createFlowAssets(t, shared, 'Shared', jsonSchema);
    // READY needs the readiness checklist to pass somewhere: the local adapters on real
    // folders in DEV, each with a passing connection test.
    folder = await mkdtemp(join(tmpdir(), 'flows-'));
    for (const adapter of [a.source, a.target]) {
      await setOverlay(t, { packageId: pkg }, adapter, 'DEV', { folder });
      expect(await connectionTest(t, { packageId: pkg }, adapter, 'DEV')).toBe(true);
    }
  }, 90_000);
  afterAll(async () => {
    await t.close();
    await rm(folder, { recursive: true, force: true });
  });

  const url = (rest = '') => `/api/packages/${pkg}/flows${rest}`;
  const dependents = async (assetId: string, packageId = pkg) =>
    json<{ items: { id: string; type: string }[] }>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${packageId}/assets/${assetId}/dependents`,
        as: developer,
      }),
    ).items;
  const transition = (flow: { id: string }, to: string, as: TestUser = developer) =>
    t.request({ method: 'POST', url: url(`/${flow.id}/transitions`), payload: { to }, as });
  const put = (flow: FlowView, body: Record<string, unknown>) =>
    t.request({
      method: 'PUT',
      url: url(`/${flow.id}`),
      payload: { ...body, version: flow.version },
      as: developer,
    });

  it('writes an edge to every asset the flow uses, so their dependents list the flow', async () => {
    const flow = await createFlow(t, pkg, validFlow(a, 'Edges'), developer);
    for (const id of [a.source, a.target, a.mapping, a.inSchema])
      expect((await dependents(id)).map((d) => d.id)).toContain(flow.id);
    // Transitively too: the target adapter's and the mapping's schema lead to the flow.
    expect((await dependents(a.outSchema)).map((d) => d.id)).toContain(flow.id);
  });

  it('drops the edge of a step that is removed, in the same save', async () => {
    const body = validFlow(a, 'Shrinking');
    const flow = await createFlow(t, pkg, body, developer);
    const updated = await put(flow, {
      nodes: body.nodes.filter((n) => n.id !== 'check'),
      edges: [
        { from: 'in', to: 'map' },
        ...body.edges.filter((e) => e.from !== 'in' && e.from !== 'check'),
      ],
    });
    expect(updated.statusCode).toBe(200);
    expect(json<FlowView>(updated)).toMatchObject({ currentVersion: 2, valid: true });
    const direct = json<{ items: { id: string; depth: number }[] }>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/assets/${flow.id}/dependencies?depth=1`,
        as: developer,
      }),
    ).items.map((d) => d.id);
    expect(direct).not.toContain(a.inSchema);
    expect(direct).toEqual(expect.arrayContaining([a.source, a.target, a.mapping]));
  });

  it('refuses to delete a mapping a flow uses, naming the flow', async () => {
    const mine = await createFlowAssets(t, pkg, 'Kept', jsonSchema, developer);
    await createFlow(t, pkg, validFlow(mine, 'Uses kept mapping'), developer);
    const refused = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/mappings/${mine.mapping}`,
      as: developer,
    });
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused).detail).toContain('flow "Uses kept mapping"');
  });

  it('allows assets of another package the caller can read, marked crossPackage', async () => {
    const flow = await createFlow(t, pkg, validFlow(sharedAssets, 'Across'), developer);
    expect(flow.valid).toBe(true);
    expect(flow.references.every((r) => r.crossPackage)).toBe(true);
    expect((await dependents(sharedAssets.source, shared)).map((d) => d.id)).toContain(flow.id);
  });

  it('writes no edge to an asset the caller cannot read', async () => {
    const hidden = await createPackage(t, 'Hidden');
    const theirs = await createFlowAssets(t, hidden, 'Theirs', jsonSchema);
    const flow = await createFlow(t, pkg, validFlow(theirs, 'Reaching'), developer);
    expect(new Set(flow.problems.map((p) => p.code))).toEqual(new Set(['asset_unavailable']));
    const admin = json<{ items: { id: string }[] }>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${hidden}/assets/${theirs.source}/dependents`,
      }),
    ).items;
    expect(admin.map((d) => d.id)).not.toContain(flow.id);
  });

  it('starts as DRAFT and refuses a status in the body', async () => {
    const sneaky = await postFlow(
      t,
      pkg,
      { ...validFlow(a, 'Sneaky'), status: 'READY' },
      developer,
    );
    expect(sneaky.statusCode).toBe(400);
    expect(json<Problem>(sneaky).errors.map((e) => e.path)).toContain('status');
    const flow = await createFlow(t, pkg, validFlow(a, 'Fresh'), developer);
    expect(flow).toMatchObject({ status: 'DRAFT', allowedTransitions: ['READY', 'ARCHIVED'] });
  });

  it('refuses READY for a flow with problems, listing them, and leaves it DRAFT', async () => {
    const body = validFlow(a, 'Not ready');
    body.edges.pop();
    const flow = await createFlow(t, pkg, body, developer);
    const refused = await transition(flow, 'READY');
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.code).toBe('flow_not_ready');
    expect(problem.problems?.map((p) => [p.code, p.nodeId])).toEqual(
      expect.arrayContaining([['route_default', 'split']]),
    );
    const read = json<FlowView>(await t.request({ method: 'GET', url: url(`/${flow.id}`) }));
    expect(read.status).toBe('DRAFT');
  });

  it('moves a valid flow to READY, and editing its graph returns it to DRAFT', async () => {
    const body = validFlow(a, 'Ready one');
    const flow = await createFlow(t, pkg, body, developer);
    const ready = await transition(flow, 'READY');
    expect(ready.statusCode).toBe(200);
    const readyFlow = json<FlowView>(ready);
    expect(readyFlow).toMatchObject({ status: 'READY', allowedTransitions: ['DRAFT', 'ARCHIVED'] });

    const renamed = await put(readyFlow, { description: 'only words' });
    expect(json<FlowView>(renamed)).toMatchObject({ status: 'READY', currentVersion: 1 });

    body.nodes[0] = { ...body.nodes[0], position: { x: 10, y: 10 } };
    const moved = await put(json<FlowView>(renamed), { nodes: body.nodes });
    expect(moved.statusCode).toBe(200);
    expect(json<FlowView>(moved)).toMatchObject({ status: 'DRAFT', currentVersion: 2 });
  });

  const illegal: [string, string, string[]][] = [
    ['DRAFT', 'DRAFT', ['READY', 'ARCHIVED']],
    ['READY', 'READY', ['DRAFT', 'ARCHIVED']],
    ['ARCHIVED', 'DRAFT', []],
    ['ARCHIVED', 'READY', []],
  ];

  it.each(illegal)(
    'refuses a %s flow moving to %s with 409 naming the allowed moves',
    async (from, to, allowed) => {
      const flow = await createFlow(t, pkg, validFlow(a, `Illegal ${from} to ${to}`), developer);
      if (from !== 'DRAFT') expect((await transition(flow, from)).statusCode).toBe(200);
      const refused = await transition(flow, to);
      expect(refused.statusCode).toBe(409);
      const problem = json<Problem>(refused);
      expect(problem).toMatchObject({ code: 'illegal_transition', allowed });
      for (const state of allowed) expect(problem.detail).toContain(state);
    },
  );

  it('keeps an archived flow as it was', async () => {
    const flow = await createFlow(t, pkg, validFlow(a, 'Retired'), developer);
    const archived = json<FlowView>(await transition(flow, 'ARCHIVED'));
    expect(archived).toMatchObject({ status: 'ARCHIVED', allowedTransitions: [] });
    const edit = await put(archived, { description: 'too late' });
    expect(edit.statusCode).toBe(409);
  });

  it('lets a VIEWER read a flow and its validation but not create, change or move it', async () => {
    const flow = await createFlow(t, pkg, validFlow(a, 'Watched'), developer);
    expect((await postFlow(t, pkg, validFlow(a, 'By a viewer'), viewer)).statusCode).toBe(403);
    expect((await transition(flow, 'READY', viewer)).statusCode).toBe(403);
    const edit = await t.request({
      method: 'PUT',
      url: url(`/${flow.id}`),
      payload: { description: 'x', version: flow.version },
      as: viewer,
    });
    expect(edit.statusCode).toBe(403);
    const validation = await t.request({
      method: 'GET',
      url: url(`/${flow.id}/validation`),
      as: viewer,
    });
    expect(validation.statusCode).toBe(200);
    expect(json<{ valid: boolean }>(validation).valid).toBe(true);
  });

  it('validates again on request: an archived dependency shows up without a save', async () => {
    const mine = await createFlowAssets(t, pkg, 'Fading', jsonSchema, developer);
    const flow = await createFlow(t, pkg, validFlow(mine, 'Fading flow'), developer);
    const mapping = json<{ version: number }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/mappings/${mine.mapping}` }),
    );
    const archived = await t.request({
      method: 'PUT',
      url: `/api/packages/${pkg}/mappings/${mine.mapping}`,
      payload: { status: 'ARCHIVED', version: mapping.version },
    });
    expect(archived.statusCode).toBe(200);
    expect(json<FlowView>(await t.request({ method: 'GET', url: url(`/${flow.id}`) })).valid).toBe(
      true,
    );
    const checked = json<{ valid: boolean; problems: { code: string; nodeId: string }[] }>(
      await t.request({ method: 'GET', url: url(`/${flow.id}/validation`), as: developer }),
    );
    expect(checked.problems.map((p) => [p.code, p.nodeId])).toEqual([['asset_not_live', 'map']]);
  });
});
