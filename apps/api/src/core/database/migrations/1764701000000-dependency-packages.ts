import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every dependency row carries the package of the asset it starts from (`package_id`), so the
 * audit log files edge changes under their package and a package's graph is one index scan.
 * A composite foreign key to (package_assets.id, package_id) keeps it right: it follows the
 * asset when the asset moves (ON UPDATE CASCADE) and cannot name another package.
 */
export class DependencyPackages1764701000000 implements MigrationInterface {
  name = 'DependencyPackages1764701000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE package_asset_dependencies ADD COLUMN package_id uuid`);
    await db.query(`
      UPDATE package_asset_dependencies d SET package_id = a.package_id
        FROM package_assets a WHERE a.id = d.from_asset_id`);
    await db.query(`ALTER TABLE package_asset_dependencies ALTER COLUMN package_id SET NOT NULL`);
    await db.query(
      `ALTER TABLE package_assets ADD CONSTRAINT package_assets_id_package UNIQUE (id, package_id)`,
    );
    await db.query(`
      ALTER TABLE package_asset_dependencies
        ADD CONSTRAINT package_asset_dependencies_from_package_fkey
        FOREIGN KEY (from_asset_id, package_id) REFERENCES package_assets (id, package_id)
        ON UPDATE CASCADE ON DELETE CASCADE`);
    await db.query(
      `CREATE INDEX package_asset_dependencies_package ON package_asset_dependencies (package_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX package_asset_dependencies_package`);
    await db.query(
      `ALTER TABLE package_asset_dependencies DROP CONSTRAINT package_asset_dependencies_from_package_fkey`,
    );
    await db.query(`ALTER TABLE package_assets DROP CONSTRAINT package_assets_id_package`);
    await db.query(`ALTER TABLE package_asset_dependencies DROP COLUMN package_id`);
  }
}
