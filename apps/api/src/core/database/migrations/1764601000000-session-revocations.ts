import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Access tokens name their session (the refresh-token family, claim `sid`), and every request
 * checks that session in the same cached query as the user's state. When a session is revoked
 * (logout, refresh-token reuse, password change or reset, disable), this trigger tells every API
 * instance at commit (`session:<family id>` on integrixs_access), and they drop what they cached
 * for it.
 */
export class SessionRevocations1764601000000 implements MigrationInterface {
  name = 'SessionRevocations1764601000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_notify_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('integrixs_access', 'session:' || NEW.family_id);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER refresh_tokens_notify_access AFTER UPDATE OF revoked_at ON refresh_tokens
        FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
        EXECUTE FUNCTION integrixs_notify_session_revoked()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER refresh_tokens_notify_access ON refresh_tokens');
    await db.query('DROP FUNCTION integrixs_notify_session_revoked()');
  }
}
