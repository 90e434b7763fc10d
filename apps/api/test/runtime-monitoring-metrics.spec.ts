import { RuntimeRetentionService } from '../src/runtime-monitoring/runtime-retention.service';
import { createPackage } from './support/access-fixtures';
import { deployed, deploymentRoutes, readyFlow } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { scopeOf, seedDeadLetter, seedMessage, type SeedScope } from './support/runtime-seed';
import { startTestApp, type TestApp } from './support/test-app';

const DAY = 24 * 60;

/** Metric value of one series in a Prometheus text exposition (undefined when absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('runtime monitoring: queue gauges on /metrics and the batched retention cleanup', () => {
  let t: TestApp;
  let kit: ReadyKit;
  let scope: SeedScope;
  let retention: RuntimeRetentionService;

  beforeAll(async () => {
    t = await startTestApp();
    retention = t.app.get(RuntimeRetentionService);
    // The test runs the cleanup itself: the schedule must not run it meanwhile.
    await retention.onModuleDestroy();
    const pkg = await createPackage(t, 'Runtime monitoring');
    const made = await readyFlow(t, pkg, 'Mon');
    kit = made.assets;
    const deployment = await deployed(deploymentRoutes(t, pkg, made.flowId).deploy('DEV'));
    scope = await scopeOf(t.db.pool, deployment.id);
  });
  afterAll(async () => {
    await t?.close();
    if (kit) await removeFolders([kit]);
  });

  it('reports queue depth, oldest waiting age and open dead letters per flow and environment, read at scrape time', async () => {
    const scrape = async () => {
      const r = await t.request({ method: 'GET', url: '/metrics' });
      expect(r.statusCode).toBe(200);
      return r.body;
    };
    const labels = `{flow="${scope.flowId}",environment="DEV"}`;
    // A deployed flow with nothing waiting reports zeros (its series never vanish).
    const before = await scrape();
    expect(sample(before, `integrixs_runtime_queue_depth${labels}`)).toBe(0);
    expect(sample(before, `integrixs_runtime_dead_letters_open${labels}`)).toBe(0);

    await seedMessage(t.db.pool, scope, { status: 'QUEUED', ageMinutes: 90 });
    await seedMessage(t.db.pool, scope, { status: 'RETRYING', ageMinutes: 5 });
    await seedMessage(t.db.pool, scope, { status: 'RUNNING', ageMinutes: 200 });
    await seedMessage(t.db.pool, scope, { status: 'SUCCEEDED', ageMinutes: 300 });
    const dead = await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED' });
    await seedDeadLetter(t.db.pool, scope, dead);
    // Scrapes within a second share one query: wait past it.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const text = await scrape();
    expect(sample(text, `integrixs_runtime_queue_depth${labels}`)).toBe(2);
    const oldest = sample(text, `integrixs_runtime_oldest_waiting_seconds${labels}`) ?? 0;
    expect(oldest).toBeGreaterThanOrEqual(90 * 60);
    expect(oldest).toBeLessThan(91 * 60);
    expect(sample(text, `integrixs_runtime_dead_letters_open${labels}`)).toBe(1);
    // The per-flow counters and histograms are registered on the same registry.
    expect(text).toContain('# TYPE integrixs_runtime_messages_total counter');
    expect(text).toContain('# TYPE integrixs_runtime_step_duration_seconds histogram');
    await t.db.pool.query(`DELETE FROM runtime_messages WHERE flow_id = $1`, [scope.flowId]);
  });

  it('deletes expired messages and payloads in bounded batches, keeping young rows and what open dead letters and waiting messages need', async () => {
    const pool = t.db.pool;
    const old = await Promise.all(
      Array.from({ length: 5 }, () =>
        seedMessage(pool, scope, { status: 'SUCCEEDED', ageMinutes: 40 * DAY }),
      ),
    );
    const young = await seedMessage(pool, scope, { status: 'SUCCEEDED', ageMinutes: 2 * DAY });
    // Young message, old payload (10 days): the payload goes, the message stays.
    const youngOldPayload = await seedMessage(pool, scope, {
      status: 'SUCCEEDED',
      ageMinutes: 9 * DAY,
      payloadAgeMinutes: 10 * DAY,
    });
    // An old dead-lettered message with an OPEN dead letter: message and payload stay.
    const openDead = await seedMessage(pool, scope, {
      status: 'DEAD_LETTERED',
      ageMinutes: 40 * DAY,
    });
    await seedDeadLetter(pool, scope, openDead, { ageMinutes: 40 * DAY });
    // A replayed (closed) dead letter does not protect anything.
    const replayed = await seedMessage(pool, scope, {
      status: 'DEAD_LETTERED',
      ageMinutes: 40 * DAY,
    });
    await seedDeadLetter(pool, scope, replayed, { status: 'REPLAYED', ageMinutes: 40 * DAY });
    // A message still waiting keeps its old payload.
    const waiting = await seedMessage(pool, scope, { status: 'RETRYING', ageMinutes: 20 * DAY });

    const batches: { table: string; deleted: number }[] = [];
    const result = await retention.runOnce({
      executionRetentionDays: 30,
      payloadRetentionDays: 7,
      batchSize: 2,
      pauseMs: 10,
      stopped: () => false,
      onBatch: (table, deleted) => batches.push({ table, deleted }),
    });

    expect(result.ran).toBe(true);
    expect(batches.every((b) => b.deleted <= 2)).toBe(true);
    // Payloads first: 5 old + the replayed one + the young message's old one = 7 → 4 batches.
    expect(batches.filter((b) => b.table === 'runtime_payloads').map((b) => b.deleted)).toEqual([
      2, 2, 2, 1,
    ]);
    // Messages: the 5 old SUCCEEDED and the replayed one = 6 → 2, 2, 2, 0.
    expect(batches.filter((b) => b.table === 'runtime_messages').map((b) => b.deleted)).toEqual([
      2, 2, 2, 0,
    ]);
    expect(result).toEqual({ ran: true, payloads: 7, messages: 6 });

    const exists = async (table: string, id: string) =>
      (await t.db.count(`SELECT count(*)::int AS n FROM ${table} WHERE id = $1`, [id])) === 1;
    for (const m of old) expect(await exists('runtime_messages', m.messageId)).toBe(false);
    expect(await exists('runtime_messages', replayed.messageId)).toBe(false);
    expect(await exists('runtime_messages', young.messageId)).toBe(true);
    expect(await exists('runtime_payloads', young.payloadId)).toBe(true);
    expect(await exists('runtime_messages', youngOldPayload.messageId)).toBe(true);
    expect(await exists('runtime_payloads', youngOldPayload.payloadId)).toBe(false);
    expect(await exists('runtime_messages', openDead.messageId)).toBe(true);
    expect(await exists('runtime_payloads', openDead.payloadId)).toBe(true);
    expect(await exists('runtime_messages', waiting.messageId)).toBe(true);
    expect(await exists('runtime_payloads', waiting.payloadId)).toBe(true);

    // Nothing left to do: a second run deletes nothing.
    expect(await retention.runOnce({ stopped: () => false })).toEqual({
      ran: true,
      payloads: 0,
      messages: 0,
    });
  });

  it('runs on one instance at a time: a run finds the lock taken and does nothing', async () => {
    const holder = await t.db.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [
        'integrixs runtime retention',
      ]);
      await seedMessage(t.db.pool, scope, { status: 'SUCCEEDED', ageMinutes: 40 * DAY });
      expect(await retention.runOnce({ stopped: () => false })).toEqual({
        ran: false,
        payloads: 0,
        messages: 0,
      });
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      holder.release();
    }
    expect((await retention.runOnce({ stopped: () => false })).messages).toBe(1);
  });
});
