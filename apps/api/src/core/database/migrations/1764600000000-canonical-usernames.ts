import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The form usernames are compared in, as of this migration (kept here, not imported, so the
 * migration stays what it was when it shipped): NFKC, trimmed, lower-cased, NFKC again.
 */
function canonical(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/**
 * Usernames get one canonical form, stored and unique (`users.username_canonical`): sign-in looks
 * users up by it alone, so no other spelling of a name (PostgreSQL's `lower()` under some
 * collation, a fullwidth or dotted variant) reaches an account with a budget of attempts of its
 * own. Existing rows are filled here; two existing users whose names collide stop the migration
 * with their names, for an administrator to rename one of them (nothing is merged silently).
 */
export class CanonicalUsernames1764600000000 implements MigrationInterface {
  name = 'CanonicalUsernames1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE users ADD COLUMN username_canonical text');
    const users = (await db.query('SELECT id, username FROM users ORDER BY created_at, id')) as {
      id: string;
      username: string;
    }[];
    const owners = new Map<string, string>();
    const collisions: string[] = [];
    for (const user of users) {
      const form = canonical(user.username);
      const first = owners.get(form);
      if (first !== undefined) collisions.push(`"${first}" and "${user.username}" (${form})`);
      else owners.set(form, user.username);
    }
    if (collisions.length > 0) {
      throw new Error(
        `usernames that are the same name spelled differently: ${collisions.join(', ')}; ` +
          'rename one of each pair (UPDATE users SET username = ...) and start again',
      );
    }
    await db.query(
      `UPDATE users u SET username_canonical = v.canonical
         FROM unnest($1::uuid[], $2::text[]) AS v (id, canonical) WHERE u.id = v.id`,
      [users.map((u) => u.id), users.map((u) => canonical(u.username))],
    );
    await db.query('ALTER TABLE users ALTER COLUMN username_canonical SET NOT NULL');
    await db.query('CREATE UNIQUE INDEX users_username_canonical ON users (username_canonical)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX users_username_canonical');
    await db.query('ALTER TABLE users DROP COLUMN username_canonical');
  }
}
