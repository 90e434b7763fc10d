import { type LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

import { type LogLevel } from '../config/app-config';

/** Structured JSON logs on stdout; every request line carries its request id (`reqId`). */
export function createRootLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'integrixs-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret'],
      censor: '[redacted]',
    },
  });
}

/** Nest's own messages (module init, route mapping) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
