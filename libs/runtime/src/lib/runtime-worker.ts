import { hostname } from 'node:os';

import { Pool } from 'pg';

import { type TargetPolicy } from '@integrixs/adapters';

import { DeploymentAssetLoader } from './deployment-assets';
import { RuntimeEngines, type EngineOptions } from './engines';
import { ExecutionChanges } from './execution-changes';
import { type JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { runMessage, type ExecutorContext } from './message-executor';
import { startNatsJobs } from './nats-transport';
import { inTransaction } from './pg-transaction';
import { PreparingClient } from './prepared-statements';
import { combineObservers, type RuntimeObserver } from './runtime-observer';
import { DEFAULT_RUNTIME_SETTINGS, type RuntimeSettings } from './runtime-settings';
import {
  graphileTracking,
  jobQueueFor,
  type JobTracking,
  type MessageJobRunner,
  type RuntimeTransport,
} from './runtime-transport';
import { SecretBox } from './secret-box';
import { startTriggerScheduler, type TriggerScheduler } from './triggers';

/** Where the worker reports (a pino logger fits). */
export interface RuntimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RuntimeWorkerOptions {
  /** PostgreSQL: a URL (the worker opens its own pool) or a pool the caller owns. */
  databaseUrl?: string;
  pool?: Pool;
  /** Base64 AES-256 key(s) that open adapter secrets (INTEGRIXS_ENCRYPTION_KEY and retired ones). */
  encryptionKey?: string;
  retiredEncryptionKeys?: readonly string[];
  settings?: Partial<RuntimeSettings>;
  engines?: EngineOptions;
  /** Outbound targets adapters may reach (as the API's INTEGRIXS_OUTBOUND_* settings). */
  policy?: TargetPolicy;
  observers?: readonly RuntimeObserver[];
  logger?: RuntimeLogger;
  /**
   * Where jobs travel (readRuntimeTransport: RUNTIME_TRANSPORT, RUNTIME_NATS_URL): graphile-worker
   * in PostgreSQL by default, or NATS JetStream through the outbox (nats-transport.ts).
   */
  transport?: RuntimeTransport;
  /** Overrides the job queue (retries enqueue through it); the transport's by default. */
  queue?: JobQueue;
  /**
   * Poll and schedule triggers (triggers/): on by default — each deployment's source is led by
   * one worker at a time (advisory lock). `workerId` names this worker's file claims and must be
   * stable across restarts (default: the host name, or RUNTIME_WORKER_NAME in the hosts).
   * false: this worker only runs messages.
   */
  triggers?: false | { workerId?: string; tickMs?: number };
}

/** A running worker: `stop()` drains it (no new jobs, in-flight messages finish) and closes it. */
export interface RuntimeWorker {
  /**
   * graphile-worker's pool id (a `nats-…` id of its own with the NATS transport): the id on
   * runtime_workers and on the messages it runs. A new one after the job runner is recycled
   * (job-runner.ts).
   */
  readonly id: string;
  readonly settings: RuntimeSettings;
  /** Runs the sweeper once now (tests; it also runs every `settings.sweepMs`). */
  sweep(): Promise<SweepResult>;
  stop(): Promise<void>;
}

export interface SweepResult {
  /** Workers whose heartbeat was stale: their jobs were unlocked. */
  deadWorkers: string[];
  /** Parked messages of resumed (or undeployed) flows enqueued again. */
  unparked: number;
  /** Waiting messages that had no job (a lost job, a dead worker's RUNNING message): enqueued. */
  orphans: number;
}

const silentLogger: RuntimeLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Starts a flow runtime worker: graphile-worker runs RUN_MESSAGE_TASK jobs (at most
 * `workerConcurrency` at once; each flow at most `flowConcurrency` across all workers, through
 * its lanes), a heartbeat keeps this worker's runtime_workers row fresh, and a sweeper (on every
 * worker; idempotent) unlocks the jobs of workers whose heartbeat is stale, re-enqueues parked
 * messages of resumed flows and waiting messages that lost their job. Messages run on their own
 * deployment's pinned assets (message-executor.ts).
 */
export async function startRuntimeWorker(options: RuntimeWorkerOptions): Promise<RuntimeWorker> {
  const settings: RuntimeSettings = { ...DEFAULT_RUNTIME_SETTINGS, ...options.settings };
  const logger = options.logger ?? silentLogger;
  const ownsPool = !options.pool;
  const pool =
    options.pool ??
    new Pool({
      connectionString: options.databaseUrl,
      // The per-message statements are parsed and planned once per connection.
      Client: PreparingClient,
      // Each running message uses one connection at a time; graphile-worker a few more.
      max: settings.workerConcurrency + 4,
    });
  if (ownsPool) {
    // A connection that fails (PostgreSQL restarting) is logged and replaced, never fatal.
    const lost = (error: Error) => logger.warn({ err: error }, 'database connection failed');
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
  }
  const box = options.encryptionKey
    ? new SecretBox(options.encryptionKey, options.retiredEncryptionKeys ?? [])
    : null;
  const engines = new RuntimeEngines(options.engines);
  const transport = options.transport ?? { kind: 'postgres' };
  const queue = options.queue ?? jobQueueFor(transport, { lanes: settings.flowConcurrency });
  const assets = new DeploymentAssetLoader(pool, box);
  // Live execution lists: a few coalesced NOTIFYs a second, whatever the message rate.
  const changes = new ExecutionChanges(pool, { logger });
  const observer = combineObservers([...(options.observers ?? []), changes]);

  const base: Omit<ExecutorContext, 'workerId'> = {
    pool,
    queue,
    assets,
    engines,
    observer,
    settings,
    policy: options.policy,
  };
  const beat = (workerId: string) =>
    pool.query(
      `INSERT INTO runtime_workers (id, host, pid, concurrency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [workerId, hostname(), process.pid, settings.workerConcurrency],
    );
  const run = (messageId: string, workerId: string) => runMessage({ ...base, workerId }, messageId);
  let jobs: { runner: MessageJobRunner; tracking: JobTracking } | undefined;
  try {
    jobs =
      transport.kind === 'nats'
        ? await startNatsJobs({
            url: transport.url,
            pool,
            concurrency: settings.workerConcurrency,
            ackWaitMs: settings.staleAfterMs,
            workingMs: Math.min(settings.heartbeatMs, settings.staleAfterMs / 3),
            pollMs: settings.pollMs,
            logger,
            runMessage: run,
          })
        : {
            runner: new JobRunner({
              pool,
              concurrency: settings.workerConcurrency,
              pollMs: settings.pollMs,
              jobBatchSize: settings.jobBatchSize,
              completeBatchMs: settings.completeBatchMs,
              logger,
              drainMs: settings.stepTimeoutMs,
              runMessage: run,
              register: beat,
            }),
            tracking: graphileTracking,
          };
    // An id known before the start (NATS) is registered first: live before it claims a message.
    if (jobs.runner.id) await beat(jobs.runner.id);
    await jobs.runner.start();
  } catch (error) {
    await jobs?.runner.stop().catch(() => undefined);
    await engines.close();
    if (ownsPool) await pool.end();
    throw error;
  }
  const { runner, tracking } = jobs;
  const id = runner.id;

  await beat(id);
  const sweep = () => sweepOnce(pool, queue, settings, tracking);
  let stopping = false;
  const heartbeat = setInterval(() => {
    // A recycle retires the old id and registers the new one itself.
    if (runner.isRecycling) return;
    beat(runner.id).catch((error: unknown) =>
      logger.warn({ err: error }, 'runtime heartbeat failed'),
    );
  }, settings.heartbeatMs);
  const sweeper = setInterval(() => {
    if (stopping) return;
    sweep()
      .then((result) => {
        if (result.deadWorkers.length > 0 || result.unparked > 0 || result.orphans > 0)
          logger.info({ ...result }, 'runtime sweeper re-enqueued work');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'runtime sweep failed'));
    // Jobs this worker holds but no longer runs (a completion lost with the database): recycle.
    runner
      .check(settings.staleAfterMs)
      .catch((error: unknown) => logger.warn({ err: error }, 'runtime job check failed'));
  }, settings.sweepMs);
  heartbeat.unref();
  sweeper.unref();
  const triggers: TriggerScheduler | undefined =
    options.triggers === false
      ? undefined
      : startTriggerScheduler({
          pool,
          loader: assets,
          workerId: options.triggers?.workerId ?? hostname(),
          tickMs: options.triggers?.tickMs,
          policy: options.policy,
          queue,
          maxPayloadBytes: options.engines?.maxPayloadBytes,
          logger,
          observer,
        });
  logger.info({ workerId: id, concurrency: settings.workerConcurrency }, 'runtime worker started');

  return {
    get id() {
      return runner.id;
    },
    settings,
    sweep,
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(sweeper);
      // No new messages from triggers (running polls finish, locks go to another worker) …
      await triggers?.stop();
      // … and no new jobs: the jobs running finish (and their messages are recorded).
      await runner.stop();
      await changes.stop();
      clearInterval(heartbeat);
      await pool
        .query(`DELETE FROM runtime_workers WHERE id = $1`, [runner.id])
        .catch(() => undefined);
      await engines.close();
      if (ownsPool) await pool.end();
      logger.info({ workerId: id }, 'runtime worker stopped');
    },
  };
}

/**
 * One pass of the sweeper, safe to run on every worker at once:
 * 1. workers whose heartbeat is older than `staleAfterMs` are dead: their rows go and
 *    graphile_worker.force_unlock_workers frees their jobs (run again at once: their RUNNING
 *    messages are claimed again by whoever takes the job; with NATS, JetStream redelivers them
 *    after their ack wait);
 * 2. parked messages whose flow is no longer SUSPENDED are enqueued again (the executor runs
 *    them, or cancels them when the flow was undeployed);
 * 3. waiting messages without any job (QUEUED/RETRYING, or RUNNING on a dead worker) are
 *    enqueued again — a guard for jobs lost by hand or by the library's own give-up. "Without
 *    a job" is `tracking`'s: no graphile job (or an exhausted one); with NATS no outbox row and
 *    no job in the stream (asked only for the candidates; when NATS cannot answer, none is
 *    taken for an orphan this time).
 */
export async function sweepOnce(
  pool: Pool,
  queue: JobQueue,
  settings: Pick<RuntimeSettings, 'staleAfterMs'>,
  tracking: JobTracking = graphileTracking,
): Promise<SweepResult> {
  return inTransaction(pool, async (client) => {
    const { rows: dead } = await client.query<{ id: string }>(
      `DELETE FROM runtime_workers
        WHERE heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)
        RETURNING id`,
      [settings.staleAfterMs],
    );
    if (dead.length > 0)
      await tracking.releaseDead(
        client,
        dead.map((d) => d.id),
      );
    const { rows: unparked } = await client.query<{ id: string; flow_id: string }>(
      `UPDATE runtime_messages m SET parked_at = NULL
        WHERE m.id IN (
          SELECT id FROM runtime_messages p
           WHERE p.parked_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM flow_deployments d
                              WHERE d.flow_id = p.flow_id AND d.environment_id = p.environment_id
                                AND d.state = 'SUSPENDED')
           ORDER BY p.parked_at LIMIT 500 FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.flow_id`,
    );
    for (const row of unparked)
      await queue.enqueue(client, { messageId: row.id, flowId: row.flow_id });
    const { rows: orphans } = await client.query<{ id: string; flow_id: string }>(
      `SELECT m.id, m.flow_id FROM runtime_messages m
        WHERE m.status IN ('QUEUED', 'RETRYING', 'RUNNING') AND m.parked_at IS NULL
          AND m.received_at < now() - interval '5 seconds'
          AND (m.status <> 'RUNNING' OR m.worker_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM runtime_workers w WHERE w.id = m.worker_id))
          AND NOT ${tracking.queuedSql}
        ORDER BY m.received_at LIMIT 500
        FOR UPDATE OF m SKIP LOCKED`,
    );
    const held =
      orphans.length > 0 && tracking.heldByBroker
        ? await tracking.heldByBroker(orphans.map((o) => o.id)).catch(() => null)
        : new Set<string>();
    const lost = held ? orphans.filter((o) => !held.has(o.id)) : [];
    for (const row of lost) await queue.enqueue(client, { messageId: row.id, flowId: row.flow_id });
    return {
      deadWorkers: dead.map((d) => d.id),
      unparked: unparked.length,
      orphans: lost.length,
    };
  });
}

/**
 * The trigger options a host reads from its environment: RUNTIME_TRIGGERS=off (this process
 * only runs messages) and RUNTIME_WORKER_NAME (a stable name for its file claims when several
 * workers share a host; the host name otherwise).
 */
export function triggerOptionsFromEnv(
  env: Record<string, string | undefined>,
): RuntimeWorkerOptions['triggers'] {
  if (env['RUNTIME_TRIGGERS']?.trim().toLowerCase() === 'off') return false;
  const name = env['RUNTIME_WORKER_NAME']?.trim();
  return name ? { workerId: name } : {};
}
