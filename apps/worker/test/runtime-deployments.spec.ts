/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { deployed, deploymentRoutes } from '../../api/test/support/deployments';
import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { json, startTestApp, type TestApp } from '../../api/test/support/test-app';
import {
  accept,
  deployLine,
  kitIn,
  startWorker,
  waitFor,
  type RuntimeWorker,
} from './support/runtime-kit';

/**
 * Deployment states as the runtime honours them (issue 13): a message runs on its own
 * deployment's pins even after a new deployment replaced it; a suspended flow's messages are
 * parked (not run) and continue on resume; an undeployed flow's waiting messages are cancelled.
 */
describe('runtime and deployment states', () => {
  let t: TestApp;
  let kit: ReadyKit;
  let worker: RuntimeWorker | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    kit = await kitIn(t, 'Runtime states');
  }, 90_000);
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    await removeFolders([kit]);
    await t.close();
  });

  const linear = (name: string) => deployLine(t, kit, name);
  const written = async (id: string) =>
    JSON.parse(await readFile(join(kit.folders[1], `${id}.out.json`), 'utf8')) as unknown;

  it('runs a queued message on its own pins after a new deployment; new messages take the new ones', async () => {
    const { flowId, deploymentId: first } = await linear('Pinned');
    const old = await accept(t, first, '{"total": 21}');
    // A new mapping version (the sample still passes: 5 → 5), deployed over the first one.
    const url = `/api/packages/${kit.packageId}/mappings/${kit.mapping}`;
    const current = json<{ version: number }>(await t.request({ method: 'GET', url }));
    const edited = await t.request({
      method: 'PUT',
      url,
      payload: {
        version: current.version,
        rules: [{ target: '/amount', expression: 'total = 5 ? 5 : total * 2' }],
      },
    });
    expect(edited.statusCode).toBe(200);
    const second = await deployed(deploymentRoutes(t, kit.packageId, flowId).deploy('DEV'));
    expect(second.id).not.toBe(first);
    const fresh = await accept(t, second.id, '{"total": 21}');

    worker = await startWorker(t);
    await waitFor(t, [old, fresh]);
    expect(await written(old)).toEqual({ amount: 21 });
    expect(await written(fresh)).toEqual({ amount: 42 });
    // Put the mapping back for the other tests.
    const again = json<{ version: number }>(await t.request({ method: 'GET', url }));
    await t.request({
      method: 'PUT',
      url,
      payload: { version: again.version, rules: [{ target: '/amount', expression: 'total' }] },
    });
  });

  it('parks the messages of a suspended flow and runs them once it is resumed', async () => {
    const { flowId, deploymentId } = await linear('Suspendable');
    const routes = deploymentRoutes(t, kit.packageId, flowId);
    const id = await accept(t, deploymentId, '{"total": 8}');
    expect((await routes.move(deploymentId, 'suspend')).statusCode).toBe(200);
    worker = await startWorker(t);
    for (;;) {
      const parked = await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_messages WHERE id = $1 AND parked_at IS NOT NULL`,
        [id],
      );
      if (parked === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [message] = await waitFor(t, [id], ['QUEUED']);
    expect(message.attempts).toBe(0);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM runtime_steps WHERE message_id = $1`, [id]),
    ).toBe(0);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [id]),
    ).toBe(0);

    expect((await routes.move(deploymentId, 'resume')).statusCode).toBe(200);
    await waitFor(t, [id]);
    expect(await written(id)).toEqual({ amount: 8 });
  });

  it('cancels the waiting messages of a flow undeployed before they ran', async () => {
    const { flowId, deploymentId } = await linear('Undeployed');
    const id = await accept(t, deploymentId, '{"total": 4}');
    expect(
      (await deploymentRoutes(t, kit.packageId, flowId).move(deploymentId, 'undeploy')).statusCode,
    ).toBe(200);
    worker = await startWorker(t);
    const [message] = await waitFor(t, [id], ['CANCELLED']);
    expect(message.error).toMatchObject({ code: 'undeployed' });
  });
});
