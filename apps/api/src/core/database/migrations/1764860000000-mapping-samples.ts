import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The mapping model of issue 11:
 *
 * - `package_mappings.kind` (JSONATA | XSLT) and `warnings` (the current version's compile
 *   warnings: source fields the source schema does not have). The schemas stay dependency edges.
 * - `mapping_samples`: named sample payloads of a mapping (input, optional expected output), not
 *   versioned with the mapping's content; names unique per mapping (case-insensitive).
 *
 * down() drops the samples and the two columns.
 */
export class MappingSamples1764860000000 implements MigrationInterface {
  name = 'MappingSamples1764860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE package_mappings
        ADD COLUMN kind text NOT NULL DEFAULT 'JSONATA' CHECK (kind IN ('JSONATA', 'XSLT')),
        ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await db.query(`
      CREATE TABLE mapping_samples (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id         uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        input            text NOT NULL,
        expected_output  text,
        version          integer NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        created_by       text NOT NULL,
        updated_by       text NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX mapping_samples_name_unique ON mapping_samples (asset_id, lower(name))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mapping_samples`);
    await db.query(`ALTER TABLE package_mappings DROP COLUMN warnings, DROP COLUMN kind`);
  }
}
