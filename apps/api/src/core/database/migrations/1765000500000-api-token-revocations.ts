import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Open live-event sockets authenticated with an API token end when the token does (issue 14):
 * revoking it, deleting it or moving its expiry tells every API instance at commit
 * (`token:<id>` on integrixs_access, next to `user:` and `session:`), and the events gateway
 * closes the token's sockets. The access cache ignores the message (it caches no token state).
 */
export class ApiTokenRevocations1765000500000 implements MigrationInterface {
  name = 'ApiTokenRevocations1765000500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_notify_api_token_ended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('integrixs_access', 'token:' || OLD.id);
        ELSE
          PERFORM pg_notify('integrixs_access', 'token:' || NEW.id);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER api_tokens_notify_access AFTER UPDATE OF revoked_at, expires_at ON api_tokens
        FOR EACH ROW WHEN (
          OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
          OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
        EXECUTE FUNCTION integrixs_notify_api_token_ended()`);
    await db.query(`
      CREATE TRIGGER api_tokens_notify_access_deleted AFTER DELETE ON api_tokens
        FOR EACH ROW EXECUTE FUNCTION integrixs_notify_api_token_ended()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER api_tokens_notify_access_deleted ON api_tokens');
    await db.query('DROP TRIGGER api_tokens_notify_access ON api_tokens');
    await db.query('DROP FUNCTION integrixs_notify_api_token_ended()');
  }
}
