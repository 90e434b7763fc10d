import { createGraphileJobQueue, type JobQueue } from './job-queue';
import { RuntimeSettingsError } from './runtime-settings';
import { type SqlClient } from './runtime-types';

/**
 * Where message jobs travel between whatever enqueues (API, triggers, retries, the sweeper) and
 * the workers: `postgres` (default) is graphile-worker's queue in the application database;
 * `nats` a JetStream work-queue stream fed through a transactional outbox (nats-transport.ts,
 * docs/decisions.md). Read from RUNTIME_TRANSPORT and RUNTIME_NATS_URL by readRuntimeTransport,
 * the one place both the worker and the API read them.
 */
export type RuntimeTransport = { kind: 'postgres' } | { kind: 'nats'; url: string };

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The channel an outbox enqueue notifies at commit: the relays wake up and publish. */
export const OUTBOX_CHANNEL = 'integrixs_job_outbox';

/** Reads RUNTIME_TRANSPORT (postgres | nats) and RUNTIME_NATS_URL; throws RuntimeSettingsError. */
export function readRuntimeTransport(
  env: Record<string, string | undefined> = process.env,
): RuntimeTransport {
  const kind = env['RUNTIME_TRANSPORT']?.trim().toLowerCase() || 'postgres';
  if (kind === 'postgres') return { kind: 'postgres' };
  if (kind !== 'nats')
    throw new RuntimeSettingsError([
      `RUNTIME_TRANSPORT must be "postgres" or "nats", got "${env['RUNTIME_TRANSPORT']}"`,
    ]);
  const url = env['RUNTIME_NATS_URL']?.trim() || DEFAULT_NATS_URL;
  const servers = url.split(',').map((s) => s.trim());
  if (!servers.every((s) => /^(nats|tls|ws|wss):\/\/[^\s/]+\/?$/.test(s)))
    throw new RuntimeSettingsError([
      `RUNTIME_NATS_URL must be one or more comma-separated nats://host:port URLs, got "${url}"`,
    ]);
  return { kind: 'nats', url };
}

/**
 * The outbox queue of the NATS transport: the job is an outbox row written in the caller's
 * transaction (so it exists exactly when the message row commits) and a NOTIFY delivered at
 * commit. A second enqueue of a waiting message replaces its run time (as graphile-worker's job
 * key does) and takes a new `seq`: a new publish id, so a retry is never dropped as a duplicate.
 */
export const outboxJobQueue: JobQueue = {
  async enqueue(client, job) {
    await client.query(
      `WITH queued AS (
         INSERT INTO runtime_job_outbox (message_id, run_at) VALUES ($1, COALESCE($2, now()))
         ON CONFLICT (message_id) DO UPDATE SET run_at = EXCLUDED.run_at, seq = EXCLUDED.seq
         RETURNING 1)
       SELECT pg_notify($3, '') FROM queued`,
      [job.messageId, job.runAt ?? null, OUTBOX_CHANNEL],
    );
  },
  /** Several rows in one statement (the last job of a message wins, as with one each). */
  async enqueueMany(client, jobs) {
    const last = new Map(jobs.map((job) => [job.messageId, job.runAt ?? null]));
    await client.query(
      `WITH queued AS (
         INSERT INTO runtime_job_outbox (message_id, run_at)
         SELECT id, COALESCE(run_at, now()) FROM unnest($1::uuid[], $2::timestamptz[]) AS j(id, run_at)
         ON CONFLICT (message_id) DO UPDATE SET run_at = EXCLUDED.run_at, seq = EXCLUDED.seq
         RETURNING 1)
       SELECT pg_notify($3, '') WHERE EXISTS (SELECT 1 FROM queued)`,
      [[...last.keys()], [...last.values()], OUTBOX_CHANNEL],
    );
  },
};

/** The job queue of a transport: graphile-worker's (with `lanes`) or the NATS outbox. */
export function jobQueueFor(transport: RuntimeTransport, options: { lanes?: number } = {}) {
  return transport.kind === 'nats' ? outboxJobQueue : createGraphileJobQueue(options);
}

/** What runs message jobs in a worker: graphile-worker's JobRunner or the NATS consumer. */
export interface MessageJobRunner {
  /** This worker's id: on runtime_workers and on the messages it claims. */
  readonly id: string;
  /** True while the runner is replaced (its old id retired): no heartbeat may revive it. */
  readonly isRecycling: boolean;
  start(): Promise<void>;
  /** A look for jobs this worker holds but no longer runs (the sweeper's tick). */
  check(graceMs: number): Promise<void>;
  /** Drains: no new jobs, the jobs running finish. */
  stop(): Promise<void>;
}

/** How the sweeper tells where a transport's jobs are (runtime-worker.ts, sweepOnce). */
export interface JobTracking {
  /** Frees what dead workers held (their rows are gone already). */
  releaseDead(client: SqlClient, workerIds: string[]): Promise<void>;
  /** SQL on runtime_messages `m`: a job for the message waits in PostgreSQL. */
  queuedSql: string;
  /** Of these messages, those whose job a broker holds; throws when it cannot tell. */
  heldByBroker?(messageIds: string[]): Promise<Set<string>>;
}

/** graphile-worker: jobs are rows; a dead worker's are unlocked; an exhausted job is none. */
export const graphileTracking: JobTracking = {
  async releaseDead(client, workerIds) {
    await client.query(`SELECT graphile_worker.force_unlock_workers($1::text[])`, [workerIds]);
  },
  queuedSql: `EXISTS (SELECT 1 FROM graphile_worker.jobs j
                       WHERE j.key = m.id::text AND j.attempts < j.max_attempts)`,
};

/**
 * The outbox (NATS): a job waits as an outbox row until published, then in the JetStream work
 * queue until acknowledged (`heldByBroker`). A dead worker holds nothing to free: JetStream
 * redelivers its unacknowledged jobs once their ack wait passes.
 */
export function outboxTracking(heldByBroker: JobTracking['heldByBroker']): JobTracking {
  return {
    releaseDead: () => Promise.resolve(),
    queuedSql: `EXISTS (SELECT 1 FROM runtime_job_outbox o WHERE o.message_id = m.id)`,
    heldByBroker,
  };
}
