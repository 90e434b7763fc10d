import { type Logger as PinoLogger } from 'pino';
import { type Logger as TypeOrmLogger } from 'typeorm';

/** TypeORM's messages as structured JSON through the app's pino logger (never raw console). */
export class TypeOrmPinoLogger implements TypeOrmLogger {
  private readonly pino: PinoLogger;

  constructor(logger: PinoLogger) {
    this.pino = logger.child({ component: 'typeorm' });
  }

  logQuery(query: string, parameters?: unknown[]): void {
    this.pino.trace({ query, parameters }, 'query');
  }

  logQueryError(error: string | Error, query: string): void {
    // Parameters are left out: they can hold user data.
    this.pino.debug({ err: error, query }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.pino.warn({ ms: time, query }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.pino.debug(message);
  }

  logMigration(message: string): void {
    this.pino.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.pino[level === 'warn' ? 'warn' : 'info'](String(message));
  }
}
