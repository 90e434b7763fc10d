import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Flows get a shape (issue 12): `package_flows.problems` holds the graph problems of the flow's
 * current version as saved (an invalid draft may be saved; it cannot become READY). Existing
 * flows start with none recorded: their content is checked again on their next save and by
 * GET …/validation. down() drops the column.
 */
export class FlowProblems1764870000000 implements MigrationInterface {
  name = 'FlowProblems1764870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE package_flows ADD COLUMN problems jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE package_flows DROP COLUMN problems`);
  }
}
