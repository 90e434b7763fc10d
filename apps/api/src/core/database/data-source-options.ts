import { type Logger } from 'pino';
import { type DataSourceOptions } from 'typeorm';

import { type AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { TypeOrmPinoLogger } from './typeorm-pino-logger';

export type DatabaseSettings = Pick<
  AppConfig,
  'databasePoolSize' | 'databaseConnectTimeoutMs' | 'databaseStatementTimeoutMs'
>;

/**
 * TypeORM connection options for a database URL. Never `synchronize`: the schema comes only
 * from migrations. Short connect timeouts make requests fail fast (503) while PostgreSQL is down.
 */
export function dataSourceOptions(
  url: string,
  settings: DatabaseSettings,
  logger?: Logger,
  /** The pool's node-postgres client class (the API's: one that prepares marked statements). */
  client?: unknown,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    // gen_random_uuid() is built into PostgreSQL ≥ 13: never try CREATE EXTENSION (needs privileges).
    installExtensions: false,
    applicationName: 'integrixs',
    poolSize: settings.databasePoolSize,
    connectTimeoutMS: settings.databaseConnectTimeoutMs,
    extra: {
      ...(client ? { Client: client } : {}),
      statement_timeout: settings.databaseStatementTimeoutMs || undefined,
      idle_in_transaction_session_timeout: 60000,
      idleTimeoutMillis: 30000,
    },
    logging: ['error', 'warn', 'migration'],
    maxQueryExecutionTime: 1000,
    ...(logger ? { logger: new TypeOrmPinoLogger(logger) } : {}),
  };
}
