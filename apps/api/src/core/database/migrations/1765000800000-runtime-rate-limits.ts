import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Per-flow rate limits (issue 13): `runtime_rate_limits` holds one row per flow and environment
 * whose source has a `rateLimit`: the GCRA's theoretical arrival time (`tat`) of the next
 * message. Every worker takes a start from it with one atomic upsert
 * (libs/runtime/src/lib/rate-limit.ts), so the limit holds across the cluster. A row is created
 * by the first limited message and goes with its flow or environment.
 */
export class RuntimeRateLimits1765000800000 implements MigrationInterface {
  name = 'RuntimeRateLimits1765000800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE runtime_rate_limits (
        flow_id         uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id  uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        tat             timestamptz NOT NULL,
        PRIMARY KEY (flow_id, environment_id)
      )`);
    await db.query(
      `CREATE INDEX runtime_rate_limits_environment ON runtime_rate_limits (environment_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE runtime_rate_limits`);
  }
}
