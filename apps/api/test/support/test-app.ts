import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type InjectOptions, type Response as InjectResponse } from 'light-my-request';

import { createApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig, type LogLevel } from '../../src/core/config/app-config';
import { createRootLogger } from '../../src/core/logging/logger';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly db: TestDatabase;
  readonly config: AppConfig;
  /** In-process HTTP request (no socket): fast, and exercises the full Fastify + Nest stack. */
  request(options: InjectOptions): Promise<InjectResponse>;
  /** Listens on a free localhost port and returns its base URL (for real clients: fetch, a browser). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  /** Use this database instead of a fresh clone (e.g. a server the test restarts). */
  databaseUrl?: string;
}

/** The real application on its own fresh database, configured for tests (quiet logs, no demo). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config: AppConfig = {
    ...loadConfig({
      NODE_ENV: 'test',
      INTEGRIXS_SEED_DEMO: 'false',
      INTEGRIXS_WEB_DIST: '/nonexistent',
    }),
    logLevel: (process.env['TEST_LOG_LEVEL'] as LogLevel | undefined) ?? 'silent',
    ...options.config,
  };
  const app = await createApp(
    config,
    options.databaseUrl ?? db.url,
    createRootLogger(config.logLevel),
  );
  return {
    app,
    db,
    config,
    request: (requestOptions) => app.inject(requestOptions),
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Parses a JSON response body with a type for the test's convenience. */
export function json<T = Record<string, unknown>>(response: InjectResponse): T {
  return JSON.parse(response.body) as T;
}
