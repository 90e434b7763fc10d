import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';

/** A user id as actors are stored (created_by, updated_by, audit_log.actor are text). */
const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * SQL for the username of the actor in `column` (a fully qualified text column holding a user
 * id, or `system`), null when it is not a user or the user is gone. One primary-key lookup per
 * row, inside the statement that reads the rows (use it where only the page's rows are left:
 * after LIMIT, or in a list's `extra` columns); the CASE keeps `system` from being cast.
 */
export function actorNameSql(column: string): string {
  return `(SELECT actor_user.username FROM users actor_user
            WHERE actor_user.id = CASE WHEN ${column} ~ '${UUID_PATTERN}' THEN ${column}::uuid END)`;
}

/** The username of one actor (a single view read from an entity), or null. */
export async function actorName(m: EntityManager, actor: string): Promise<string | null> {
  const [row] = await queryRows<{ name: string | null }>(
    m,
    `SELECT ${actorNameSql('$1::text')} AS name`,
    [actor],
  );
  return row?.name ?? null;
}
