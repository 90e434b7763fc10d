import { type EntityManager } from 'typeorm';

/**
 * Runs raw SQL and returns its rows, whatever the statement (TypeORM's `manager.query` returns
 * `[rows, count]` for UPDATE/DELETE but plain rows otherwise). Uses the manager's transaction when
 * it has one.
 */
export async function queryRows<T>(
  m: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return result.records as T[];
  } finally {
    if (!m.queryRunner) await runner.release();
  }
}
