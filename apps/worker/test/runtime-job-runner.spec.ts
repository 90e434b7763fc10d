/* eslint-disable @nx/enforce-module-boundaries -- the runner is internal to the runtime library */
import { Pool } from 'pg';

import { createGraphileJobQueue } from '@integrixs/runtime';

import { JobRunner } from '../../../libs/runtime/src/lib/job-runner';
import { createTestDatabase, type TestDatabase } from '../../api/test/support/test-database';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The job runner with graphile-worker's local queue (job-runner.ts): jobs one fetch locked into
 * the runner wait there while its only slot is busy — held, not stranded, so the stranded-job
 * check does not recycle the runner however long they wait.
 */
describe('job runner with a local queue', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 6 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('keeps jobs waiting in its local queue past the grace period without recycling the runner', async () => {
    const ran: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = new JobRunner({
      pool,
      concurrency: 1,
      pollMs: 100,
      jobBatchSize: 4,
      completeBatchMs: 0,
      logger: silent,
      drainMs: 5_000,
      runMessage: async (messageId) => {
        ran.push(messageId);
        // The first message holds the only slot until the test lets it go.
        if (ran.length === 1) await gate;
      },
      register: () => Promise.resolve(),
    });
    // Queued before the runner starts, so its first fetch locks all three.
    const queue = createGraphileJobQueue({ lanes: 0 });
    for (const id of ['m0', 'm1', 'm2']) await queue.enqueue(pool, { messageId: id });
    await runner.start();
    const firstId = runner.id;
    try {
      const locked = () =>
        db.count(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_by = $1`, [
          firstId,
        ]);
      // One job runs, the other two wait locked in the runner's local queue.
      for (
        let waited = 0;
        (ran.length < 1 || (await locked()) < 3) && waited < 20_000;
        waited += 100
      )
        await pause(100);
      expect(ran).toHaveLength(1);
      expect(await locked()).toBe(3);

      // Checks over three times the grace period: the waiting jobs are held, not stranded.
      for (let i = 0; i < 15; i++) {
        await runner.check(300);
        await pause(100);
      }
      expect(runner.id).toBe(firstId);
      expect(ran).toHaveLength(1);

      release();
      for (let waited = 0; (await locked()) > 0 && waited < 20_000; waited += 100) await pause(100);
      expect(await db.count(`SELECT count(*)::int AS n FROM graphile_worker.jobs`)).toBe(0);
      expect([...ran].sort()).toEqual(['m0', 'm1', 'm2']);
      expect(runner.id).toBe(firstId);
    } finally {
      release();
      await runner.stop();
    }
  }, 60_000);
});
