import { createHash } from 'node:crypto';

import { prepared } from './prepared-statements';
import { type SqlClient } from './runtime-types';

/** The one job the runtime queues: run (or resume) one message. Its payload holds the id only. */
export const RUN_MESSAGE_TASK = 'integrixs.run-message';

export interface RunMessageJob {
  messageId: string;
  /** Not before this time (a retry's backoff); now when absent. */
  runAt?: Date;
  /** The message's flow: its job goes into one of the flow's lanes (per-flow concurrency). */
  flowId?: string;
}

/**
 * Where message jobs wait for a worker. `enqueue` runs in the caller's transaction (the client
 * is inside BEGIN), so a job exists exactly when the message row that names it commits.
 * The PostgreSQL queue library implements it; an external transport (RabbitMQ, NATS) implements
 * it through an outbox written in the same transaction.
 */
export interface JobQueue {
  enqueue(client: SqlClient, job: RunMessageJob): Promise<void>;
  /** Several jobs in one statement (same meaning as one enqueue each); optional. */
  enqueueMany?(client: SqlClient, jobs: readonly RunMessageJob[]): Promise<void>;
}

/** Enqueues `jobs` with the queue's enqueueMany, or one by one where it has none. */
export async function enqueueAll(
  queue: JobQueue,
  client: SqlClient,
  jobs: readonly RunMessageJob[],
): Promise<void> {
  if (jobs.length === 0) return;
  if (queue.enqueueMany && jobs.length > 1) return queue.enqueueMany(client, jobs);
  for (const job of jobs) await queue.enqueue(client, job);
}

/**
 * How many lanes (graphile-worker serial queues) each flow has: RUNTIME_FLOW_CONCURRENCY; 0 = no
 * lanes (no per-flow limit: a flow's messages run on every free worker slot).
 */
export function flowLanesFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env['RUNTIME_FLOW_CONCURRENCY']?.trim();
  const value = raw ? Number(raw) : NaN;
  return Number.isInteger(value) && value >= 0 && value <= 256 ? value : 4;
}

/**
 * The graphile-worker queue a message's job runs in: one of its flow's `lanes` serial queues,
 * chosen by the message id (a retry stays in its lane). graphile-worker runs at most one job of
 * a queue at a time across all workers, so a flow runs at most `lanes` messages at once.
 */
export function laneOf(flowId: string, messageId: string, lanes: number): string {
  const lane = createHash('sha1').update(messageId).digest().readUInt32BE(0) % lanes;
  return `integrixs:flow:${flowId}:${lane}`;
}

/**
 * graphile-worker's `add_job` in the caller's transaction. The job key is the message id: a
 * message has at most one waiting job (a second enqueue replaces the first's run time). With a
 * flow id the job goes into one of the flow's lanes (`lanes`, default RUNTIME_FLOW_CONCURRENCY).
 * Attempts are the runtime's own (per step, with backoff and jitter); the library's attempts
 * (max 25, its own backoff) only cover a worker that crashed or lost its database mid-job.
 */
export function createGraphileJobQueue(options: { lanes?: number } = {}): JobQueue {
  const queueName = (job: RunMessageJob, lanes: number) =>
    // Lanes cost every fetch a queue lock: only with a per-flow limit.
    job.flowId && lanes > 0 ? laneOf(job.flowId, job.messageId, lanes) : null;
  return {
    /** graphile-worker's add_jobs: one call for all (its job_spec rows as add_job's arguments). */
    async enqueueMany(client, jobs) {
      const lanes = options.lanes ?? flowLanesFromEnv();
      await client.query(
        prepared(`SELECT graphile_worker.add_jobs(array_agg(
                  ($1, json_build_object('messageId', j.id), j.queue_name, j.run_at, 25, j.id,
                   NULL, NULL)::graphile_worker.job_spec))
           FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS j(id, queue_name, run_at)`),
        [
          RUN_MESSAGE_TASK,
          jobs.map((job) => job.messageId),
          jobs.map((job) => queueName(job, lanes)),
          jobs.map((job) => job.runAt ?? null),
        ],
      );
    },
    async enqueue(client, job) {
      const lanes = options.lanes ?? flowLanesFromEnv();
      await client.query(
        prepared(`SELECT graphile_worker.add_job($1, json_build_object('messageId', $2::text),
                                        queue_name := $3, run_at := $4, max_attempts := 25,
                                        job_key := $2::text)`),
        [RUN_MESSAGE_TASK, job.messageId, queueName(job, lanes), job.runAt ?? null],
      );
    },
  };
}

/** The job queue with the lanes of RUNTIME_FLOW_CONCURRENCY (read at each enqueue). */
export const graphileJobQueue: JobQueue = createGraphileJobQueue();
