/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { readdir } from 'node:fs/promises';

import { connect } from 'nats';
import { Client } from 'pg';

import {
  acceptMessage,
  outboxJobQueue,
  startNatsJobs,
  sweepOnce,
  type JobQueue,
  type NatsJobs,
  type NatsTransportOptions,
} from '@integrixs/runtime';

import { eventually } from '../../api/test/support/access-fixtures';
import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { json, type TestApp } from '../../api/test/support/test-app';
import {
  accept,
  deployLine,
  FAST,
  kitIn,
  startWorker,
  waitFor,
  waitForSucceeded,
  type RuntimeWorker,
} from './support/runtime-kit';
import { startTransportApp, type TransportApp } from './support/transports';

/**
 * What only the NATS JetStream transport has (issue 13; the shared suites run over it too:
 * runtime-engine, runtime-faults, runtime-faults-pg, runtime-scale-out): the API's enqueue goes
 * through the outbox, NATS itself restarting under load loses and duplicates nothing, the
 * sweeper tells a lost job from one waiting in the stream, and a job delivered too often leaves
 * the stream for the sweeper to re-enqueue. A nats-server of the suite's own.
 */
describe('runtime over NATS JetStream: outbox, NATS restarts, orphans', () => {
  let app: TransportApp;
  let t: TestApp;
  let kit: ReadyKit;
  let flowId: string;
  let deploymentId: string;
  let worker: RuntimeWorker | undefined;

  beforeAll(async () => {
    app = await startTransportApp('nats');
    t = app.t;
    kit = await kitIn(t, 'Runtime NATS');
    ({ flowId, deploymentId } = await deployLine(t, kit, 'NATS to files'));
  }, 90_000);
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    await removeFolders([kit]);
    await app.close();
  });

  const filesOf = async (ids: string[]) =>
    (await readdir(kit.folders[1])).filter((f) => ids.some((id) => f.startsWith(id))).sort();
  const outboxRows = () => t.db.count(`SELECT count(*)::int AS n FROM runtime_job_outbox`);
  const natsUrl = () =>
    t.config.runtimeTransport.kind === 'nats' ? t.config.runtimeTransport.url : '';

  /** A message accepted without a job, received before the sweeper's grace period. */
  const acceptUnqueued = async () => {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      const noQueue: JobQueue = { enqueue: () => Promise.resolve() };
      const { messageId } = await acceptMessage(client, noQueue, {
        deploymentId,
        trigger: 'MANUAL',
        payload: Buffer.from('{"total": 7}'),
        contentType: 'application/json',
        acceptedBy: 'test',
      });
      await client.query(
        `UPDATE runtime_messages SET received_at = now() - interval '1 minute' WHERE id = $1`,
        [messageId],
      );
      return messageId as string;
    } finally {
      await client.end();
    }
  };
  /** Publishes a message's job to the stream as the outbox relay does. */
  const publishJob = async (messageId: string) => {
    const nc = await connect({ servers: natsUrl() });
    await nc.jetstream().publish(`integrixs.jobs.run.${messageId}`, JSON.stringify({ messageId }));
    await nc.close();
  };
  /** The NATS transport of a worker in this process (its runner is started only when asked). */
  const natsJobs = (options: Partial<NatsTransportOptions> = {}) =>
    startNatsJobs({
      url: natsUrl(),
      pool: t.db.pool,
      concurrency: 1,
      ackWaitMs: FAST.staleAfterMs ?? 1_500,
      workingMs: 500,
      pollMs: 100,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      runMessage: () => Promise.resolve(),
      ...options,
    });
  const sweep = (jobs: NatsJobs) =>
    sweepOnce(t.db.pool, outboxJobQueue, { staleAfterMs: 1_500 }, jobs.tracking);

  it('runs manual messages sent through the API (queued in the outbox) to the FILE target once each', async () => {
    // Sent at once: the API may accept them together (one outbox statement for the batch).
    const responses = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        t.request({
          method: 'POST',
          url: `/api/packages/${kit.packageId}/flows/${flowId}/runs`,
          payload: {
            environment: 'DEV',
            payload: `{"total": ${i}}`,
            contentType: 'application/json',
          },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202]);
    const ids = responses.map((r) => json<{ messageId: string }>(r).messageId);
    // No worker yet: the jobs wait in the outbox (committed with their messages).
    expect(await outboxRows()).toBe(5);
    worker = await startWorker(t);
    expect(worker.id).toMatch(/^nats-/);
    const done = await waitFor(t, ids);
    expect(done.map((m) => m.attempts)).toEqual([1, 1, 1, 1, 1]);
    expect(await filesOf(ids)).toEqual(ids.map((id) => `${id}.out.json`).sort());
    expect(await outboxRows()).toBe(0);
  });

  it('loses and duplicates nothing when nats-server is killed and restarted under load', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await accept(t, deploymentId, `{"total": ${i}}`));
    worker = await startWorker(t, { workerConcurrency: 4 });
    await waitForSucceeded(t, ids, 5);
    await app.nats?.stop('SIGKILL');
    // Accepted while NATS is down: the jobs wait in the outbox.
    for (let i = 0; i < 20; i++) ids.push(await accept(t, deploymentId, `{"total": ${100 + i}}`));
    expect(await outboxRows()).toBeGreaterThanOrEqual(20);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await app.nats?.start();

    const done = await waitFor(t, ids, ['SUCCEEDED'], 60_000);
    // Each message ran once (a job redelivered after the restart found its message done) …
    expect(done.filter((m) => m.attempts !== 1)).toEqual([]);
    // … and had its effect once: one file per message id, one ledger row each.
    expect(await filesOf(ids)).toEqual(ids.map((id) => `${id}.out.json`).sort());
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = ANY($1::uuid[])`,
        [ids],
      ),
    ).toBe(ids.length);
    expect(await outboxRows()).toBe(0);
  }, 120_000);

  it('the sweeper re-enqueues a message whose job was lost, never one whose job waits in the stream', async () => {
    // The sweeper of a worker that consumes nothing (its runner is never started).
    const jobs = await natsJobs();
    // `lost` never had a job; `waiting`'s job is in the stream, published as a relay does.
    const lost = await acceptUnqueued();
    const waiting = await acceptUnqueued();
    try {
      await publishJob(waiting);
      const swept = await sweep(jobs);
      expect(swept.orphans).toBe(1);
      const { rows } = await t.db.pool.query<{ message_id: string }>(
        `SELECT message_id FROM runtime_job_outbox`,
      );
      expect(rows.map((r) => r.message_id)).toEqual([lost]);
    } finally {
      await jobs.runner.stop();
    }

    // A worker runs both: one from the outbox, one from the stream.
    worker = await startWorker(t);
    const done = await waitFor(t, [lost, waiting]);
    expect(done.map((m) => m.attempts)).toEqual([1, 1]);
  });

  it('terminates a job delivered more than maxDeliver times, and the sweeper re-enqueues its message', async () => {
    // A worker whose runs all throw (as when its database is away): nak, redelivered, nak, …
    let runs = 0;
    const jobs = await natsJobs({
      maxDeliver: 2,
      runMessage: () => {
        runs++;
        return Promise.reject(new Error('database away'));
      },
    });
    const id = await acceptUnqueued();
    try {
      await publishJob(id);
      await jobs.runner.start();
      // Two runs, then the third delivery is terminated unrun: the job leaves the stream.
      await eventually(async () => (await jobs.tracking.heldByBroker?.([id]))?.size === 0, 10_000);
      expect(runs).toBe(2);
    } finally {
      await jobs.runner.stop();
    }
    const jobless = await natsJobs();
    try {
      expect((await sweep(jobless)).orphans).toBe(1);
    } finally {
      await jobless.runner.stop();
    }
    worker = await startWorker(t);
    const [done] = await waitFor(t, [id]);
    expect(done.attempts).toBe(1);
  });
});
