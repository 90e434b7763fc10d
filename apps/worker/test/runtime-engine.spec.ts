/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { jobQueueFor } from '@integrixs/runtime';

import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { type TestApp } from '../../api/test/support/test-app';
import {
  accept,
  deployFlow,
  deployLine,
  deployToHttp,
  head,
  httpTarget,
  kitIn,
  startReceiver,
  startWorker,
  stepsOf,
  target,
  waitFor,
  type RuntimeWorker,
} from './support/runtime-kit';
import {
  startTransportApp,
  TRANSPORTS,
  type TransportApp,
  type TransportName,
} from './support/transports';

/**
 * The flow runtime's engine (issue 13): deployed flows run their pinned assets — validate, map,
 * route, targets with idempotency keys — retry with backoff, dead-letter after N attempts, and
 * resume from a stored step input — over each job transport. Real PostgreSQL (and nats-server),
 * a real HTTP receiver on 127.0.0.1, real folders.
 */
describe.each(TRANSPORTS)(
  'runtime engine (%s transport): messages through deployed flows',
  engineSuite,
);

function engineSuite(transport: TransportName) {
  let app: TransportApp;
  let t: TestApp;
  let kit: ReadyKit;
  let worker: RuntimeWorker | undefined;
  const receivers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    app = await startTransportApp(transport);
    t = app.t;
    kit = await kitIn(t, 'Runtime engine');
  }, 90_000);
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await removeFolders([kit]);
    await app.close();
  });

  it('routes each message to one of two targets by a predicate, each target once with its key', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const http = await httpTarget(t, kit, 'Big invoices', receiver.url);
    const { deploymentId } = await deployFlow(
      t,
      kit,
      'Routed',
      [
        ...head(kit),
        {
          id: 'split',
          kind: 'route',
          position: { x: 3, y: 0 },
          routes: [{ branch: 'big', when: 'amount > 100' }],
          defaultBranch: 'rest',
        },
        target('big', http),
        target('rest', kit.target),
      ],
      [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'map' },
        { from: 'map', to: 'split' },
        { from: 'split', to: 'big', branch: 'big' },
        { from: 'split', to: 'rest', branch: 'rest' },
      ],
    );
    const big = await accept(t, deploymentId, '{"total": 250}');
    const small = await accept(t, deploymentId, '{"total": 7}');
    worker = await startWorker(t);
    await waitFor(t, [big, small]);

    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ method: 'POST', idempotencyKey: `${big}:big` });
    expect(JSON.parse(receiver.received[0].body)).toEqual({ amount: 250 });
    const files = await readdir(kit.folders[1]);
    expect(files).toEqual([`${small}.rest.json`]);
    expect(JSON.parse(await readFile(join(kit.folders[1], files[0]), 'utf8'))).toEqual({
      amount: 7,
    });

    const steps = await stepsOf(t, big);
    expect(steps.map((s) => [s.node_id, s.status])).toEqual([
      ['check', 'SUCCEEDED'],
      ['map', 'SUCCEEDED'],
      ['split', 'SUCCEEDED'],
      ['big', 'SUCCEEDED'],
    ]);
    expect(steps[2].detail).toEqual({ branch: 'big', matched: true });
    expect(steps[3].detail).toMatchObject({ status: 202, idempotencyKey: `${big}:big` });
    expect(JSON.parse(steps[1].snapshot ?? '')).toEqual({ amount: 250 });
    const effects = await t.db.count(
      `SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = ANY($1::uuid[])`,
      [[big, small]],
    );
    expect(effects).toBe(2);
    const [message] = (
      await t.db.pool.query<{ attempts: number; duration_ms: number; finished_at: Date | null }>(
        `SELECT attempts, duration_ms, finished_at FROM runtime_messages WHERE id = $1`,
        [big],
      )
    ).rows;
    expect(message.attempts).toBe(1);
    expect(message.finished_at).not.toBeNull();
    expect(message.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('retries a target that refuses for a while, then delivers once: one effect, the attempts recorded', async () => {
    const receiver = await startReceiver((_, i) => (i < 2 ? 503 : 201));
    receivers.push(receiver);
    const { deploymentId } = await deployToHttp(t, kit, 'Flaky', receiver.url);
    const id = await accept(t, deploymentId, '{"total": 12}');
    worker = await startWorker(t);
    const [done] = await waitFor(t, [id]);

    expect(done.attempts).toBe(3);
    expect(receiver.received.map((r) => r.idempotencyKey)).toEqual([
      `${id}:out`,
      `${id}:out`,
      `${id}:out`,
    ]);
    expect(receiver.accepted).toHaveLength(1);
    const steps = await stepsOf(t, id);
    // Attempt 1 ran every step; the retries resume at the failed target with its stored input.
    expect(steps.map((s) => [s.attempt, s.node_id, s.status])).toEqual([
      [1, 'check', 'SUCCEEDED'],
      [1, 'map', 'SUCCEEDED'],
      [1, 'out', 'FAILED'],
      [2, 'out', 'FAILED'],
      [3, 'out', 'SUCCEEDED'],
    ]);
    expect(steps[2].error).toEqual({ code: 'failed', message: 'the target answered HTTP 503' });
    const payload = (
      await t.db.pool.query<{ role: string; node_id: string; content: Buffer }>(
        `SELECT p.role, p.node_id, p.content FROM runtime_messages m
           JOIN runtime_payloads p ON p.id = m.resume_payload_id WHERE m.id = $1`,
        [id],
      )
    ).rows[0];
    expect(payload).toMatchObject({ role: 'STEP_INPUT', node_id: 'out' });
    expect(JSON.parse(payload.content.toString())).toEqual({ amount: 12 });
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = $1`, [id]),
    ).toBe(1);
  });

  it('dead-letters a message after N attempts of a target that always fails, with the error and the input', async () => {
    const receiver = await startReceiver(() => 500);
    receivers.push(receiver);
    const http = await httpTarget(t, kit, 'Broken receiver', receiver.url);
    const { deploymentId, flowId } = await deployFlow(
      t,
      kit,
      'Broken',
      [
        ...head(kit),
        target('out', http),
        {
          id: 'dlq',
          kind: 'errorHandler',
          position: { x: 0, y: 2 },
          destination: 'adapter',
          adapter: { assetId: kit.target },
        },
      ],
      [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'map' },
        { from: 'map', to: 'out' },
      ],
    );
    const id = await accept(t, deploymentId, '{"total": 3}');
    worker = await startWorker(t, { maxAttempts: 3 });
    const [done] = await waitFor(t, [id], ['DEAD_LETTERED']);

    expect(done.attempts).toBe(3);
    expect(done.error).toMatchObject({ nodeId: 'out', message: 'the target answered HTTP 500' });
    expect(receiver.received).toHaveLength(3);
    const letter = (
      await t.db.pool.query<{
        flow_id: string;
        node_id: string;
        attempts: number;
        status: string;
        error: { message: string };
        content: Buffer;
      }>(
        `SELECT d.flow_id, d.node_id, d.attempts, d.status, d.error, p.content
           FROM runtime_dead_letters d JOIN runtime_payloads p ON p.id = d.payload_id
          WHERE d.message_id = $1`,
        [id],
      )
    ).rows[0];
    expect(letter).toMatchObject({
      flow_id: flowId,
      node_id: 'out',
      attempts: 3,
      status: 'OPEN',
      error: { message: 'the target answered HTTP 500' },
    });
    expect(JSON.parse(letter.content.toString())).toEqual({ amount: 3 });
    // The flow's error handler sends the failed input to its adapter too (once, keyed), right
    // after the dead letter is committed.
    for (let i = 0; i < 100 && !(await stepsOf(t, id)).some((s) => s.node_id === 'dlq'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      JSON.parse(await readFile(join(kit.folders[1], `${id}.dlq.json`), 'utf8')) as unknown,
    ).toEqual({ amount: 3 });
    const handled = (await stepsOf(t, id)).filter((s) => s.node_id === 'dlq');
    expect(handled.map((s) => [s.kind, s.status])).toEqual([['errorHandler', 'SUCCEEDED']]);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_effects WHERE origin_id = $1 AND node_id = 'out'`,
        [id],
      ),
    ).toBe(0);
  });

  it('dead-letters an invalid message at once (no retry can fix it) and never reaches the target', async () => {
    const { deploymentId } = await deployLine(t, kit, 'Strict');
    const id = await accept(t, deploymentId, '{"amount": 3}');
    worker = await startWorker(t);
    const [done] = await waitFor(t, [id], ['DEAD_LETTERED']);
    expect(done.attempts).toBe(1);
    expect(done.error).toMatchObject({ nodeId: 'check', code: 'invalid' });
    expect((await stepsOf(t, id)).map((s) => [s.node_id, s.status])).toEqual([['check', 'FAILED']]);
  });

  it('starts a resumed message at its resume node with its stored payload, and skips a target whose effect is recorded', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { deploymentId } = await deployToHttp(t, kit, 'Resumable', receiver.url);
    // An operator's edited payload for the target, as a replay stores it.
    const id = await accept(t, deploymentId, '{"total": 1}');
    const edited = Buffer.from('{"amount":99}');
    await t.db.pool.query(
      `WITH p AS (INSERT INTO runtime_payloads (message_id, role, node_id, content_type, size_bytes, sha256, content)
                  VALUES ($1, 'EDITED', 'out', 'application/json', $2, $3, $4) RETURNING id)
       UPDATE runtime_messages SET resume_node_id = 'out', resume_payload_id = (SELECT id FROM p) WHERE id = $1`,
      [id, edited.length, createHash('sha256').update(edited).digest('hex'), edited],
    );
    worker = await startWorker(t);
    await waitFor(t, [id]);
    expect((await stepsOf(t, id)).map((s) => [s.node_id, s.status])).toEqual([
      ['out', 'SUCCEEDED'],
    ]);
    expect(receiver.received.map((r) => r.body)).toEqual(['{"amount":99}']);

    // A replay of it (same origin) runs the target again: the effect is recorded, so it is skipped.
    const replay = (
      await t.db.pool.query<{ id: string }>(
        `INSERT INTO runtime_messages (origin_id, replay_of, package_id, flow_id, deployment_id,
                                       environment_id, trigger, status, resume_node_id,
                                       resume_payload_id, created_by)
         SELECT origin_id, id, package_id, flow_id, deployment_id, environment_id, 'REPLAY',
                'QUEUED', resume_node_id, resume_payload_id, 'test'
           FROM runtime_messages WHERE id = $1
         RETURNING id`,
        [id],
      )
    ).rows[0].id;
    await jobQueueFor(t.config.runtimeTransport).enqueue(t.db.pool, { messageId: replay });
    await waitFor(t, [replay]);
    const steps = await stepsOf(t, replay);
    expect(steps.map((s) => [s.node_id, s.status])).toEqual([['out', 'SKIPPED']]);
    expect(receiver.received).toHaveLength(1);
  });
}
