import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The transactional outbox of the NATS JetStream transport (RUNTIME_TRANSPORT=nats, issue 13):
 * enqueueing a message's job writes a row here in the caller's transaction; a worker's relay
 * publishes due rows to JetStream and deletes them after the publish ack. `seq` changes with
 * each enqueue of the message: the publish's Nats-Msg-Id (`<message id>:<seq>`), so a retry is
 * a new job while a re-published row is a duplicate JetStream drops. Unused with the default
 * PostgreSQL queue (graphile-worker).
 */
export class RuntimeJobOutbox1765000600000 implements MigrationInterface {
  name = 'RuntimeJobOutbox1765000600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE runtime_job_outbox_seq`);
    await db.query(`
      CREATE TABLE runtime_job_outbox (
        message_id  uuid PRIMARY KEY REFERENCES runtime_messages (id) ON DELETE CASCADE,
        seq         bigint NOT NULL DEFAULT nextval('runtime_job_outbox_seq'),
        run_at      timestamptz NOT NULL DEFAULT now(),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER SEQUENCE runtime_job_outbox_seq OWNED BY runtime_job_outbox.seq`);
    await db.query(`CREATE INDEX runtime_job_outbox_due ON runtime_job_outbox (run_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE runtime_job_outbox`);
  }
}
