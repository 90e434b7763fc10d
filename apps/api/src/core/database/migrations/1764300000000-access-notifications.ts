import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tells every API instance, at commit, when something an authorization decision depends on
 * changes: a user (role, disabled, sessions, MFA), a package membership, or a package's
 * existence. Instances cache "who is this user, what is their role in this package" and drop the
 * affected entries on these notifications (LISTEN integrixs_access).
 */
export class AccessNotifications1764300000000 implements MigrationInterface {
  name = 'AccessNotifications1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_notify_access() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row record;
      BEGIN
        IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
        IF TG_TABLE_NAME = 'users' THEN
          PERFORM pg_notify('integrixs_access', 'user:' || row.id);
        ELSIF TG_TABLE_NAME = 'package_members' THEN
          PERFORM pg_notify('integrixs_access', 'member:' || row.package_id || ':' || row.user_id);
        ELSE
          PERFORM pg_notify('integrixs_access', 'package:' || row.id);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_notify_access AFTER UPDATE OR DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION integrixs_notify_access()`);
    await db.query(`
      CREATE TRIGGER package_members_notify_access AFTER INSERT OR UPDATE OR DELETE ON package_members
        FOR EACH ROW EXECUTE FUNCTION integrixs_notify_access()`);
    await db.query(`
      CREATE TRIGGER integration_packages_notify_access AFTER UPDATE OF deleted_at OR DELETE ON integration_packages
        FOR EACH ROW EXECUTE FUNCTION integrixs_notify_access()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER integration_packages_notify_access ON integration_packages');
    await db.query('DROP TRIGGER package_members_notify_access ON package_members');
    await db.query('DROP TRIGGER users_notify_access ON users');
    await db.query('DROP FUNCTION integrixs_notify_access()');
  }
}
