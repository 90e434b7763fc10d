import { DataSource } from 'typeorm';

import { dataSourceOptions } from './data-source-options';

/** Arbitrary key for pg_advisory_lock: one instance migrates at a time when several start at once. */
const MIGRATION_LOCK = 0x1e7e_57a7;

/** Brings the database at `url` to the latest schema. Returns the names of the migrations applied. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const dataSource = new DataSource({
    ...dataSourceOptions(url, {
      databasePoolSize: 2,
      databaseConnectTimeoutMs: 10000,
      databaseStatementTimeoutMs: 0,
    }),
    logging: ['error'],
  });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
