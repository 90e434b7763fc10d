/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { type TestApp } from '../../api/test/support/test-app';
import { accept, deployToHttp, kitIn, startReceiver, waitFor } from './support/runtime-kit';
import {
  startTransportApp,
  TRANSPORTS,
  type TransportApp,
  type TransportName,
} from './support/transports';
import { appWorkerProcess, exited, type WorkerProcess } from './support/worker-process';

const BATCH = 150;
/** Lanes per flow (RUNTIME_FLOW_CONCURRENCY): enough for all three workers' 4 slots at once. */
const LANES = '12';

/**
 * Scale-out (issue 13), over each job transport: three worker processes on one machine share one
 * flow's batch (lanes apply to graphile-worker only). Each
 * message is processed exactly once (one delivery per message id at the target, one attempt),
 * and each of the three workers processed some of them (runtime_messages.worker_id keeps the
 * worker that ran a message's successful attempt).
 */
describe.each(TRANSPORTS)(
  'runtime scale-out (%s transport): three worker processes share a batch',
  scaleOutSuite,
);

function scaleOutSuite(transport: TransportName) {
  let app: TransportApp;
  let t: TestApp;
  let kit: ReadyKit;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let deploymentId: string;
  const workers: WorkerProcess[] = [];
  const lanesBefore = process.env['RUNTIME_FLOW_CONCURRENCY'];

  beforeAll(async () => {
    // acceptMessage reads the lanes at each enqueue, as the API does.
    process.env['RUNTIME_FLOW_CONCURRENCY'] = LANES;
    app = await startTransportApp(transport);
    t = app.t;
    receiver = await startReceiver();
    kit = await kitIn(t, 'Runtime scale-out');
    ({ deploymentId } = await deployToHttp(t, kit, 'Batch to HTTP', `${receiver.url}/orders`));
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    if (lanesBefore === undefined) delete process.env['RUNTIME_FLOW_CONCURRENCY'];
    else process.env['RUNTIME_FLOW_CONCURRENCY'] = lanesBefore;
    await receiver?.close();
    if (kit) await removeFolders([kit]);
    await app?.close();
  });

  it('processes each of 150 messages exactly once, and each of the three workers runs some', async () => {
    for (const name of ['scale-a', 'scale-b', 'scale-c'])
      workers.push(
        appWorkerProcess(t, {
          RUNTIME_FLOW_CONCURRENCY: LANES,
          RUNTIME_WORKER_NAME: name,
        }),
      );
    const workerIds = await Promise.all(workers.map((w) => w.started));
    expect(new Set(workerIds).size).toBe(3);

    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) ids.push(await accept(t, deploymentId, `{"total": ${i}}`));
    const messages = await waitFor(t, ids, ['SUCCEEDED'], 150_000).catch((error: Error) => {
      throw new Error(
        `${error.message}\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`,
      );
    });

    // Exactly once: one attempt per message, one delivery per message id, nothing else.
    expect(messages.filter((m) => m.attempts !== 1)).toEqual([]);
    expect(receiver.received.map((r) => r.idempotencyKey).sort()).toEqual(
      ids.map((id) => `${id}:out`).sort(),
    );
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = ANY($1::uuid[])`,
        [ids],
      ),
    ).toBe(BATCH);

    // Each worker ran some: every message names one of the three, and each of them appears.
    const { rows } = await t.db.pool.query<{ worker_id: string | null; n: number }>(
      `SELECT worker_id, count(*)::int AS n FROM runtime_messages
        WHERE id = ANY($1::uuid[]) GROUP BY worker_id`,
      [ids],
    );
    const perWorker = Object.fromEntries(rows.map((r) => [r.worker_id ?? 'none', r.n]));
    expect(Object.keys(perWorker).sort()).toEqual([...workerIds].sort());
    for (const id of workerIds) expect(perWorker[id]).toBeGreaterThan(0);
    process.stdout.write(`scale-out: messages per worker ${JSON.stringify(perWorker)}\n`);

    // They leave cleanly.
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect(await exited(w.child)).toEqual({ code: 0, signal: null });
  }, 240_000);
}
