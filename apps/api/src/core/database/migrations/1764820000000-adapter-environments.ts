import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The adapter model of issue 10 and the environments it is configured for:
 *
 * - `package_adapters`: adapter types FILE|SFTP|FTP|EMAIL|HTTP|SOAP (EMAIL_SMTP and EMAIL_IMAP
 *   become EMAIL: one configuration holds both halves) and directions SOURCE|TARGET|BOTH
 *   (INBOUND → SOURCE, OUTBOUND → TARGET).
 * - `environments`: DEV, TEST and PROD seeded (PROD protected); administrators add more.
 * - `adapter_environment_overlays`: the per-environment values merged over an adapter's base
 *   configuration (not versioned; audited by the service).
 * - `adapter_secrets`: one sealed value per adapter, environment (NULL: the base configuration's)
 *   and JSON pointer; the row id is bound into the ciphertext (SecretBox associated data).
 * - `adapter_connection_tests`: the last connection test per adapter and environment.
 *
 * down() maps EMAIL back to EMAIL_SMTP (which half an adapter used is not recorded) and BOTH to
 * TARGET, and drops the new tables (their secrets are gone with them).
 */
export class AdapterEnvironments1764820000000 implements MigrationInterface {
  name = 'AdapterEnvironments1764820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE package_adapters DROP CONSTRAINT package_adapters_adapter_type_check`,
    );
    await db.query(`ALTER TABLE package_adapters DROP CONSTRAINT package_adapters_direction_check`);
    await db.query(`
      UPDATE package_adapters
         SET adapter_type = CASE WHEN adapter_type IN ('EMAIL_SMTP', 'EMAIL_IMAP') THEN 'EMAIL'
                                 ELSE adapter_type END,
             direction = CASE direction WHEN 'INBOUND' THEN 'SOURCE' ELSE 'TARGET' END`);
    await db.query(`
      ALTER TABLE package_adapters
        ADD CONSTRAINT package_adapters_adapter_type_check
          CHECK (adapter_type IN ('FILE', 'SFTP', 'FTP', 'EMAIL', 'HTTP', 'SOAP')),
        ADD CONSTRAINT package_adapters_direction_check
          CHECK (direction IN ('SOURCE', 'TARGET', 'BOTH')),
        ALTER COLUMN direction SET DEFAULT 'TARGET'`);

    await db.query(`
      CREATE TABLE environments (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]{0,31}$'),
        name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        protected   boolean NOT NULL DEFAULT false,
        position    integer NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text NOT NULL DEFAULT 'system'
      )`);
    await db.query(`
      INSERT INTO environments (code, name, protected, position) VALUES
        ('DEV', 'Development', false, 10),
        ('TEST', 'Test', false, 20),
        ('PROD', 'Production', true, 30)`);

    await db.query(`
      CREATE TABLE adapter_environment_overlays (
        asset_id        uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id  uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        "values"        jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        updated_by      text NOT NULL,
        PRIMARY KEY (asset_id, environment_id)
      )`);
    await db.query(`
      CREATE TABLE adapter_secrets (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id        uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id  uuid REFERENCES environments (id) ON DELETE CASCADE,
        pointer         text NOT NULL CHECK (pointer ~ '^(/[A-Za-z0-9]+)+$'),
        value           text NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        updated_by      text NOT NULL
      )`);
    // One value per slot; NULL (the base configuration) counts as one environment.
    await db.query(`
      CREATE UNIQUE INDEX adapter_secrets_slot ON adapter_secrets
        (asset_id, COALESCE(environment_id, '00000000-0000-0000-0000-000000000000'::uuid), pointer)`);
    await db.query(`
      CREATE TABLE adapter_connection_tests (
        asset_id        uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id  uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        ok              boolean NOT NULL,
        steps           jsonb NOT NULL,
        tested_at       timestamptz NOT NULL DEFAULT now(),
        tested_by       text NOT NULL,
        PRIMARY KEY (asset_id, environment_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'adapter_connection_tests',
      'adapter_secrets',
      'adapter_environment_overlays',
      'environments',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(
      `ALTER TABLE package_adapters DROP CONSTRAINT package_adapters_adapter_type_check`,
    );
    await db.query(`ALTER TABLE package_adapters DROP CONSTRAINT package_adapters_direction_check`);
    await db.query(`
      UPDATE package_adapters
         SET adapter_type = CASE adapter_type WHEN 'EMAIL' THEN 'EMAIL_SMTP' ELSE adapter_type END,
             direction = CASE direction WHEN 'SOURCE' THEN 'INBOUND' ELSE 'OUTBOUND' END`);
    await db.query(`
      ALTER TABLE package_adapters
        ADD CONSTRAINT package_adapters_adapter_type_check
          CHECK (adapter_type IN ('FILE', 'SFTP', 'FTP', 'EMAIL_SMTP', 'EMAIL_IMAP', 'HTTP', 'SOAP')),
        ADD CONSTRAINT package_adapters_direction_check CHECK (direction IN ('INBOUND', 'OUTBOUND')),
        ALTER COLUMN direction SET DEFAULT 'OUTBOUND'`);
  }
}
