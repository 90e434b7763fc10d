import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Live updates (issue 14): every API instance hears, at commit, when an asset or a package
 * changes, and forwards it to the console sessions that may read the package (apps/api/src/events).
 * The payload is JSON of ids and small scalars only (never names or content): clients read the
 * rest through the API with its access rules.
 *
 * - `integrixs_assets`: `{ op, packageId, assetId, assetType, version, currentVersion, status }`
 *   with op `created` (insert), `deleted` (soft delete or delete), `restored`, `status` (status
 *   changed) or `updated` (anything else that moves `version`, `current_version` or `status`).
 * - `integrixs_packages`: `{ op, packageId, version }`, op `created`, `updated`, `deleted`,
 *   `restored`.
 * Updates that change nothing a client shows (a lock, the search column) are not announced.
 */
export class LiveEventNotifications1765000400000 implements MigrationInterface {
  name = 'LiveEventNotifications1765000400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_notify_asset_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row package_assets;
        op text;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          row := OLD; op := 'deleted';
        ELSIF TG_OP = 'INSERT' THEN
          row := NEW; op := 'created';
        ELSE
          row := NEW;
          IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN op := 'deleted';
          ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN op := 'restored';
          ELSIF OLD.status IS DISTINCT FROM NEW.status THEN op := 'status';
          ELSE op := 'updated';
          END IF;
        END IF;
        PERFORM pg_notify('integrixs_assets', json_build_object(
          'op', op, 'packageId', row.package_id, 'assetId', row.id, 'assetType', row.type,
          'version', row.version, 'currentVersion', row.current_version,
          'status', row.status)::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER package_assets_notify_events AFTER INSERT OR DELETE ON package_assets
        FOR EACH ROW EXECUTE FUNCTION integrixs_notify_asset_event()`);
    await db.query(`
      CREATE TRIGGER package_assets_notify_event_updates AFTER UPDATE ON package_assets
        FOR EACH ROW WHEN (
          OLD.version IS DISTINCT FROM NEW.version
          OR OLD.current_version IS DISTINCT FROM NEW.current_version
          OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
        EXECUTE FUNCTION integrixs_notify_asset_event()`);

    await db.query(`
      CREATE FUNCTION integrixs_notify_package_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row integration_packages;
        op text;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          row := OLD; op := 'deleted';
        ELSIF TG_OP = 'INSERT' THEN
          row := NEW; op := 'created';
        ELSE
          row := NEW;
          IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN op := 'deleted';
          ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN op := 'restored';
          ELSE op := 'updated';
          END IF;
        END IF;
        PERFORM pg_notify('integrixs_packages', json_build_object(
          'op', op, 'packageId', row.id, 'version', row.version)::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER integration_packages_notify_events AFTER INSERT OR DELETE ON integration_packages
        FOR EACH ROW EXECUTE FUNCTION integrixs_notify_package_event()`);
    await db.query(`
      CREATE TRIGGER integration_packages_notify_event_updates AFTER UPDATE ON integration_packages
        FOR EACH ROW WHEN (
          OLD.version IS DISTINCT FROM NEW.version
          OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
        EXECUTE FUNCTION integrixs_notify_package_event()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP TRIGGER integration_packages_notify_event_updates ON integration_packages',
    );
    await db.query('DROP TRIGGER integration_packages_notify_events ON integration_packages');
    await db.query('DROP FUNCTION integrixs_notify_package_event()');
    await db.query('DROP TRIGGER package_assets_notify_event_updates ON package_assets');
    await db.query('DROP TRIGGER package_assets_notify_events ON package_assets');
    await db.query('DROP FUNCTION integrixs_notify_asset_event()');
  }
}
