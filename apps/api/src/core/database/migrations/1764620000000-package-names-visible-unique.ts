import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Package names are unique among the packages a caller can see, not across the installation: a
 * global unique index let anyone learn that an invisible package exists by trying its name (a
 * 409 where GET answers 404). The service checks the name under an advisory lock on it; this
 * index keeps that check fast.
 */
export class PackageNamesVisibleUnique1764620000000 implements MigrationInterface {
  name = 'PackageNamesVisibleUnique1764620000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX integration_packages_live_name`);
    await db.query(
      `CREATE INDEX integration_packages_live_name ON integration_packages (lower(name)) WHERE deleted_at IS NULL`,
    );
  }

  /** Fails when two live packages share a name (rename one first): nothing is dropped silently. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX integration_packages_live_name`);
    await db.query(
      `CREATE UNIQUE INDEX integration_packages_live_name ON integration_packages (lower(name)) WHERE deleted_at IS NULL`,
    );
  }
}
