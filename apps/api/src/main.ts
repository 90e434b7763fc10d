import 'reflect-metadata';

import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Logger } from 'pino';

import {
  otelObserverFromEnv,
  readRuntimeSettings,
  RuntimeSettingsError,
  startRuntimeWorker,
  triggerOptionsFromEnv,
  type RuntimeObserver,
  type RuntimeWorker,
} from '@integrixs/runtime';

import { createApp } from './bootstrap';
import { ConfigError, loadConfig, type AppConfig } from './core/config/app-config';
import { resolveKeys } from './core/crypto/keys';
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from './core/database/embedded-postgres';
import { migrateDatabase } from './core/database/migrator';
import { createRootLogger } from './core/logging/logger';
import { RuntimeMetricsRegistration } from './runtime-monitoring/runtime-metrics.registration';

/** How long a shutdown waits for requests in flight before it stops anyway. */
const DRAIN_TIMEOUT_MS = 30_000;

/** A start failure whose message says it all (no stack trace); the exit code tells scripts why. */
class StartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function fail(message: string, exitCode: number): never {
  process.stderr.write(`Integrixs failed to start: ${message}\n`);
  process.exit(exitCode);
}

async function listen(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new StartError(
        `port ${config.port} on ${config.host} is in use by another program: stop it or set PORT to a free port`,
        78,
      );
    throw error;
  }
}

/**
 * Ctrl-C / SIGTERM: stop accepting connections, let requests in flight finish (up to
 * DRAIN_TIMEOUT_MS), close the application (database pool, workers), stop the embedded
 * PostgreSQL once, exit 0. Further signals during the shutdown are only logged.
 */
function stopOnSignals(
  app: NestFastifyApplication,
  embedded: EmbeddedDatabase | undefined,
  logger: Logger,
  /** The in-process worker, still starting when a signal may already come. */
  worker: Promise<RuntimeWorker | undefined>,
  flushTraces: () => Promise<void> | undefined,
): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down; waiting for requests in flight');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    let timer: NodeJS.Timeout | undefined;
    // Fastify's close: no new connections, requests in flight answered (typed `any` by Nest).
    const closing = app.getHttpAdapter().close() as Promise<void>;
    const drained = await Promise.race([
      closing.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!drained) logger.warn(`requests still in flight after ${DRAIN_TIMEOUT_MS} ms; stopping`);
    // The in-process runtime worker drains too: messages in flight finish, no new ones start.
    await (await worker.catch(() => undefined))?.stop();
    await flushTraces();
    await app.close();
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

/**
 * One flow runtime worker in this process (issue 13), so `npm start` processes messages with no
 * extra step; RUNTIME_WORKER=off leaves running messages to separate worker processes
 * (apps/worker). Same database, keys, outbound policy and RUNTIME_* settings as a worker process.
 * Its messages feed this API's /metrics (`observers`) and, when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set, the OTLP trace exporter.
 */
async function startInProcessWorker(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
  observers: RuntimeObserver[],
): Promise<RuntimeWorker | undefined> {
  if (process.env['RUNTIME_WORKER']?.trim().toLowerCase() === 'off') return undefined;
  let settings;
  try {
    settings = readRuntimeSettings(process.env);
  } catch (error) {
    if (error instanceof RuntimeSettingsError) throw new StartError(error.message, 78);
    throw error;
  }
  // graphile-worker can leave a rejected completion unawaited when PostgreSQL restarts under it
  // (docs/decisions.md, job queue): logged, never the end of the API process hosting the worker.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection (kept running)'),
  );
  return startRuntimeWorker({
    databaseUrl,
    encryptionKey: config.encryptionKey,
    retiredEncryptionKeys: config.retiredEncryptionKeys,
    settings,
    transport: config.runtimeTransport,
    engines: {
      schemaWorkers: config.schemaWorkers,
      schemaValidationTimeoutMs: config.schemaValidationTimeoutMs,
      mappingWorkers: config.mappingWorkers,
      mappingTimeoutMs: config.mappingTimeoutMs,
      mappingMaxMemoryMb: config.mappingMaxMemoryMb,
      maxPayloadBytes: config.bodyLimitBytes,
    },
    policy: {
      allow: [...config.outboundAllow],
      deny: [...config.outboundDeny],
      allowLoopback: config.outboundAllowLoopback,
    },
    observers,
    triggers: triggerOptionsFromEnv(process.env),
    logger: logger.child({ component: 'runtime-worker' }),
  });
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = resolveKeys(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 78); // EX_CONFIG
    throw error;
  }
  const logger = createRootLogger(config.logLevel);

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  try {
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
    await listen(app, config);
    const tracer = otelObserverFromEnv();
    const observers = [app.get(RuntimeMetricsRegistration).observer, ...(tracer ? [tracer] : [])];
    // Signals are handled from the moment the server answers (Ctrl-C while the worker starts
    // still stops PostgreSQL cleanly).
    const worker = startInProcessWorker(config, databaseUrl, logger, observers);
    stopOnSignals(app, embedded, logger, worker, () => tracer?.shutdown());
    await worker;
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  const scheme = config.tlsCertFile ? 'https' : 'http';
  const url = `${scheme}://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  logger.info({ url }, 'Integrixs is running');
  process.stdout.write(
    `\n  Integrixs is running: ${url}  (API ${url}/api, Swagger ${url}/api/docs)\n\n`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof EmbeddedPostgresError || error instanceof StartError)
    fail(error.message, error.exitCode);
  fail(error instanceof Error ? (error.stack ?? error.message) : `unexpected ${String(error)}`, 1);
});
