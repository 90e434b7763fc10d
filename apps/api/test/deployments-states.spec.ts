import { createPackage } from './support/access-fixtures';
import { deployed, deploymentRoutes, readyFlow, type DeploymentView } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Problem {
  status: number;
  code: string;
  detail: string;
  allowed?: string[];
  items?: { key: string; status: string }[];
}

/**
 * Deployment states per environment (issue 12): DEPLOYED ⇄ SUSPENDED → UNDEPLOYED from the table
 * of @integrixs/domain, one active deployment per flow and environment also under concurrency,
 * the gate per environment, and a deployed flow neither archived nor deleted.
 */
describe('deployments: states per environment', () => {
  let t: TestApp;
  let pkg: string;
  const kits: ReadyKit[] = [];
  const flow = async (prefix: string) => {
    const made = await readyFlow(t, pkg, prefix);
    kits.push(made.assets);
    return { flowId: made.flowId, routes: deploymentRoutes(t, pkg, made.flowId) };
  };

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Deployment states');
  }, 90_000);
  afterAll(async () => {
    await removeFolders(kits);
    await t.close();
  });

  // [action, state before, answer, state after (or the allowed states of the refusal)]
  const cases: [string, string, number, string | string[]][] = [
    ['suspend', 'DEPLOYED', 200, 'SUSPENDED'],
    ['resume', 'SUSPENDED', 200, 'DEPLOYED'],
    ['undeploy', 'DEPLOYED', 200, 'UNDEPLOYED'],
    ['undeploy', 'SUSPENDED', 200, 'UNDEPLOYED'],
    ['resume', 'DEPLOYED', 409, ['SUSPENDED', 'UNDEPLOYED']],
    ['suspend', 'SUSPENDED', 409, ['DEPLOYED', 'UNDEPLOYED']],
    ['suspend', 'UNDEPLOYED', 409, ['DEPLOYED']],
    ['resume', 'UNDEPLOYED', 409, ['DEPLOYED']],
  ];

  it.each(cases)('%s from %s answers %i (%j)', async (action, before, status, after) => {
    const { routes } = await flow(`${action} ${before}`);
    const d = await deployed(routes.deploy('DEV'));
    if (before === 'SUSPENDED') expect((await routes.move(d.id, 'suspend')).statusCode).toBe(200);
    if (before === 'UNDEPLOYED') expect((await routes.move(d.id, 'undeploy')).statusCode).toBe(200);
    const response = await routes.move(d.id, action);
    expect(response.statusCode).toBe(status);
    if (status === 200) {
      expect(json<DeploymentView>(response)).toMatchObject({
        state: after,
        active: after !== 'UNDEPLOYED',
      });
    } else {
      expect(json<Problem>(response)).toMatchObject({
        code: 'illegal_transition',
        allowed: after,
      });
      expect((await routes.get(d.id)).state).toBe(before);
    }
  });

  it('keeps one active deployment per flow and environment when deploys race', async () => {
    const { flowId, routes } = await flow('Race');
    const answers = await Promise.all(Array.from({ length: 6 }, () => routes.deploy('DEV')));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const active = (await routes.history('DEV')).filter((d) => d.active);
    expect(active).toHaveLength(1);
    const rows = await t.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM flow_deployments WHERE flow_id = $1 AND state <> 'UNDEPLOYED'`,
      [flowId],
    );
    expect(rows.rows[0]?.n).toBe('1');
    // The index refuses a second active row, whatever writes it.
    await expect(
      t.db.pool.query(`UPDATE flow_deployments SET state = 'DEPLOYED' WHERE flow_id = $1`, [
        flowId,
      ]),
    ).rejects.toThrow(/flow_deployments_one_active/);
  });

  it('runs the gate for the target environment and names the failing checks', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/environments',
      payload: { code: 'UAT', name: 'User acceptance' },
    });
    expect(created.statusCode).toBe(201);
    const { routes } = await flow('Gate');
    const refused = await routes.deploy('UAT');
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.code).toBe('flow_not_ready');
    expect(problem.items?.map((i) => `${i.key}:${i.status}`)).toEqual([
      'connection-test:fail',
      'connection-test:fail',
    ]);
    expect(await routes.history('UAT')).toEqual([]);
  });

  it('refuses to archive or delete a deployed flow, naming the environments, and allows it once undeployed', async () => {
    const { flowId, routes } = await flow('Retire');
    const dev = await deployed(routes.deploy('DEV'));
    await deployed(routes.promote(dev.id, 'TEST'));
    const archive = () =>
      t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/flows/${flowId}/transitions`,
        payload: { to: 'ARCHIVED' },
      });
    const refused = await archive();
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused).detail).toContain('deployed in DEV, TEST');
    const deleted = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/flows/${flowId}`,
    });
    expect(deleted.statusCode).toBe(409);
    expect(json<Problem>(deleted).detail).toContain('deployed in DEV, TEST');

    for (const d of (await routes.history()).filter((x) => x.active))
      expect((await routes.move(d.id, 'undeploy')).statusCode).toBe(200);
    expect((await archive()).statusCode).toBe(200);
    const again = await routes.deploy('DEV');
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again).detail).toContain('ARCHIVED');
    const rollback = await routes.rollback(dev.id);
    expect(rollback.statusCode).toBe(409);
  });
});
