import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Schema imports across packages are pinned (issue 8): each SCHEMA_IMPORT edge records the
 * namespace / $id it satisfies (so later saves keep that choice), edges into another package get
 * `pinned_version`, and what an imported schema imports in turn is recorded as `transitive`
 * edges of the importing schema (pinned the same way), so a read never follows another
 * package's current state.
 *
 * Existing edges are pinned to the version that is current now: the version the author saw
 * cannot be reconstructed, and this is what readers were already shown.
 */
export class SchemaImportPins1764610000000 implements MigrationInterface {
  name = 'SchemaImportPins1764610000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE package_asset_dependencies
        ADD COLUMN namespace text,
        ADD COLUMN transitive boolean NOT NULL DEFAULT false`);
    await db.query(`
      UPDATE package_asset_dependencies d SET namespace = s.target_namespace
        FROM package_schemas s
       WHERE d.kind = 'SCHEMA_IMPORT' AND s.asset_id = d.to_asset_id`);
    // What cross-package imports reach through the imported schemas, as transitive edges.
    await db.query(`
      WITH RECURSIVE reach(root, id) AS (
        SELECT d.from_asset_id, d.to_asset_id
          FROM package_asset_dependencies d
          JOIN package_assets f ON f.id = d.from_asset_id
          JOIN package_assets t ON t.id = d.to_asset_id
         WHERE d.kind = 'SCHEMA_IMPORT' AND f.package_id <> t.package_id
        UNION
        SELECT reach.root, d.to_asset_id
          FROM reach JOIN package_asset_dependencies d
            ON d.from_asset_id = reach.id AND d.kind = 'SCHEMA_IMPORT'
      )
      INSERT INTO package_asset_dependencies
        (from_asset_id, to_asset_id, kind, namespace, transitive, created_by, updated_by)
      SELECT DISTINCT reach.root, reach.id, 'SCHEMA_IMPORT', s.target_namespace, true, 'system', 'system'
        FROM reach JOIN package_schemas s ON s.asset_id = reach.id
       WHERE reach.id <> reach.root
      ON CONFLICT (from_asset_id, to_asset_id, kind) DO NOTHING`);
    await db.query(`
      UPDATE package_asset_dependencies d SET pinned_version = t.current_version
        FROM package_assets f, package_assets t
       WHERE d.kind = 'SCHEMA_IMPORT' AND d.pinned_version IS NULL
         AND f.id = d.from_asset_id AND t.id = d.to_asset_id AND f.package_id <> t.package_id`);
  }

  /** Back to "imports follow the current version": pins, choices and transitive edges go. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM package_asset_dependencies WHERE transitive`);
    await db.query(
      `UPDATE package_asset_dependencies SET pinned_version = NULL WHERE kind = 'SCHEMA_IMPORT'`,
    );
    await db.query(`
      ALTER TABLE package_asset_dependencies
        DROP COLUMN transitive,
        DROP COLUMN namespace`);
  }
}
