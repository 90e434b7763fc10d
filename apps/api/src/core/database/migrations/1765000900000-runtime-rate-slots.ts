import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A message held back by its flow's rate limit keeps the start it was given
 * (`runtime_messages.rate_slot_at`): it runs at that time without asking the limiter again, so a
 * backlog behind a low limit wakes each message once instead of every waiting message at every
 * free start (libs/runtime/src/lib/rate-limit.ts). Cleared when the message starts.
 */
export class RuntimeRateSlots1765000900000 implements MigrationInterface {
  name = 'RuntimeRateSlots1765000900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runtime_messages ADD COLUMN rate_slot_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runtime_messages DROP COLUMN rate_slot_at`);
  }
}
