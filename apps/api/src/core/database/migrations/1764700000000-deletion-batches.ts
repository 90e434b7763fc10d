import { type MigrationInterface, type QueryRunner } from 'typeorm';

const SOFT_DELETABLE = ['integration_packages', 'package_assets'];

/**
 * Who deleted a row (`deleted_by`, set with `deleted_at`), and which deletion it belongs to
 * (`deletion_batch`): a package and the assets deleted with it share one batch id, so restoring
 * the package restores exactly those, not whatever else has the same `deleted_at`. Rows deleted
 * before this migration are matched the old way, by timestamp, once.
 */
export class DeletionBatches1764700000000 implements MigrationInterface {
  name = 'DeletionBatches1764700000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of SOFT_DELETABLE) {
      await db.query(
        `ALTER TABLE ${table} ADD COLUMN deleted_by text, ADD COLUMN deletion_batch uuid`,
      );
      // The last writer of a deleted row is the best record of who deleted it.
      await db.query(`UPDATE ${table} SET deleted_by = updated_by WHERE deleted_at IS NOT NULL`);
    }
    await db.query(
      `UPDATE integration_packages SET deletion_batch = gen_random_uuid() WHERE deleted_at IS NOT NULL`,
    );
    await db.query(`
      UPDATE package_assets a SET deletion_batch = p.deletion_batch
        FROM integration_packages p
       WHERE a.package_id = p.id AND p.deleted_at IS NOT NULL AND a.deleted_at = p.deleted_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...SOFT_DELETABLE].reverse()) {
      await db.query(`ALTER TABLE ${table} DROP COLUMN deletion_batch, DROP COLUMN deleted_by`);
    }
  }
}
