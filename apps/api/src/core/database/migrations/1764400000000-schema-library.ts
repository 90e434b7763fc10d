import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The schema library resolves imports and `$ref`s between library schemas by the main file's
 * `targetNamespace` (XSD, WSDL) or `$id` (JSON Schema): one indexed lookup per reference.
 */
export class SchemaLibrary1764400000000 implements MigrationInterface {
  name = 'SchemaLibrary1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX package_schemas_target_namespace ON package_schemas (target_namespace)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX package_schemas_target_namespace`);
  }
}
