import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Retention: the audit log stays append-only, except for the scheduled cleanup, which says so
 * in its own transaction (SET LOCAL integrixs.audit_retention = 'on'); expired refresh tokens
 * get an index to be found by.
 */
export class Retention1764621000000 implements MigrationInterface {
  name = 'Retention1764621000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('integrixs.audit_retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`DROP TRIGGER audit_log_append_only ON audit_log`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION integrixs_audit_append_only()`);
    await db.query(`CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX refresh_tokens_expires`);
    await db.query(`DROP TRIGGER audit_log_append_only ON audit_log`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION integrixs_refuse_change()`);
    await db.query(`DROP FUNCTION integrixs_audit_append_only()`);
  }
}
