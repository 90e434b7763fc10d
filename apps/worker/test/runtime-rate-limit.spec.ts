/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { Pool } from 'pg';

import { takeStart } from '@integrixs/runtime';

import { createFlow } from '../../api/test/support/flows';
import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { type TestApp } from '../../api/test/support/test-app';
import {
  accept,
  deployFlow,
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

const EDGES = [
  { from: 'in', to: 'check' },
  { from: 'check', to: 'map' },
  { from: 'map', to: 'out' },
];

/** The clock distance allowed between a message's claim (its started_at) and its GCRA start. */
const TOLERANCE_MS = 250;

/**
 * Per-flow rate limits (issue 13): a source's `rateLimit` holds its flow's messages to a GCRA
 * schedule kept in PostgreSQL (one start every perSeconds/messages, no burst), across workers; a
 * held-back message is put back with the start it was given, not failed — over each job
 * transport. Real
 * PostgreSQL (and nats-server), a real in-process worker, a real HTTP receiver.
 */
describe.each(TRANSPORTS)('runtime rate limits (%s transport)', rateLimitSuite);

function rateLimitSuite(transport: TransportName) {
  let app: TransportApp;
  let t: TestApp;
  let kit: ReadyKit;
  let worker: RuntimeWorker | undefined;
  let dev: string;
  const receivers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    app = await startTransportApp(transport);
    t = app.t;
    kit = await kitIn(t, 'Runtime rate limits');
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM environments WHERE code = 'DEV'`,
    );
    dev = rows[0].id;
  }, 90_000);
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    if (kit) await removeFolders([kit]);
    await app?.close();
  });

  /** A flow in → check → map → HTTP receiver, its source limited by `rateLimit`, deployed in DEV. */
  async function deployLimited(
    name: string,
    rateLimit?: { messages: number; perSeconds: number },
    answer?: (request: unknown, index: number) => number,
  ) {
    const receiver = await startReceiver(answer);
    receivers.push(receiver);
    const http = await httpTarget(t, kit, `${name} receiver`, receiver.url);
    const [source, ...rest] = head(kit);
    const nodes = [
      { ...source, ...(rateLimit ? { rateLimit } : {}) },
      ...rest,
      target('out', http),
    ];
    return { receiver, ...(await deployFlow(t, kit, name, nodes, EDGES)) };
  }

  const acceptAll = (deploymentId: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => accept(t, deploymentId, `{"total": ${i + 1}}`)),
    );

  it('starts 15 messages of a flow limited to 5 per second one per 200 ms, each once', async () => {
    const limited = await deployLimited('Limited', { messages: 5, perSeconds: 1 });
    const free = await deployLimited('Unlimited');
    const ids = await acceptAll(limited.deploymentId, 15);
    const freeIds = await acceptAll(free.deploymentId, 15);
    const held: string[] = [];
    worker = await startWorker(t, {}, false, [
      { messageThrottled: (event) => held.push(event.messageId) },
    ]);
    const done = await waitFor(t, [...ids, ...freeIds], ['SUCCEEDED'], 90_000);

    // A held-back start is not an attempt: one attempt each, no error, one step row per node.
    expect(done.every((m) => m.attempts === 1 && m.error === null)).toBe(true);
    for (const id of ids)
      expect((await stepsOf(t, id)).map((s) => [s.node_id, s.attempt])).toEqual([
        ['check', 1],
        ['map', 1],
        ['out', 1],
      ]);
    for (const receiver of [limited.receiver, free.receiver]) {
      expect(receiver.received).toHaveLength(15);
      expect(new Set(receiver.received.map((r) => r.idempotencyKey)).size).toBe(15);
    }

    // T = 200 ms, no burst: the k-th start after any start is at least k·T later, so no 1 s
    // window holds more than 5 (the database's timestamps, with a little tolerance: started_at
    // is set by the claim, just before the limiter decides).
    const { rows } = await t.db.pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM started_at) * 1000 AS ms FROM runtime_messages
        WHERE id = ANY($1::uuid[]) ORDER BY started_at`,
      [ids],
    );
    const starts = rows.map((r) => Number(r.ms));
    for (let i = 0; i < starts.length; i++)
      for (let j = i + 1; j < starts.length; j++)
        expect(starts[j] - starts[i]).toBeGreaterThanOrEqual((j - i) * 200 - TOLERANCE_MS);
    for (const start of starts)
      expect(
        starts.filter((s) => s >= start && s < start + 1_000 - TOLERANCE_MS).length,
      ).toBeLessThanOrEqual(5);
    expect(starts[14] - starts[0]).toBeGreaterThanOrEqual(14 * 200 - TOLERANCE_MS);

    // Each held message keeps the start it was given: held back once, not at every free start
    // (which would be ~105 put-backs here) — twice at most when a stall of the worker or the
    // transport made it miss its start by more than an interval (then it takes a fresh one).
    expect(new Set(held).size).toBeLessThanOrEqual(14);
    expect(held.length).toBeLessThanOrEqual(2 * 14);

    const limits = await t.db.pool.query<{ flow_id: string }>(
      `SELECT flow_id FROM runtime_rate_limits WHERE flow_id = ANY($1::uuid[])`,
      [[limited.flowId, free.flowId]],
    );
    // The unlimited flow never touched the limiter.
    expect(limits.rows.map((r) => r.flow_id)).toEqual([limited.flowId]);
  }, 120_000);

  it('holds a retry back until the next start without counting an attempt, keeping its first start', async () => {
    // 1 per 2 s: the retry (backoff ≤ 400 ms) finds no start free and waits for one.
    const flow = await deployLimited('Limited retry', { messages: 1, perSeconds: 2 }, (_, i) =>
      i === 0 ? 500 : 202,
    );
    const id = await accept(t, flow.deploymentId, '{"total": 4}');
    worker = await startWorker(t);
    const [done] = await waitFor(t, [id], ['SUCCEEDED'], 60_000);

    // Held back as RETRYING with attempts − 1: the second run is attempt 2, not 3.
    expect(done.attempts).toBe(2);
    expect(flow.receiver.received).toHaveLength(2);
    const steps = await stepsOf(t, id);
    expect(steps.map((s) => [s.node_id, s.attempt, s.status])).toEqual([
      ['check', 1, 'SUCCEEDED'],
      ['map', 1, 'SUCCEEDED'],
      ['out', 1, 'FAILED'],
      ['out', 2, 'SUCCEEDED'],
    ]);
    const { rows } = await t.db.pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM s.started_at - m.started_at) * 1000 AS ms
         FROM runtime_steps s JOIN runtime_messages m ON m.id = s.message_id
        WHERE s.message_id = $1 AND s.attempt = 2`,
      [id],
    );
    // started_at is still the first attempt's; the second began a full interval later.
    expect(Number(rows[0].ms)).toBeGreaterThanOrEqual(2_000 - TOLERANCE_MS);
  }, 90_000);

  it('gives up a reserved start found more than an interval late for a fresh one, keeps one found in time', async () => {
    // 1 per 10 s. Both messages hold a start that has come: one 30 s ago (a stall: it takes a
    // fresh start, behind the schedule that reaches 6 s ahead), one 1 s ago (runs at once).
    const flow = await deployLimited('Late reservations', { messages: 1, perSeconds: 10 });
    const [late, inTime] = await acceptAll(flow.deploymentId, 2);
    await t.db.pool.query(
      `UPDATE runtime_messages
          SET rate_slot_at = clock_timestamp() - make_interval(secs => CASE WHEN id = $1 THEN 30 ELSE 1 END)
        WHERE id = ANY($2::uuid[])`,
      [late, [late, inTime]],
    );
    await t.db.pool.query(
      `INSERT INTO runtime_rate_limits (flow_id, environment_id, tat)
       VALUES ($1, $2, clock_timestamp() + interval '6 seconds')
       ON CONFLICT (flow_id, environment_id) DO UPDATE SET tat = EXCLUDED.tat`,
      [flow.flowId, dev],
    );
    const held: { id: string; until: Date }[] = [];
    worker = await startWorker(t, {}, false, [
      { messageThrottled: (event) => held.push({ id: event.messageId, until: event.until }) },
    ]);
    const done = await waitFor(t, [late, inTime], ['SUCCEEDED'], 60_000);

    expect(done.every((m) => m.attempts === 1 && m.error === null)).toBe(true);
    expect(held.map((h) => h.id)).toEqual([late]);
    const { rows } = await t.db.pool.query<{ id: string; started_at: Date; tat: Date }>(
      `SELECT m.id, m.started_at, r.tat FROM runtime_messages m
         JOIN runtime_rate_limits r ON r.flow_id = m.flow_id AND r.environment_id = m.environment_id
        WHERE m.id = ANY($1::uuid[])`,
      [[late, inTime]],
    );
    const started = new Map(rows.map((r) => [r.id, r.started_at.getTime()]));
    // The late one started at its fresh start (the schedule's end), the schedule moved on by T.
    expect(started.get(late)).toBeGreaterThanOrEqual(held[0].until.getTime());
    expect(rows[0].tat.getTime()).toBe(held[0].until.getTime() + 10_000);
    expect((started.get(late) ?? 0) - (started.get(inTime) ?? 0)).toBeGreaterThan(0);
  }, 90_000);

  describe('the GCRA statement', () => {
    let pool: Pool;
    beforeAll(() => {
      pool = new Pool({ connectionString: t.db.url, max: 8 });
    });
    afterAll(() => pool.end());

    /** A flow asset of its own (the limiter's row is keyed by flow and environment). */
    async function flowId(name: string) {
      const [source, ...rest] = head(kit);
      const flow = await createFlow(t, kit.packageId, {
        name,
        nodes: [source, ...rest, target('out', kit.target)],
        edges: EDGES,
      });
      return flow.id;
    }
    /** Moves the flow's theoretical arrival time back, as if `seconds` had passed. */
    const elapse = (flow: string, seconds: number) =>
      pool.query(
        `UPDATE runtime_rate_limits SET tat = tat - make_interval(secs => $3)
          WHERE flow_id = $1 AND environment_id = $2`,
        [flow, dev, seconds],
      );
    /** `n` takes in a row: null for a start now, else the start reserved (ms since epoch). */
    async function take(flow: string, limit: { messages: number; perSeconds: number }, n: number) {
      const answers: (number | null)[] = [];
      for (let i = 0; i < n; i++)
        answers.push((await takeStart(pool, flow, dev, limit))?.getTime() ?? null);
      return answers;
    }

    it('gives the first take a start now and each later one a start one interval after the last', async () => {
      // 3 per 300 s: T = 100 s (long enough that no test run reaches a reserved start).
      const flow = await flowId('GCRA spacing');
      const limit = { messages: 3, perSeconds: 300 };
      const [now, second, third] = await take(flow, limit, 3);
      expect(now).toBeNull();
      expect((third as number) - (second as number)).toBe(100_000);
      const { rows } = await pool.query<{ tat: Date; now: Date }>(
        `SELECT tat, clock_timestamp() AS now FROM runtime_rate_limits
          WHERE flow_id = $1 AND environment_id = $2`,
        [flow, dev],
      );
      // The schedule moved on past the last reserved start; the first start was taken just now.
      expect(rows[0].tat.getTime()).toBe((third as number) + 100_000);
      expect((second as number) - rows[0].now.getTime()).toBeGreaterThan(90_000);

      // Idle for long: one start now, the next an interval later (no saved-up burst).
      await elapse(flow, 10_000);
      const [again, next] = await take(flow, limit, 2);
      expect(again).toBeNull();
      expect(next).not.toBeNull();
    });

    it('gives exactly one of many concurrent takes a start now, the others distinct starts an interval apart', async () => {
      const flow = await flowId('GCRA concurrent');
      const limit = { messages: 5, perSeconds: 600 };
      const answers = await Promise.all(
        Array.from({ length: 24 }, () => takeStart(pool, flow, dev, limit)),
      );
      expect(answers.filter((a) => a === null)).toHaveLength(1);
      const later = answers.flatMap((a) => (a ? [a.getTime()] : [])).sort((a, b) => a - b);
      for (let i = 1; i < later.length; i++) expect(later[i] - later[i - 1]).toBe(120_000);
    });
  });
}
