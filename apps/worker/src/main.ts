import pino from 'pino';

import {
  startRuntimeWorker,
  startWorkerObservability,
  triggerOptionsFromEnv,
} from '@integrixs/runtime';

import { readWorkerConfig, WorkerConfigError } from './worker-config';

/**
 * The flow runtime's worker process: runs the messages of every active deployment (on each
 * message's pinned assets) from the PostgreSQL job queue (or NATS JetStream with
 * RUNTIME_TRANSPORT=nats). Start as many as the load needs:
 *
 *   DATABASE_URL=postgres://… INTEGRIXS_ENCRYPTION_KEY=… node dist/apps/worker/apps/worker/src/main.js
 *
 * SIGTERM / SIGINT drain it: no new jobs, messages in flight finish, then exit 0.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = readWorkerConfig();
  } catch (error) {
    if (error instanceof WorkerConfigError) {
      process.stderr.write(`Integrixs worker failed to start: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { component: 'runtime-worker' } });
  // graphile-worker can leave a rejected completion unawaited when PostgreSQL restarts under it
  // (docs/decisions.md, job queue): log it; the job is re-run from our own tables.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection (kept running)'),
  );
  // Runtime metrics on RUNTIME_METRICS_PORT (when set) and OTLP traces (when configured).
  const observability = await startWorkerObservability();
  const worker = await startRuntimeWorker({
    databaseUrl: config.databaseUrl,
    encryptionKey: config.encryptionKey,
    retiredEncryptionKeys: config.retiredEncryptionKeys,
    settings: config.settings,
    transport: config.transport,
    engines: config.engines,
    policy: config.policy,
    observers: observability.observers,
    triggers: triggerOptionsFromEnv(process.env),
    logger,
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'draining: finishing messages in flight');
      worker
        .stop()
        .then(() => observability.stop())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'worker stop failed');
            process.exit(1);
          },
        );
    });
  process.stdout.write(`Integrixs worker ${worker.id} is running\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Integrixs worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
