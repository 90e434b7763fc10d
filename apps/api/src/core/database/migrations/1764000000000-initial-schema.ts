import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The asset model (PRODUCT.md › Persistence): packages, the class-table asset registry with one
 * detail table per asset type, immutable versions, the dependency graph and the audit log.
 * Only features PostgreSQL 15 has (gen_random_uuid, generated columns, GIN).
 */
/** Optimistic-locking version and audit stamps, on every table users edit. */
const AUDIT_COLUMNS = `
        version    integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_by text NOT NULL`;

/** Full-text vector over name (weight A), tags (B) and description (C), GIN-indexed. */
const SEARCH_COLUMN = `search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', name), 'A') ||
          setweight(to_tsvector('simple', integrixs_tags_text(tags)), 'B') ||
          setweight(to_tsvector('simple', description), 'C')) STORED`;

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    // Arrays → text for search vectors; array_to_string is only STABLE, generated columns need IMMUTABLE.
    await db.query(`
      CREATE FUNCTION integrixs_tags_text(tags text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN array_to_string(tags, ' ')`);

    await db.query(`
      CREATE TABLE integration_packages (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        description text NOT NULL DEFAULT '',
        tags        text[] NOT NULL DEFAULT '{}',
        owner       text,
        ${AUDIT_COLUMNS},
        deleted_at  timestamptz,
        ${SEARCH_COLUMN}
      )`);
    await db.query(
      `CREATE UNIQUE INDEX integration_packages_live_name ON integration_packages (lower(name)) WHERE deleted_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX integration_packages_name_order ON integration_packages (lower(name), id)`,
    );
    await db.query(
      `CREATE INDEX integration_packages_created_order ON integration_packages (created_at, id)`,
    );
    await db.query(
      `CREATE INDEX integration_packages_updated_order ON integration_packages (updated_at, id)`,
    );
    await db.query(
      `CREATE INDEX integration_packages_search ON integration_packages USING gin (search)`,
    );
    await db.query(
      `CREATE INDEX integration_packages_tags ON integration_packages USING gin (tags)`,
    );

    await db.query(`
      CREATE TABLE package_assets (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        package_id      uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        type            text NOT NULL CHECK (type IN ('SCHEMA', 'ADAPTER', 'MAPPING', 'FLOW')),
        name            text NOT NULL,
        description     text NOT NULL DEFAULT '',
        tags            text[] NOT NULL DEFAULT '{}',
        status          text NOT NULL DEFAULT 'DRAFT'
                          CHECK (status IN ('DRAFT', 'READY', 'DEPLOYED', 'SUSPENDED', 'ARCHIVED')),
        current_version integer NOT NULL DEFAULT 0,
        ${AUDIT_COLUMNS},
        deleted_at      timestamptz,
        ${SEARCH_COLUMN}
      )`);
    await db.query(
      `CREATE UNIQUE INDEX package_assets_live_name ON package_assets (package_id, type, lower(name)) WHERE deleted_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX package_assets_by_package ON package_assets (package_id, type, status) WHERE deleted_at IS NULL`,
    );
    await db.query(`CREATE INDEX package_assets_name_order ON package_assets (lower(name), id)`);
    await db.query(`CREATE INDEX package_assets_created_order ON package_assets (created_at, id)`);
    await db.query(
      `CREATE INDEX package_assets_updated_order ON package_assets (package_id, updated_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX package_assets_search ON package_assets USING gin (search)`);
    await db.query(`CREATE INDEX package_assets_tags ON package_assets USING gin (tags)`);

    // Detail tables: one row per asset of that type, sharing the asset's id (1:1, cascades with it).
    await db.query(`
      CREATE TABLE package_schemas (
        asset_id         uuid PRIMARY KEY REFERENCES package_assets (id) ON DELETE CASCADE,
        schema_type      text NOT NULL DEFAULT 'XSD' CHECK (schema_type IN ('XSD', 'WSDL', 'JSON_SCHEMA')),
        target_namespace text
      )`);
    await db.query(`
      CREATE TABLE package_adapters (
        asset_id      uuid PRIMARY KEY REFERENCES package_assets (id) ON DELETE CASCADE,
        adapter_type  text NOT NULL DEFAULT 'HTTP'
                        CHECK (adapter_type IN ('FILE', 'SFTP', 'FTP', 'EMAIL_SMTP', 'EMAIL_IMAP', 'HTTP', 'SOAP')),
        direction     text NOT NULL DEFAULT 'OUTBOUND' CHECK (direction IN ('INBOUND', 'OUTBOUND'))
      )`);
    await db.query(`
      CREATE TABLE package_mappings (
        asset_id         uuid PRIMARY KEY REFERENCES package_assets (id) ON DELETE CASCADE,
        source_schema_id uuid REFERENCES package_assets (id) ON DELETE SET NULL,
        target_schema_id uuid REFERENCES package_assets (id) ON DELETE SET NULL
      )`);
    await db.query(`
      CREATE TABLE package_flows (
        asset_id         uuid PRIMARY KEY REFERENCES package_assets (id) ON DELETE CASCADE,
        deployed_version integer
      )`);

    await db.query(`
      CREATE TABLE asset_versions (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id       uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        version_number integer NOT NULL CHECK (version_number > 0),
        content        jsonb NOT NULL,
        content_hash   text NOT NULL,
        message        text NOT NULL DEFAULT '',
        created_at     timestamptz NOT NULL DEFAULT now(),
        created_by     text NOT NULL,
        UNIQUE (asset_id, version_number)
      )`);
    // Versions are immutable: rows may be added, or removed with their asset, never changed.
    await db.query(`
      CREATE FUNCTION integrixs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER asset_versions_immutable BEFORE UPDATE ON asset_versions
        FOR EACH ROW EXECUTE FUNCTION integrixs_refuse_change()`);

    await db.query(`
      CREATE TABLE package_asset_dependencies (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_asset_id  uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        to_asset_id    uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        kind           text NOT NULL,
        pinned_version integer CHECK (pinned_version IS NULL OR pinned_version > 0),
        ${AUDIT_COLUMNS},
        CHECK (from_asset_id <> to_asset_id),
        UNIQUE (from_asset_id, to_asset_id, kind)
      )`);
    await db.query(
      `CREATE INDEX package_asset_dependencies_to ON package_asset_dependencies (to_asset_id)`,
    );

    // No foreign keys: the audit trail outlives what it describes (a purged package keeps its history).
    await db.query(`
      CREATE TABLE audit_log (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor       text NOT NULL,
        action      text NOT NULL,
        entity_type text NOT NULL,
        entity_id   uuid,
        package_id  uuid,
        changes     jsonb NOT NULL DEFAULT '{}',
        request_id  text
      )`);
    await db.query(`CREATE INDEX audit_log_occurred ON audit_log (occurred_at, id)`);
    await db.query(`CREATE INDEX audit_log_package ON audit_log (package_id, occurred_at)`);
    await db.query(`CREATE INDEX audit_log_entity ON audit_log (entity_id, occurred_at)`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION integrixs_refuse_change()`);

    await db.query(`
      CREATE TABLE app_settings (
        key        text PRIMARY KEY,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'app_settings',
      'audit_log',
      'package_asset_dependencies',
      'asset_versions',
      'package_flows',
      'package_mappings',
      'package_adapters',
      'package_schemas',
      'package_assets',
      'integration_packages',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION integrixs_refuse_change()`);
    await db.query(`DROP FUNCTION integrixs_tags_text(text[])`);
  }
}
