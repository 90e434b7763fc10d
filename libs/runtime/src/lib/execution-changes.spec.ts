import { randomUUID } from 'node:crypto';

import { Client, Pool } from 'pg';

import {
  ExecutionChanges,
  EXECUTIONS_CHANNEL,
  parseExecutionNotification,
  type ExecutionNotification,
} from './execution-changes';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A LISTEN connection collecting this test's notifications (by package id). */
async function listen(packageId: string) {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  const received: ExecutionNotification[] = [];
  const waiters: (() => void)[] = [];
  client.on('notification', ({ channel, payload }) => {
    const parsed =
      channel === EXECUTIONS_CHANNEL ? parseExecutionNotification(payload ?? '') : null;
    if (parsed?.packageId !== packageId) return;
    received.push(parsed);
    for (const wake of waiters.splice(0)) wake();
  });
  await client.query(`LISTEN ${EXECUTIONS_CHANNEL}`);
  /** Resolves once `count` notifications arrived (PostgreSQL delivers them after the send). */
  const count = async (n: number) => {
    while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return received;
  };
  return { received, count, close: () => client.end() };
}

describe('ExecutionChanges', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
  });
  afterAll(() => pool.end());

  const scope = (packageId: string, flowId = randomUUID(), environmentId = randomUUID()) => ({
    packageId,
    flowId,
    environmentId,
  });

  it('sends one notification per flow and environment for a burst, with its statuses and counts', async () => {
    const packageId = randomUUID();
    const listener = await listen(packageId);
    const changes = new ExecutionChanges(pool, { flushMs: 60_000 });
    const invoices = scope(packageId);
    const orders = scope(packageId);
    for (let i = 0; i < 200; i++) {
      changes.messageAccepted(invoices);
      changes.messageStarted(invoices);
      changes.messageFinished({ ...invoices, status: i % 10 === 0 ? 'RETRYING' : 'SUCCEEDED' });
    }
    changes.record(orders, 'DEAD_LETTERED');
    changes.record(orders, 'REPLAYED', 3);
    await changes.flush();
    const received = await listener.count(2);
    await listener.close();

    expect(received).toHaveLength(2);
    const byFlow = new Map(received.map((n) => [n.flowId, n]));
    expect(byFlow.get(invoices.flowId)).toEqual({
      ...invoices,
      statuses: ['QUEUED', 'RUNNING', 'RETRYING', 'SUCCEEDED'],
      counts: { QUEUED: 200, RUNNING: 200, RETRYING: 20, SUCCEEDED: 180 },
    });
    expect(byFlow.get(orders.flowId)).toEqual({
      ...orders,
      statuses: ['DEAD_LETTERED', 'REPLAYED'],
      counts: { DEAD_LETTERED: 1, REPLAYED: 3 },
    });
  });

  it('starts each flush afresh and sends what is pending when stopped', async () => {
    const packageId = randomUUID();
    const listener = await listen(packageId);
    const changes = new ExecutionChanges(pool, { flushMs: 60_000 });
    const flow = scope(packageId);
    changes.messageAccepted(flow);
    await changes.flush();
    await changes.flush(); // nothing pending: nothing sent
    changes.messageCancelled({ ...flow, deploymentId: randomUUID(), messageId: randomUUID() });
    await changes.stop();
    const received = await listener.count(2);
    await listener.close();
    expect(received.map((n) => n.counts)).toEqual([{ QUEUED: 1 }, { CANCELLED: 1 }]);
  });

  it('drops the changes and logs when the NOTIFY fails, never rejecting', async () => {
    const closed = new Pool({ connectionString: DATABASE_URL });
    await closed.end();
    const warnings: object[] = [];
    const changes = new ExecutionChanges(closed, {
      flushMs: 60_000,
      logger: { warn: (obj) => warnings.push(obj) },
    });
    changes.messageStarted(scope(randomUUID()));
    await expect(changes.stop()).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ flows: 1 })]);
  });
});

describe('parseExecutionNotification', () => {
  const ids = { packageId: randomUUID(), flowId: randomUUID(), environmentId: randomUUID() };

  it.each([
    ['not JSON', 'nope'],
    [
      'a package id that is not a uuid',
      JSON.stringify({ ...ids, packageId: 'x', statuses: ['QUEUED'] }),
    ],
    ['no statuses', JSON.stringify({ ...ids })],
    ['only unknown statuses', JSON.stringify({ ...ids, statuses: ['EXPLODED'] })],
  ])('refuses %s', (_, payload) => {
    expect(parseExecutionNotification(payload)).toBeNull();
  });

  it('keeps the known statuses in order and the counts that are whole numbers', () => {
    const payload = JSON.stringify({
      ...ids,
      statuses: ['SUCCEEDED', 'EXPLODED', 'QUEUED'],
      counts: { SUCCEEDED: 2, QUEUED: -1, EXPLODED: 4, RUNNING: 1.5 },
      payload: '<secret/>',
    });
    expect(parseExecutionNotification(payload)).toEqual({
      ...ids,
      statuses: ['QUEUED', 'SUCCEEDED'],
      counts: { SUCCEEDED: 2 },
    });
  });
});
