import { type MigrationInterface, type QueryRunner } from 'typeorm';

const AUDIT_COLUMNS = `
        version    integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_by text NOT NULL`;

const ROLE_CHECK = `CHECK (role IN ('ADMINISTRATOR', 'DEVELOPER', 'INTEGRATOR', 'VIEWER'))`;

/**
 * Identity and access: users (argon2id hashes, TOTP MFA), refresh-token families (rotation and
 * reuse detection), MFA recovery codes, scoped API tokens, package membership, login throttling,
 * and asset locks.
 */
export class Identity1764200000000 implements MigrationInterface {
  name = 'Identity1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username             text NOT NULL,
        display_name         text NOT NULL DEFAULT '',
        email                text,
        password_hash        text NOT NULL,
        role                 text NOT NULL ${ROLE_CHECK},
        disabled_at          timestamptz,
        sessions_valid_after timestamptz NOT NULL DEFAULT now(),
        password_changed_at  timestamptz NOT NULL DEFAULT now(),
        mfa_secret           text,
        mfa_enabled_at       timestamptz,
        mfa_last_step        bigint,
        last_login_at        timestamptz,
        ${AUDIT_COLUMNS}
      )`);
    await db.query('CREATE UNIQUE INDEX users_username ON users (lower(username))');
    await db.query(
      'CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL',
    );

    await db.query(`
      CREATE TABLE refresh_tokens (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id      uuid NOT NULL,
        token_hash     text NOT NULL UNIQUE,
        mfa_at         timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        expires_at     timestamptz NOT NULL,
        family_expires_at timestamptz NOT NULL,
        used_at        timestamptz,
        revoked_at     timestamptz,
        revoked_reason text,
        user_agent     text,
        ip             text
      )`);
    await db.query('CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)');
    await db.query(
      'CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL',
    );

    await db.query(`
      CREATE TABLE mfa_recovery_codes (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash  text NOT NULL,
        used_at    timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id)');

    await db.query(`
      CREATE TABLE api_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name         text NOT NULL,
        token_hash   text NOT NULL UNIQUE,
        token_hint   text NOT NULL,
        permissions  text[] NOT NULL,
        package_ids  uuid[],
        expires_at   timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at   timestamptz,
        ${AUDIT_COLUMNS}
      )`);
    await db.query(
      'CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (user_id, lower(name)) WHERE revoked_at IS NULL',
    );

    await db.query(`
      CREATE TABLE package_members (
        package_id uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role       text NOT NULL ${ROLE_CHECK},
        ${AUDIT_COLUMNS},
        PRIMARY KEY (package_id, user_id)
      )`);
    await db.query('CREATE INDEX package_members_user ON package_members (user_id)');

    // Failed logins and MFA codes per key ("user:alice", "ip:10.0.0.1", "mfa:<id>").
    await db.query(`
      CREATE TABLE login_throttle (
        key               text PRIMARY KEY,
        failures          integer NOT NULL,
        last_failure_at   timestamptz NOT NULL,
        locked_until      timestamptz
      )`);

    await db.query(`ALTER TABLE package_assets
      ADD COLUMN locked_by uuid REFERENCES users (id) ON DELETE SET NULL,
      ADD COLUMN locked_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE package_assets DROP COLUMN locked_by, DROP COLUMN locked_at');
    for (const table of [
      'login_throttle',
      'package_members',
      'api_tokens',
      'mfa_recovery_codes',
      'refresh_tokens',
      'users',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
