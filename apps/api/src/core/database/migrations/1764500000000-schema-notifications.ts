import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tells every API instance, at commit, when a schema's current version or liveness changes, or
 * when the imports between schemas do: instances cache "which version is current and what it
 * imports" for payload validation and drop it on these notifications (LISTEN integrixs_schemas).
 */
export class SchemaNotifications1764500000000 implements MigrationInterface {
  name = 'SchemaNotifications1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_notify_schemas() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('integrixs_schemas', '');
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER package_assets_notify_schemas
        AFTER UPDATE OF current_version, deleted_at ON package_assets
        FOR EACH ROW WHEN (NEW.type = 'SCHEMA') EXECUTE FUNCTION integrixs_notify_schemas()`);
    await db.query(`
      CREATE TRIGGER package_assets_notify_schemas_deleted
        AFTER DELETE ON package_assets
        FOR EACH ROW WHEN (OLD.type = 'SCHEMA') EXECUTE FUNCTION integrixs_notify_schemas()`);
    await db.query(`
      CREATE TRIGGER package_asset_dependencies_notify_schemas
        AFTER INSERT OR UPDATE OR DELETE ON package_asset_dependencies
        FOR EACH STATEMENT EXECUTE FUNCTION integrixs_notify_schemas()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP TRIGGER package_asset_dependencies_notify_schemas ON package_asset_dependencies`,
    );
    await db.query(`DROP TRIGGER package_assets_notify_schemas_deleted ON package_assets`);
    await db.query(`DROP TRIGGER package_assets_notify_schemas ON package_assets`);
    await db.query(`DROP FUNCTION integrixs_notify_schemas()`);
  }
}
