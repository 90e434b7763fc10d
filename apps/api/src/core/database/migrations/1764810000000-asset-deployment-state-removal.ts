import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Takes out of the data model what the flows and mapping issues would otherwise have to undo:
 *
 * - Asset-level `DEPLOYED` / `SUSPENDED`: deployment state is per environment and lives in the
 *   deployments of the flows issue, not on the asset. An asset still in one of them becomes
 *   `READY`: it was finished enough to be deployed (or was deployed and then paused), so READY
 *   is the truthful asset-level status; DRAFT would claim unfinished work, ARCHIVED retirement.
 *   Each such change is written to the audit log (actor "system"), since no subscriber sees it.
 * - `package_flows.deployed_version`: per-environment too; the deployment pins versions itself.
 * - `package_mappings.source_schema_id` / `target_schema_id`: a mapping's schemas are dependency
 *   edges (`MAPPING_SOURCE_SCHEMA`, `MAPPING_TARGET_SCHEMA`); any value set is kept as an edge.
 *
 * down() restores the columns and the five-status constraint. It cannot tell which READY assets
 * were DEPLOYED or SUSPENDED before (statuses stay READY) nor which deployed version a flow had
 * (null); the mapping columns are filled back from the edges, which stay.
 */
export class AssetDeploymentStateRemoval1764810000000 implements MigrationInterface {
  name = 'AssetDeploymentStateRemoval1764810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      WITH moved AS (
        UPDATE package_assets a SET status = 'READY'
          FROM (SELECT id, status FROM package_assets WHERE status IN ('DEPLOYED', 'SUSPENDED')) old
         WHERE a.id = old.id
        RETURNING a.id, a.package_id, old.status AS before
      )
      INSERT INTO audit_log (actor, action, entity_type, entity_id, package_id, changes)
      SELECT 'system', 'UPDATE', 'asset', id, package_id,
             jsonb_build_object('status', jsonb_build_object('before', before, 'after', 'READY'))
        FROM moved`);
    // Counter rows of the two statuses are all zero now; nothing will ever count them again.
    await db.query(
      `DELETE FROM package_asset_counts WHERE status IN ('DEPLOYED', 'SUSPENDED') AND live = 0`,
    );
    await db.query(`ALTER TABLE package_assets DROP CONSTRAINT package_assets_status_check`);
    await db.query(`
      ALTER TABLE package_assets ADD CONSTRAINT package_assets_status_check
        CHECK (status IN ('DRAFT', 'READY', 'ARCHIVED'))`);

    await db.query(`ALTER TABLE package_flows DROP COLUMN deployed_version`);

    for (const [column, kind] of MAPPING_COLUMNS) {
      await db.query(`
        INSERT INTO package_asset_dependencies
               (from_asset_id, to_asset_id, kind, package_id, created_by, updated_by)
        SELECT m.asset_id, m.${column}, '${kind}', a.package_id, 'system', 'system'
          FROM package_mappings m JOIN package_assets a ON a.id = m.asset_id
         WHERE m.${column} IS NOT NULL AND m.${column} <> m.asset_id
        ON CONFLICT (from_asset_id, to_asset_id, kind) DO NOTHING`);
      await db.query(`ALTER TABLE package_mappings DROP COLUMN ${column}`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [column, kind] of [...MAPPING_COLUMNS].reverse()) {
      await db.query(`
        ALTER TABLE package_mappings
          ADD COLUMN ${column} uuid REFERENCES package_assets (id) ON DELETE SET NULL`);
      await db.query(`
        UPDATE package_mappings m SET ${column} = d.to_asset_id
          FROM (SELECT DISTINCT ON (from_asset_id) from_asset_id, to_asset_id
                  FROM package_asset_dependencies WHERE kind = '${kind}'
                 ORDER BY from_asset_id, created_at, to_asset_id) d
         WHERE d.from_asset_id = m.asset_id`);
    }
    await db.query(`ALTER TABLE package_flows ADD COLUMN deployed_version integer`);
    await db.query(`ALTER TABLE package_assets DROP CONSTRAINT package_assets_status_check`);
    await db.query(`
      ALTER TABLE package_assets ADD CONSTRAINT package_assets_status_check
        CHECK (status IN ('DRAFT', 'READY', 'DEPLOYED', 'SUSPENDED', 'ARCHIVED'))`);
  }
}

const MAPPING_COLUMNS = [
  ['source_schema_id', 'MAPPING_SOURCE_SCHEMA'],
  ['target_schema_id', 'MAPPING_TARGET_SCHEMA'],
] as const;
