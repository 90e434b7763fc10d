import { DataSource, type MigrationInterface } from 'typeorm';

import { dataSourceOptions } from './data-source-options';
import { MIGRATIONS } from './migrations';
import { migrateQueueSchema } from './queue-schema';

/** Arbitrary key for pg_advisory_lock: one instance migrates at a time when several start at once. */
const MIGRATION_LOCK = 0x1e7e_57a7;

type MigrationClass = new () => MigrationInterface;

/** A short-lived connection to `url` that knows `migrations`, holding the migration lock. */
async function withMigrationLock<T>(
  url: string,
  migrations: readonly MigrationClass[],
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource({
    ...dataSourceOptions(url, {
      databasePoolSize: 2,
      databaseConnectTimeoutMs: 10000,
      databaseStatementTimeoutMs: 0,
    }),
    migrations: [...migrations],
    logging: ['error'],
  });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work(dataSource);
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}

/**
 * Brings the database at `url` to the latest schema (or to the last of `migrations`). Returns
 * the names of the migrations applied. Migrating to the latest also installs or upgrades the job
 * queue's own schema (the runtime's queue library keeps it; see libs/runtime).
 */
export async function migrateDatabase(
  url: string,
  migrations: readonly MigrationClass[] = MIGRATIONS,
): Promise<string[]> {
  return withMigrationLock(url, migrations, async (dataSource) => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (migrations === MIGRATIONS) await migrateQueueSchema(url);
    return applied.map((m) => m.name);
  });
}

/**
 * Undoes the newest `steps` applied migrations, newest first, each with its `down()` in its own
 * transaction. Returns the names of the migrations undone.
 */
export async function revertMigrations(url: string, steps = 1): Promise<string[]> {
  return withMigrationLock(url, MIGRATIONS, async (dataSource) => {
    const undone: string[] = [];
    for (let i = 0; i < steps; i++) {
      const [last] = await dataSource.query<{ name: string }[]>(
        'SELECT name FROM migrations ORDER BY id DESC LIMIT 1',
      );
      if (!last) break;
      await dataSource.undoLastMigration({ transaction: 'each' });
      undone.push(last.name);
    }
    return undone;
  });
}
