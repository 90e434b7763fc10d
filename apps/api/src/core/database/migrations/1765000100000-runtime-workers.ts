import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What the flow runtime's workers need beside the foundation's tables (issue 13, engine):
 *
 * - `runtime_workers`: one row per running worker process (its graphile-worker pool id), with a
 *   heartbeat. A sweeper on every worker force-unlocks the jobs of workers whose heartbeat is
 *   stale (graphile-worker would keep a crashed worker's jobs locked for 4 hours) and deletes
 *   their rows.
 * - `runtime_messages.worker_id`: the worker running the message's current attempt, so a
 *   message left RUNNING by a dead worker is recognised and run again.
 * - `runtime_messages.parked_at`: set while a message waits for its suspended flow to be
 *   resumed (no job meanwhile); the sweeper re-enqueues parked messages once the flow is
 *   DEPLOYED again, and cancels them when the flow was undeployed.
 */
export class RuntimeWorkers1765000100000 implements MigrationInterface {
  name = 'RuntimeWorkers1765000100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE runtime_workers (
        id            text PRIMARY KEY,
        host          text NOT NULL,
        pid           integer NOT NULL,
        concurrency   integer NOT NULL,
        started_at    timestamptz NOT NULL DEFAULT now(),
        heartbeat_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER TABLE runtime_messages ADD COLUMN worker_id text`);
    await db.query(`ALTER TABLE runtime_messages ADD COLUMN parked_at timestamptz`);
    await db.query(
      `CREATE INDEX runtime_messages_parked ON runtime_messages (deployment_id)
         WHERE parked_at IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX runtime_messages_running ON runtime_messages (worker_id)
         WHERE status = 'RUNNING'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX runtime_messages_running`);
    await db.query(`DROP INDEX runtime_messages_parked`);
    await db.query(`ALTER TABLE runtime_messages DROP COLUMN parked_at`);
    await db.query(`ALTER TABLE runtime_messages DROP COLUMN worker_id`);
    await db.query(`DROP TABLE runtime_workers`);
  }
}
