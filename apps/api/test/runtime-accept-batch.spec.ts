import { randomBytes } from 'node:crypto';

import {
  AcceptBatcher,
  acceptMessages,
  createGraphileJobQueue,
  inTransaction,
  type AcceptMessageInput,
  type SqlClient,
} from '@integrixs/runtime';

import { createPackage } from './support/access-fixtures';
import { deploymentRoutes } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { deployedFlow, jobsOf } from './support/runtime';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Messages accepted together (libs/runtime accept-batch.ts): one transaction stores several
 * messages set-based, each with the answer acceptMessage gives it alone; the batcher groups
 * messages that arrive while its transactions are busy and retries a failed batch one by one.
 */
describe('runtime: accepting messages in batches', () => {
  let t: TestApp;
  let kit: ReadyKit;
  let dev: string;
  let suspended: string;
  const queue = createGraphileJobQueue({ lanes: 0 });

  const input = (over: Partial<AcceptMessageInput> = {}): AcceptMessageInput => ({
    deploymentId: dev,
    trigger: 'HTTP',
    payload: Buffer.from(`<Invoice><id>${randomBytes(4).toString('hex')}</id></Invoice>`),
    contentType: 'application/xml',
    acceptedBy: 'runtime:test',
    ...over,
  });
  const inTx = <T>(work: (client: SqlClient) => Promise<T>) => inTransaction(t.db.pool, work);

  beforeAll(async () => {
    t = await startTestApp();
    const pkg = await createPackage(t, 'Accept batches');
    const flow = await deployedFlow(t, pkg, 'Batched', ['DEV', 'TEST']);
    kit = flow.kit;
    dev = flow.deployments['DEV'].id;
    suspended = flow.deployments['TEST'].id;
    const moved = await deploymentRoutes(t, pkg, flow.flowId).move(suspended, 'suspend');
    if (moved.statusCode !== 200) throw new Error(`suspend: ${moved.body}`);
  });

  afterAll(async () => {
    await t?.close();
    await removeFolders([kit]);
  });

  it('stores a mixed batch set-based with the answer each message gets alone', async () => {
    const binary = randomBytes(300);
    const inputs = [
      input({ payload: binary, contentType: 'application/octet-stream' }),
      input({ idempotencyKey: 'order-1' }),
      input({ idempotencyKey: 'order-1' }),
      input({ payload: Buffer.alloc(65), maxPayloadBytes: 64 }),
      input({ deploymentId: suspended }),
      input({ sourceRef: 'mail-7' }),
    ];
    const results = await inTx((client) => acceptMessages(client, queue, inputs));
    expect(results.map((r) => r.outcome)).toEqual([
      'accepted',
      'accepted',
      'duplicate',
      'too-large',
      'not-active',
      'accepted',
    ]);
    expect(results[2].messageId).toBe(results[1].messageId);
    const ids = [results[0], results[1], results[5]].map((r) => r.messageId as string);
    const { rows } = await t.db.pool.query<{
      id: string;
      origin_id: string;
      source_ref: string | null;
      size_bytes: number;
      idempotency_key: string | null;
      content: Buffer;
    }>(
      `SELECT m.id, m.origin_id, m.source_ref, m.size_bytes, m.idempotency_key, p.content
         FROM runtime_messages m JOIN runtime_payloads p ON p.id = m.input_payload_id
        WHERE m.id = ANY($1::uuid[]) ORDER BY m.size_bytes DESC`,
      [ids],
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ id: ids[0], origin_id: ids[0], size_bytes: 300 });
    expect(Buffer.compare(rows[0].content, binary)).toBe(0);
    expect(rows.find((r) => r.id === ids[1])?.idempotency_key).toBe('order-1');
    expect(rows.find((r) => r.id === ids[2])?.source_ref).toBe('mail-7');
    for (const id of ids) expect(await jobsOf(t, id)).toBe(1);
    // A later message with the key answers the stored one.
    const [again] = await inTx((client) =>
      acceptMessages(client, queue, [input({ idempotencyKey: 'order-1' })]),
    );
    expect(again).toEqual({ outcome: 'duplicate', messageId: ids[1] });
  });

  it('compresses payloads and step snapshots with lz4 where the server has it', async () => {
    const { rows } = await t.db.pool.query<{ name: string; compression: string }>(
      `SELECT attrelid::regclass || '.' || attname AS name, attcompression AS compression
         FROM pg_attribute
        WHERE (attrelid, attname) IN (('runtime_payloads'::regclass, 'content'),
                                      ('runtime_steps'::regclass, 'snapshot'))
        ORDER BY 1`,
    );
    const { rows: lz4 } = await t.db.pool.query(
      `SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
    );
    const expected = lz4.length > 0 ? 'l' : '';
    expect(rows).toEqual([
      { name: 'runtime_payloads.content', compression: expected },
      { name: 'runtime_steps.snapshot', compression: expected },
    ]);
  });

  it('groups messages that arrive while its transactions are busy, each answered after commit', async () => {
    let transactions = 0;
    const batcher = new AcceptBatcher({
      queue,
      parallel: 1,
      transaction: (work) => {
        transactions++;
        return inTx(work);
      },
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => batcher.accept(input())));
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(20);
    // The first alone, the 19 that waited for it together.
    expect(transactions).toBe(2);
    const stored = await t.db.count(
      `SELECT count(*)::int AS n FROM runtime_messages WHERE id = ANY($1::uuid[])`,
      [results.map((r) => r.messageId)],
    );
    expect(stored).toBe(20);
  });

  it('tries each message of a failed batch again alone, so one cannot fail the others', async () => {
    let batches = 0;
    const batcher = new AcceptBatcher({
      queue,
      parallel: 1,
      transaction: (work) =>
        inTx(async (client) => {
          // The shared transaction fails once (as a lost connection would), after its inserts.
          const results = await work(client);
          if (results instanceof Array && results.length > 1 && batches++ === 0)
            throw new Error('connection lost');
          return results;
        }),
    });
    const results = await Promise.all(Array.from({ length: 6 }, () => batcher.accept(input())));
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    const stored = await t.db.count(
      `SELECT count(*)::int AS n FROM runtime_messages WHERE id = ANY($1::uuid[])`,
      [results.map((r) => r.messageId)],
    );
    expect(stored).toBe(6);
    expect(batches).toBe(1);
  });
});
