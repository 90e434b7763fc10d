/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { type ChildProcess } from 'node:child_process';

import { Client } from 'pg';

import { acceptMessage, graphileJobQueue } from '@integrixs/runtime';

import { eventually } from '../../api/test/support/access-fixtures';
import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { type RestartablePostgres } from '../../api/test/support/restartable-postgres';
import { type TestApp } from '../../api/test/support/test-app';
import { startRestartableApp } from './support/restartable-app';
import {
  accept,
  deployToHttp,
  kitIn,
  startReceiver,
  startWorker,
  waitFor,
} from './support/runtime-kit';
import {
  startTransport,
  TRANSPORTS,
  type TestTransport,
  type TransportName,
} from './support/transports';
import { appWorkerProcess, exited } from './support/worker-process';

const BATCH = 80;

/**
 * Fault test (issue 13), over each job transport: PostgreSQL stops and starts again while a
 * worker process is in the middle of a batch. The worker is not restarted: it reconnects by
 * itself, what it was running when the database went away runs again, and every accepted
 * message has its effect exactly once at an HTTP receiver that honours Idempotency-Key (as the
 * runtime's targets expect).
 * A server of the test's own is restarted, never the machine's shared one.
 */
describe.each(TRANSPORTS)(
  'runtime faults (%s transport): PostgreSQL restarted under load',
  pgRestartSuite,
);

function pgRestartSuite(transport: TransportName) {
  let broker: TestTransport | undefined;
  let t: TestApp;
  let postgres: RestartablePostgres;
  let close: () => Promise<void>;
  let kit: ReadyKit;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let deploymentId: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    broker = await startTransport(transport);
    ({ t, postgres, close } = await startRestartableApp({
      runtimeTransport: broker.runtimeTransport,
    }));
    receiver = await startReceiver();
    kit = await kitIn(t, 'Runtime restart');
    ({ deploymentId } = await deployToHttp(t, kit, 'Batch to HTTP', `${receiver.url}/orders`));
  }, 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await receiver?.close();
    if (kit) await removeFolders([kit]);
    await close?.();
    await broker?.nats?.close();
  });

  it('a worker survives a PostgreSQL restart mid-batch and every message has its effect exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) ids.push(await accept(t, deploymentId, `{"total": ${i}}`));
    const worker = appWorkerProcess(t, { LOG_LEVEL: 'info' });
    child = worker.child;
    const workerId = await worker.started;
    const pid = worker.child.pid;

    // Stop PostgreSQL while the batch is under way: some delivered, some not yet.
    await eventually(() => Promise.resolve(receiver.accepted.length >= 10), 90_000);
    await postgres.stop();
    const deliveredBefore = new Set(receiver.accepted.map((r) => r.idempotencyKey)).size;
    expect(deliveredBefore).toBeLessThan(BATCH);
    await postgres.start();

    // The same process finishes the batch on its own.
    await waitFor(t, ids, ['SUCCEEDED'], 150_000).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${worker.output().slice(-6000)}`);
    });
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();
    expect(worker.child.pid).toBe(pid);

    // Exactly once at the target: one effect per message id, none lost, none unknown.
    const keys = receiver.accepted.map((r) => r.idempotencyKey ?? '');
    const expected = ids.map((id) => `${id}:out`).sort();
    expect([...new Set(keys)].sort()).toEqual(expected);
    expect(
      await t.db.count(
        `SELECT count(DISTINCT origin_id)::int AS n FROM runtime_effects
          WHERE origin_id = ANY($1::uuid[]) AND node_id = 'out'`,
        [ids],
      ),
    ).toBe(BATCH);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = ANY($1::uuid[])`,
        [ids],
      ),
    ).toBe(BATCH);
    // The worker is still alive and known (its heartbeat resumed), and soon holds no jobs: a
    // job's completion follows its message's last write, and a second job the sweeper queued
    // for a message the outage interrupted still runs (and skips the finished message).
    const running = await t.db.pool.query<{ id: string }>(`SELECT id FROM runtime_workers`);
    expect(running.rows.length).toBeGreaterThan(0);
    const locked = () =>
      t.db.count(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_by IS NOT NULL`);
    await eventually(async () => (await locked()) === 0, 30_000).catch(() => undefined);
    expect(await locked()).toBe(0);
    // Reported for the record: redeliveries with the same key (an effect whose ledger row the
    // outage interrupted), and whether the job runner was recycled.
    process.stdout.write(
      `restart: worker ${workerId}; ${deliveredBefore} delivered before the stop; ` +
        `${receiver.received.length - BATCH} redelivered with the same key; ` +
        `workers now ${running.rows.map((r) => r.id).join(', ')}\n`,
    );
    // And it still drains on SIGTERM like any healthy worker.
    worker.child.kill('SIGTERM');
    expect(await exited(worker.child)).toEqual({ code: 0, signal: null });
  }, 200_000);

  // graphile-worker's runner only: a NATS runner holds no job it does not run (an unacknowledged
  // job is redelivered after its ack wait), so it has nothing to recycle.
  if (transport !== 'postgres') return;
  it('frees a job its live worker holds but no longer runs (a completion lost with the database) by recycling the runner', async () => {
    const worker = await startWorker(t);
    const firstId = worker.id;
    // What a lost completion leaves: the job (and its lane) locked by a worker whose heartbeat
    // is fresh, with no handler running it — committed with the message, so no worker runs it.
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    let messageId: string | null = null;
    try {
      await client.query('BEGIN');
      ({ messageId } = await acceptMessage(client, graphileJobQueue, {
        deploymentId,
        trigger: 'MANUAL',
        payload: Buffer.from('{"total": 1}', 'utf8'),
        contentType: 'application/json',
        acceptedBy: 'test',
      }));
      await client.query(
        `UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() WHERE key = $1`,
        [messageId, firstId],
      );
      await client.query(
        `UPDATE graphile_worker._private_job_queues q SET locked_by = $2, locked_at = now()
           FROM graphile_worker._private_jobs j WHERE j.key = $1 AND q.id = j.job_queue_id`,
        [messageId, firstId],
      );
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    if (!messageId) throw new Error('not accepted');
    try {
      await waitFor(t, [messageId], ['SUCCEEDED'], 60_000);
      // A new runner took over; the old id was retired as a dead worker's would be.
      expect(worker.id).not.toBe(firstId);
      expect(
        await t.db.count(`SELECT count(*)::int AS n FROM runtime_workers WHERE id = $1`, [firstId]),
      ).toBe(0);
      expect(receiver.accepted.filter((r) => r.idempotencyKey === `${messageId}:out`)).toHaveLength(
        1,
      );
    } finally {
      await worker.stop();
    }
  }, 120_000);
}
