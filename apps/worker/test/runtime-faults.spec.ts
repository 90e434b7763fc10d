/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';

import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { type TestApp } from '../../api/test/support/test-app';
import {
  accept,
  deployLine,
  kitIn,
  startWorker,
  waitFor,
  waitForSucceeded,
  type RuntimeWorker,
} from './support/runtime-kit';
import {
  startTransportApp,
  TRANSPORTS,
  type TransportApp,
  type TransportName,
} from './support/transports';
import { appWorkerProcess, exited } from './support/worker-process';

/**
 * Fault tests (issue 13), over each job transport: a worker process killed with SIGKILL
 * mid-batch — its jobs are unlocked once its heartbeat is stale (graphile-worker) or redelivered
 * after their ack wait (NATS), its RUNNING messages run again elsewhere, and every message has
 * its effect exactly once at the target (a file named after the message); SIGTERM drains.
 */
describe.each(TRANSPORTS)(
  'runtime faults (%s transport): kill -9 mid-batch, SIGTERM drains',
  faultSuite,
);

function faultSuite(transport: TransportName) {
  let app: TransportApp;
  let t: TestApp;
  let kit: ReadyKit;
  let deploymentId: string;
  let worker: RuntimeWorker | undefined;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    app = await startTransportApp(transport);
    t = app.t;
    kit = await kitIn(t, 'Runtime faults');
    ({ deploymentId } = await deployLine(t, kit, 'Batch to files'));
  }, 90_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await worker?.stop();
    await removeFolders([kit]);
    await app.close();
  });

  it('after a kill -9 mid-batch every message is delivered exactly once (one file per message id)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 80; i++) ids.push(await accept(t, deploymentId, `{"total": ${i}}`));
    const a = appWorkerProcess(t);
    children.push(a.child);
    const deadId = await a.started;
    // Its id is graphile's pool id, or its own with NATS (no graphile runner there).
    expect(deadId.startsWith('nats-')).toBe(transport === 'nats');
    // Kill it while the batch is under way.
    await waitForSucceeded(t, ids, 5);
    a.child.kill('SIGKILL');
    expect(await exited(a.child)).toEqual({ code: null, signal: 'SIGKILL' });
    const unfinished = await t.db.count(
      `SELECT count(*)::int AS n FROM runtime_messages WHERE id = ANY($1::uuid[]) AND status <> 'SUCCEEDED'`,
      [ids],
    );
    expect(unfinished).toBeGreaterThan(0);
    // What it was running when killed (its local queue may hold more jobs, or none at all when
    // the kill fell between two fetches: then every message can finish before it is found dead).
    const running = await t.db.count(
      `SELECT count(*)::int AS n FROM runtime_messages
        WHERE id = ANY($1::uuid[]) AND status = 'RUNNING' AND worker_id = $2`,
      [ids, deadId],
    );

    // Another worker takes over: the dead one's heartbeat goes stale, its jobs are unlocked.
    worker = await startWorker(t, { workerConcurrency: 4 });
    await waitFor(t, ids, ['SUCCEEDED'], 60_000);
    // Found dead (within a few sweeps of its heartbeat going stale): row gone, jobs unlocked.
    const held = () =>
      t.db.count(
        `SELECT (SELECT count(*) FROM runtime_workers WHERE id = $1)
              + (SELECT count(*) FROM graphile_worker.jobs WHERE locked_by = $1) AS n`,
        [deadId],
      );
    for (let waited = 0; (await held()) > 0 && waited < 10_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM runtime_workers WHERE id = $1`, [deadId]),
    ).toBe(0);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_by = $1`, [
        deadId,
      ]),
    ).toBe(0);

    const files = (await readdir(kit.folders[1])).filter((f) => ids.some((id) => f.startsWith(id)));
    expect(files.sort()).toEqual(ids.map((id) => `${id}.out.json`).sort());
    expect((await readdir(kit.folders[1])).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = ANY($1::uuid[])`,
        [ids],
      ),
    ).toBe(80);
    // What the killed worker was running was run again (attempt 2) by the new worker.
    if (running > 0)
      expect(
        await t.db.count(
          `SELECT count(*)::int AS n FROM runtime_messages WHERE id = ANY($1::uuid[]) AND attempts > 1`,
          [ids],
        ),
      ).toBeGreaterThan(0);
    await worker.stop();
    worker = undefined;
  }, 120_000);

  it('SIGTERM drains a worker process: messages in flight finish, it leaves, exit 0', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await accept(t, deploymentId, `{"total": ${i}}`));
    const b = appWorkerProcess(t);
    children.push(b.child);
    const id = await b.started;
    await waitForSucceeded(t, ids, 1);
    b.child.kill('SIGTERM');
    expect(await exited(b.child)).toEqual({ code: 0, signal: null });
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_messages WHERE id = ANY($1::uuid[]) AND status = 'RUNNING'`,
        [ids],
      ),
    ).toBe(0);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM runtime_workers WHERE id = $1`, [id]),
    ).toBe(0);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_by = $1`, [
        id,
      ]),
    ).toBe(0);
    // What it did not take is still queued and runs on the next worker.
    worker = await startWorker(t);
    await waitFor(t, ids);
  }, 120_000);
}
