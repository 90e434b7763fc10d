import { AlertEvaluatorService } from '../src/runtime-monitoring/alert-evaluator.service';
import { createPackage } from './support/access-fixtures';
import { deployed, deploymentRoutes, readyFlow } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { scopeOf, seedMessage } from './support/runtime-seed';
import { json, startTestApp, type TestApp } from './support/test-app';

interface HealthView {
  status: string;
  rolledBackTo: string | null;
  detail: string | null;
}

describe('post-deployment health check with RUNTIME_HEALTH_AUTO_ROLLBACK=on', () => {
  let t: TestApp;
  let kit: ReadyKit;
  let pkg: string;
  let flowId: string;
  let evaluator: AlertEvaluatorService;
  const health = async (deploymentId: string) =>
    json<HealthView>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/flows/${flowId}/deployments/${deploymentId}/health`,
      }),
    );
  /** Three failed first attempts: over the 20 % of five the check tolerates. */
  const failThreeMessages = async (deploymentId: string) => {
    const scope = await scopeOf(t.db.pool, deploymentId);
    for (let i = 0; i < 3; i++) await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED' });
  };

  beforeAll(async () => {
    process.env['RUNTIME_HEALTH_AUTO_ROLLBACK'] = 'on';
    try {
      t = await startTestApp();
    } finally {
      delete process.env['RUNTIME_HEALTH_AUTO_ROLLBACK'];
    }
    evaluator = t.app.get(AlertEvaluatorService);
    await evaluator.onModuleDestroy();
    pkg = await createPackage(t, 'Auto rollback');
    const made = await readyFlow(t, pkg, 'Rollback');
    kit = made.assets;
    flowId = made.flowId;
  });
  afterAll(async () => {
    await t?.close();
    if (kit) await removeFolders([kit]);
  });

  it('re-activates the deployment a failing one replaced, audited as the health check', async () => {
    const routes = deploymentRoutes(t, pkg, flowId);
    const first = await deployed(routes.deploy('DEV'));
    await evaluator.runOnce();
    const second = await deployed(routes.deploy('DEV'));
    await failThreeMessages(second.id);
    await evaluator.runOnce();

    const checked = await health(second.id);
    expect(checked).toMatchObject({ status: 'FAILING', rolledBackTo: first.id });
    expect(checked.detail).toContain(`rolled back to deployment ${first.id}`);
    expect((await routes.get(first.id)).state).toBe('DEPLOYED');
    expect((await routes.get(second.id)).state).toBe('UNDEPLOYED');
    const audit = await t.db.pool.query<{ actor: string }>(
      `SELECT actor FROM audit_log WHERE entity_type = 'deployment' AND entity_id = $1
          AND changes->'event'->>'after' = 'ROLLED_BACK'`,
      [first.id],
    );
    expect(audit.rows.map((r) => r.actor)).toEqual(['system:health-check']);
    // The first deployment's own check is untouched by all this.
    expect((await health(first.id)).rolledBackTo).toBeNull();
  });

  it('never rolls back in a protected environment: an operator must, with MFA', async () => {
    const routes = deploymentRoutes(t, pkg, flowId);
    const first = await deployed(routes.deploy('PROD'));
    const second = await deployed(routes.deploy('PROD'));
    await evaluator.runOnce();
    await failThreeMessages(second.id);
    await evaluator.runOnce();

    const checked = await health(second.id);
    expect(checked).toMatchObject({ status: 'FAILING', rolledBackTo: null });
    expect(checked.detail).toContain('PROD is protected');
    expect((await routes.get(second.id)).state).toBe('DEPLOYED');
    expect((await routes.get(first.id)).state).toBe('UNDEPLOYED');
  });
});
