import { Logger, runMigrations } from 'graphile-worker';

/** graphile-worker logs each of its migrations; the API's migrator reports what it applied itself. */
const silent = new Logger(() => () => undefined);

/**
 * Creates or upgrades the queue library's own schema (`graphile_worker`) at `connectionString`.
 * The migrator runs it after the application's migrations, so the API (which enqueues inbound
 * messages) and every worker (libs/runtime) find the queue ready. Idempotent; errors still throw.
 */
export async function migrateQueueSchema(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: silent });
}
