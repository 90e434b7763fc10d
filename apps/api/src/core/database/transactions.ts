import { type DataSource, type EntityManager } from 'typeorm';

import { isRetryableConflict } from './database-errors';

/**
 * Runs `work` in one transaction and, when PostgreSQL aborts it as a deadlock victim or for a
 * serialization failure, runs the whole transaction once more: the competing transaction has
 * usually finished by then. A second failure is thrown (the API answers 409 conflict_retry).
 *
 * Services use it for their own top-level transactions; `work` must touch nothing but the
 * database through `m` (it may run twice; only the last run commits).
 */
export async function runInTransaction<T>(
  db: DataSource,
  work: (m: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (!isRetryableConflict(error)) throw error;
    return db.transaction(work);
  }
}
