import 'reflect-metadata';

import { createApp } from './bootstrap';
import { ConfigError, loadConfig, type AppConfig } from './core/config/app-config';
import { resolveKeys } from './core/crypto/keys';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './core/database/embedded-postgres';
import { migrateDatabase } from './core/database/migrator';
import { createRootLogger } from './core/logging/logger';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = resolveKeys(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createRootLogger(config.logLevel);

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (databaseUrl === undefined) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort,
      logger,
    });
    databaseUrl = embedded.url;
  }

  const applied = await migrateDatabase(databaseUrl);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  const app = await createApp(config, databaseUrl, logger);
  await app.listen({ port: config.port, host: config.host });

  const scheme = config.tlsCertFile ? 'https' : 'http';
  const url = `${scheme}://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  logger.info({ url }, 'Integrixs is running');
  process.stdout.write(
    `\n  Integrixs is running: ${url}  (API ${url}/api, Swagger ${url}/api/docs)\n\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Integrixs failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
