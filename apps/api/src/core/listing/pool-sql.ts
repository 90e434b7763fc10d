import { type Pool } from 'pg';
import { type DataSource } from 'typeorm';

import { type RunSql } from './keyset-page';

/**
 * Runs one read straight on the `pg` pool TypeORM holds: no query runner, no entity metadata,
 * no result wrapping. For the hot read paths only (lists, counts, summaries), which are single
 * statements outside any transaction; writes go through TypeORM so the audit subscriber sees
 * them. A named statement (`statement`) is prepared on each pooled connection the first time it
 * runs there and executed by name afterwards, so PostgreSQL parses it once and may keep its plan.
 * Errors are `pg`'s own: the problem mapper classifies them by SQLSTATE and message, as it
 * does the driver errors TypeORM wraps.
 */
export function poolSql(db: DataSource): RunSql {
  return async <X>(sql: string, params: unknown[], statement?: string): Promise<X[]> => {
    const pool = (db.driver as unknown as { master?: Pool }).master;
    if (!pool) return db.query<X[]>(sql, params);
    const result = statement
      ? await pool.query({ name: statement, text: sql, values: params })
      : await pool.query(sql, params);
    return result.rows as X[];
  };
}
