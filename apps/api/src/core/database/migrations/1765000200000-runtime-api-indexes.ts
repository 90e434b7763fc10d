import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes the runtime's API reads by (issue 13, apps/api/src/runtime):
 * - `runtime_messages_source_ref`: executions searched by their source reference (a file name,
 *   a mail uid, a request id) within a package, exactly or by prefix;
 * - `runtime_dead_letters_by_package`: a package's dead letters of every status, newest first
 *   (the foundation's indexes cover open ones, and one flow's).
 */
export class RuntimeApiIndexes1765000200000 implements MigrationInterface {
  name = 'RuntimeApiIndexes1765000200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX runtime_messages_source_ref ON runtime_messages
         (package_id, source_ref text_pattern_ops) WHERE source_ref IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX runtime_dead_letters_by_package ON runtime_dead_letters
         (package_id, created_at DESC, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX runtime_dead_letters_by_package`);
    await db.query(`DROP INDEX runtime_messages_source_ref`);
  }
}
