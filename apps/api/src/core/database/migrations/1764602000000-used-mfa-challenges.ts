import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * MFA challenges (the 5-minute token between the password and the second factor) are single
 * use: the one that completed a sign-in is recorded by its `jti` until it expires, and a second
 * use — sequential or concurrent — finds it here (INSERT ... ON CONFLICT DO NOTHING).
 */
export class UsedMfaChallenges1764602000000 implements MigrationInterface {
  name = 'UsedMfaChallenges1764602000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mfa_challenges_used (
        jti        uuid PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        used_at    timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query('CREATE INDEX mfa_challenges_used_expires ON mfa_challenges_used (expires_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE mfa_challenges_used');
  }
}
