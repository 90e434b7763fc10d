import { createPackage } from './support/access-fixtures';
import {
  deployed,
  deploymentRoutes,
  listen,
  pinOf,
  readyFlow,
  type DeploymentView,
} from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string }[];
}

/**
 * Deployments (issue 12): an immutable, pinned deployment per environment, quick and partial
 * rollback, promotion with drift, the protected-environment rule, audit rows and NOTIFY.
 */
describe('deployments: deploy, rollback, partial rollback, promote', () => {
  let t: TestApp;
  let pkg: string;
  let integrator: TestUser;
  let integratorWithoutMfa: TestUser;
  let developer: TestUser;
  let viewer: TestUser;
  let flowId: string;
  let a: ReadyKit;
  let routes: ReturnType<typeof deploymentRoutes>;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Deployments');
    integrator = await t.createUser({
      role: 'INTEGRATOR',
      mfa: true,
      packages: { [pkg]: 'INTEGRATOR' },
    });
    integratorWithoutMfa = await t.createUser({
      role: 'INTEGRATOR',
      packages: { [pkg]: 'INTEGRATOR' },
    });
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    ({ flowId, assets: a } = await readyFlow(t, pkg, 'Invoices'));
    kits.push(a);
    routes = deploymentRoutes(t, pkg, flowId);
  }, 90_000);
  const kits: ReadyKit[] = [];
  afterAll(async () => {
    await removeFolders(kits);
    await t.close();
  });

  /** Makes a new version of the flow's mapping (a changed rule). */
  const editMapping = async (expression: string) => {
    const url = `/api/packages/${pkg}/mappings/${a.mapping}`;
    const current = json<{ version: number }>(await t.request({ method: 'GET', url }));
    const response = await t.request({
      method: 'PUT',
      url,
      payload: { version: current.version, rules: [{ target: '/amount', expression }] },
    });
    expect(response.statusCode).toBe(200);
    return json<{ currentVersion: number }>(response).currentVersion;
  };

  it('pins the exact version of every asset the flow uses, transitively, as its lock file', async () => {
    const d = await deployed(routes.deploy('DEV', integrator));
    expect(d).toMatchObject({
      environment: 'DEV',
      state: 'DEPLOYED',
      active: true,
      origin: 'DEPLOY',
    });
    expect(d.createdBy).toBe(integrator.id);
    const pinned = d.pins.map((p) => `${p.type}:${p.assetId}`).sort();
    expect(pinned).toEqual(
      [
        `FLOW:${flowId}`,
        `ADAPTER:${a.source}`,
        `ADAPTER:${a.target}`,
        `MAPPING:${a.mapping}`,
        `SCHEMA:${a.inSchema}`,
        `SCHEMA:${a.outSchema}`,
      ].sort(),
    );
    expect(pinOf(d, flowId)).toBe(d.flowVersion);
    expect(d.pins.every((p) => Number.isInteger(p.version) && p.version >= 1)).toBe(true);
  });

  it('keeps a deployment’s pins as they were after the assets change, and the database refuses to change them', async () => {
    const before = (await routes.history('DEV'))[0];
    const mappingBefore = pinOf(before, a.mapping);
    const newVersion = await editMapping('total * 1');
    expect(newVersion).toBeGreaterThan(mappingBefore ?? 0);
    expect(pinOf(await routes.get(before.id), a.mapping)).toBe(mappingBefore);
    await expect(
      t.db.pool.query(`UPDATE flow_deployments SET pins = '[]'::jsonb WHERE id = $1`, [before.id]),
    ).rejects.toThrow(/immutable/);
  });

  it('deploys the new mapping version, then a quick rollback re-activates the earlier deployment as it was', async () => {
    const first = (await routes.history('DEV'))[0];
    const second = await deployed(routes.deploy('DEV', integrator));
    expect(pinOf(second, a.mapping)).toBeGreaterThan(pinOf(first, a.mapping) ?? 0);
    expect((await routes.get(first.id)).state).toBe('UNDEPLOYED');

    const rolledBack = await routes.rollback(first.id, integrator);
    expect(rolledBack.statusCode).toBe(200);
    expect(json<DeploymentView>(rolledBack)).toMatchObject({ id: first.id, state: 'DEPLOYED' });
    expect(json<DeploymentView>(rolledBack).pins).toEqual(first.pins);
    expect((await routes.get(second.id)).state).toBe('UNDEPLOYED');
    const active = (await routes.history('DEV')).filter((d) => d.active);
    expect(active.map((d) => d.id)).toEqual([first.id]);

    const again = await routes.rollback(first.id, integrator);
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again).detail).toContain('already the active one in DEV');
  });

  it('partial rollback pins one asset back and keeps the rest of the active deployment’s pins', async () => {
    const latest = await deployed(routes.deploy('DEV', integrator));
    const newest = pinOf(latest, a.mapping) ?? 0;
    const partial = await deployed(routes.deploy('DEV', integrator, { [a.mapping]: newest - 1 }));
    expect(partial).toMatchObject({ origin: 'PARTIAL_ROLLBACK', basedOn: latest.id, active: true });
    expect(pinOf(partial, a.mapping)).toBe(newest - 1);
    const others = (d: DeploymentView) =>
      d.pins.filter((p) => p.assetId !== a.mapping).map((p) => `${p.assetId}@${p.version}`);
    expect(others(partial)).toEqual(others(latest));
  });

  it('runs the gate of a partial rollback on the pinned versions: a mapping version whose samples fail is refused', async () => {
    const broken = await editMapping('total * 2');
    const fixed = await editMapping('total');
    const good = await deployed(routes.deploy('DEV', integrator));
    expect(pinOf(good, a.mapping)).toBe(fixed);

    const refused = await routes.deploy('DEV', integrator, { [a.mapping]: broken });
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem & { items: { key: string; asset?: { id: string } }[] }>(refused);
    expect(problem.code).toBe('flow_not_ready');
    const mappingItem = problem.items.find((i) => i.key === 'mapping');
    expect(mappingItem?.asset?.id).toBe(a.mapping);
    expect(problem.detail).toContain('sample test(s) of mapping "Invoices mapping" fail');
    const active = (await routes.history('DEV')).filter((d) => d.active);
    expect(active.map((d) => d.id)).toEqual([good.id]);

    const back = await deployed(routes.deploy('DEV', integrator, { [a.mapping]: fixed - 2 }));
    expect(pinOf(back, a.mapping)).toBe(fixed - 2);
  });

  it('pages the deployment history newest first with a cursor', async () => {
    const all = await routes.history('DEV');
    expect(all.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: DeploymentView[]; total: number; nextCursor: string | null } = json(
        await t.request({
          method: 'GET',
          url: `${routes.base}?environment=DEV&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        }),
      );
      expect(page.total).toBe(all.length);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((d) => d.id));
    const bad = await t.request({ method: 'GET', url: `${routes.base}?cursor=nonsense` });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a partial rollback naming an asset the flow does not use or a version that does not exist', async () => {
    const unused = await routes.deploy('DEV', integrator, {
      '00000000-0000-4000-8000-000000000001': 1,
    });
    expect(unused.statusCode).toBe(400);
    expect(json<Problem>(unused).errors?.[0]?.path).toBe(
      'pins.00000000-0000-4000-8000-000000000001',
    );
    const missing = await routes.deploy('DEV', integrator, { [a.mapping]: 99 });
    expect(missing.statusCode).toBe(400);
    expect(json<Problem>(missing).detail).toContain('has no version 99');
  });

  it('promotes DEV’s deployment to TEST with the same pin set, and drift lists what differs', async () => {
    const dev = (await routes.history('DEV')).find((d) => d.active) as DeploymentView;
    const test = await deployed(routes.promote(dev.id, 'TEST', integrator));
    expect(test).toMatchObject({ environment: 'TEST', origin: 'PROMOTE', basedOn: dev.id });
    expect(test.pins).toEqual(dev.pins);
    const drift = (from: string, to: string) =>
      t.request({ method: 'GET', url: `${routes.base}/drift?from=${from}&to=${to}` });
    expect(json(await drift('DEV', 'TEST'))).toMatchObject({ inSync: true, differences: [] });

    const newer = await deployed(routes.deploy('DEV', integrator));
    const differences = json<{ differences: { assetId: string; from: number[]; to: number[] }[] }>(
      await drift('DEV', 'TEST'),
    ).differences;
    expect(differences).toEqual([
      {
        assetId: a.mapping,
        type: 'MAPPING',
        name: 'Invoices mapping',
        from: [pinOf(newer, a.mapping)],
        to: [pinOf(test, a.mapping)],
      },
    ]);
    const toProd = json<{ inSync: boolean; toDeploymentId: string | null }>(
      await drift('DEV', 'PROD'),
    );
    expect(toProd).toMatchObject({ inSync: false, toDeploymentId: null });
  });

  it('refuses a VIEWER and a DEVELOPER deploying to PROD, and an INTEGRATOR without a recent MFA step-up', async () => {
    const dev = (await routes.history('DEV')).find((d) => d.active) as DeploymentView;
    expect((await routes.deploy('PROD', viewer)).statusCode).toBe(403);
    expect((await routes.deploy('PROD', developer)).statusCode).toBe(403);
    expect((await routes.promote(dev.id, 'PROD', developer)).statusCode).toBe(403);
    const noMfa = await routes.promote(dev.id, 'PROD', integratorWithoutMfa);
    expect(noMfa.statusCode).toBe(401);
    expect(json<Problem>(noMfa).code).toBe('mfa_required');
    expect(await routes.history('PROD')).toEqual([]);

    const prod = await deployed(routes.promote(dev.id, 'PROD', integrator));
    expect(prod).toMatchObject({ environment: 'PROD', state: 'DEPLOYED' });
  });

  it('lists what is deployed where in the package container', async () => {
    const active = json<{ items: { flowId: string; environment: string; state: string }[] }>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/container/flows/active`,
        as: viewer,
      }),
    ).items;
    expect(active.map((i) => i.environment)).toEqual(['DEV', 'TEST', 'PROD']);
    expect(active.every((i) => i.flowId === flowId && i.state === 'DEPLOYED')).toBe(true);
  });

  it('lists the active deployments per environment in the impact of an asset they pin', async () => {
    const impact = json<{
      deployments: { flowId: string; environment: string; state: string; pinnedVersion: number }[];
      notAnalysed: string[];
    }>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/assets/${a.inSchema}/impact`,
        as: viewer,
      }),
    );
    expect(impact.notAnalysed).toEqual([]);
    expect(impact.deployments.map((d) => [d.environment, d.state])).toEqual([
      ['DEV', 'DEPLOYED'],
      ['TEST', 'DEPLOYED'],
      ['PROD', 'DEPLOYED'],
    ]);
    expect(impact.deployments.every((d) => d.flowId === flowId && d.pinnedVersion >= 1)).toBe(true);
  });

  it('publishes every deployment event on integrixs_deployments with ids only, and audits it', async () => {
    const channel = await listen(t.db.url, 'integrixs_deployments');
    try {
      const d = await deployed(routes.deploy('DEV', integrator));
      const [replaced, created] = (await channel.next(2)).map(
        (p) => JSON.parse(p) as Record<string, string>,
      );
      expect(replaced).toMatchObject({ event: 'SUPERSEDED', flowId, packageId: pkg });
      const { rows } = await t.db.pool.query<{ id: string }>(
        `SELECT id FROM environments WHERE code = 'DEV'`,
      );
      expect(created).toEqual({
        event: 'DEPLOYED',
        deploymentId: d.id,
        flowId,
        packageId: pkg,
        environmentId: rows[0]?.id,
      });
    } finally {
      await channel.close();
    }
    const audit = await t.db.pool.query<{ action: string; actor: string; event: string }>(
      `SELECT action, actor, changes->'event'->>'after' AS event FROM audit_log
        WHERE entity_type = 'deployment' AND package_id = $1 ORDER BY occurred_at, id`,
      [pkg],
    );
    const events = audit.rows.map((r) => r.event);
    for (const event of ['DEPLOYED', 'SUPERSEDED', 'ROLLED_BACK', 'PARTIAL_ROLLBACK', 'PROMOTED'])
      expect(events).toContain(event);
    expect(audit.rows.every((r) => r.actor === integrator.id)).toBe(true);
  });

  it('refuses to deploy a DRAFT flow that was never deployed, naming the state it needs', async () => {
    const { flowId: other, assets } = await readyFlow(t, pkg, 'Drafts');
    kits.push(assets);
    const reopen = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/flows/${other}/transitions`,
      payload: { to: 'DRAFT' },
    });
    expect(reopen.statusCode).toBe(200);
    const refused = await deploymentRoutes(t, pkg, other).deploy('DEV', integrator);
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused)).toMatchObject({ code: 'illegal_transition' });
    expect(json<Problem>(refused).detail).toContain('only a READY flow');
  });
});
